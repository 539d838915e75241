import { screen, waitFor, within } from '@testing-library/react';
import { http, HttpResponse } from 'msw';
import { userByRole } from '@/testing/data';
import { problem } from '@/testing/handlers';
import { server } from '@/testing/msw-server';
import { renderApp, signInAs } from '@/testing/render-app';

type Entry = { id: number; phone: string; source: string; reason: string | null; added_by_id: number | null; added_by: string | null; lead_id: number | null; added_at: string };

describe('do-not-call page', () => {
  let entries: Entry[];
  const listRequests: URL[] = [];
  let registryReads = 0;
  let uploaded: string | null;
  beforeEach(() => {
    entries = [
      { id: 2, phone: '+15125550199', source: 'admin', reason: 'Asked by email', added_by_id: 2, added_by: 'Max Manager', lead_id: null, added_at: '2026-11-20T15:00:00Z' },
      { id: 1, phone: '+15125550112', source: 'lead', reason: null, added_by_id: null, added_by: null, lead_id: 2, added_at: '2026-11-19T15:00:00Z' },
    ];
    listRequests.length = 0;
    registryReads = 0;
    uploaded = null;
    server.use(
      http.get('*/admin/do-not-call/', ({ request }) => {
        const url = new URL(request.url);
        listRequests.push(url);
        const q = url.searchParams.get('q') ?? '';
        const items = entries.filter((e) => !q || e.phone.includes(q));
        return HttpResponse.json({ items, total: items.length, page: 1, page_size: 25 });
      }),
      http.post('*/admin/do-not-call/', async ({ request }) => {
        const body = (await request.json()) as { phone: string; reason: string | null };
        if (!/^\(?\d{3}/.test(body.phone)) return problem(400, 'One or more validation errors occurred.', { phone: ['Enter a phone number with area code.'] });
        const entry = { id: 3, phone: '+15125550777', source: 'admin', reason: body.reason, added_by_id: 2, added_by: 'Max Manager', lead_id: null, added_at: '2026-11-21T15:00:00Z' };
        entries = [entry, ...entries];
        return HttpResponse.json(entry, { status: 201 });
      }),
      http.delete('*/admin/do-not-call/:id', ({ params }) => {
        entries = entries.filter((e) => e.id !== Number(params.id));
        return new HttpResponse(null, { status: 204 });
      }),
      http.get('*/admin/do-not-call/registry/', () => {
        registryReads++;
        return HttpResponse.json(
          uploaded
            ? { upload_id: 4, number_count: 2, bad_line_count: 1, file_name: 'registry.txt', uploaded_at: '2026-11-21T15:00:00Z', uploaded_by: 'Ada Admin', loaded_count: 2, loaded_upload_id: 4, loaded_at: '2026-11-21T15:00:01Z' }
            : { upload_id: null, number_count: null, bad_line_count: null, file_name: null, uploaded_at: null, uploaded_by: null, loaded_count: 0, loaded_upload_id: null, loaded_at: null },
        );
      }),
      http.post('*/admin/do-not-call/registry/', ({ request }) => {
        // jsdom's multipart body is not readable here; the content type shows it went as a form.
        uploaded = request.headers.get('Content-Type');
        return HttpResponse.json({ upload_id: 4, count: 2, bad_line_count: 1, bad_lines: [{ line: 2, text: 'not a number' }] }, { status: 201 });
      }),
    );
  });

  it('lets a manager search, add (with the field error first) and remove numbers, without the registry', async () => {
    signInAs(userByRole('manager'));
    const { user } = await renderApp('/admin/do-not-call');
    const table = await screen.findByRole('table', { name: 'Do-not-call numbers' });
    expect(within(table).getAllByRole('row')).toHaveLength(3);
    expect(within(table).getByRole('link', { name: 'Lead #2' })).toHaveAttribute('href', '/leads/2');

    await user.type(screen.getByLabelText('Search'), '0199');
    await waitFor(() => expect(listRequests[listRequests.length - 1]!.searchParams.get('q')).toBe('0199'));
    await waitFor(() => expect(within(screen.getByRole('table')).getAllByRole('row')).toHaveLength(2));
    await user.clear(screen.getByLabelText('Search'));

    const form = screen.getByRole('form', { name: 'Add a number' });
    await user.type(within(form).getByLabelText('Phone number'), 'nope');
    await user.click(within(form).getByRole('button', { name: 'Add number' }));
    expect(await within(form).findByText('Enter a phone number with area code.')).toBeInTheDocument();
    expect(within(form).getByLabelText('Phone number')).toHaveAttribute('aria-invalid', 'true');

    await user.clear(within(form).getByLabelText('Phone number'));
    await user.type(within(form).getByLabelText('Phone number'), '(512) 555-0777');
    await user.type(within(form).getByLabelText('Reason'), 'Asked on a call');
    await user.click(within(form).getByRole('button', { name: 'Add number' }));
    expect(await within(form).findByText('+15125550777 will not be called.')).toBeInTheDocument();
    await waitFor(() => expect(within(screen.getByRole('table')).getAllByRole('row')).toHaveLength(4));

    const confirm = vi.spyOn(window, 'confirm').mockReturnValueOnce(false).mockReturnValue(true);
    await user.click(screen.getByRole('button', { name: 'Remove +15125550199' }));
    expect(entries).toHaveLength(3);
    await user.click(screen.getByRole('button', { name: 'Remove +15125550199' }));
    expect(confirm).toHaveBeenCalledTimes(2);
    await waitFor(() => expect(within(screen.getByRole('table')).getAllByRole('row')).toHaveLength(3));
    expect(entries.map((e) => e.id)).toEqual([3, 1]);

    expect(screen.queryByRole('form', { name: 'Upload registry' })).not.toBeInTheDocument();
    expect(registryReads).toBe(0);
  }, 30_000);

  it('lets an admin upload the national registry and shows what was loaded', async () => {
    signInAs(userByRole('admin'));
    const { user } = await renderApp('/admin/do-not-call');
    expect(await screen.findByText(/No registry file uploaded yet/)).toBeInTheDocument();
    const form = screen.getByRole('form', { name: 'Upload registry' });
    await user.upload(within(form).getByLabelText('Registry file'), new File(['5125550100\nnot a number\n5125550101\n'], 'registry.txt', { type: 'text/plain' }));
    await user.click(within(form).getByRole('button', { name: 'Upload registry' }));
    expect(await within(form).findByText(/Loaded 2 numbers; 1 bad lines/)).toBeInTheDocument();
    expect(within(form).getByText('Line 2: “not a number”')).toBeInTheDocument();
    expect(uploaded).toMatch(/^multipart\/form-data/);
    expect(await screen.findByText('2 numbers, since', { exact: false })).toBeInTheDocument();
  }, 30_000);
});
