import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { http, HttpResponse } from 'msw';
import { calls, userByRole } from '@/testing/data';
import { server } from '@/testing/msw-server';
import { renderApp, signInAs } from '@/testing/render-app';

describe('calls page: review tools', () => {
  const listRequests: URL[] = [];
  beforeEach(() => {
    listRequests.length = 0;
    server.use(
      http.get('*/calls/', ({ request }) => {
        const url = new URL(request.url);
        listRequests.push(url);
        return HttpResponse.json({ items: calls.slice(0, 3), total: 3, page: 1, page_size: Number(url.searchParams.get('page_size') ?? 25) });
      }),
    );
  });
  const last = () => listRequests[listRequests.length - 1]!.searchParams;

  it('sorts by clicking a column header, again to reverse, and the URL keeps the order', async () => {
    signInAs(userByRole('manager'));
    const { router } = await renderApp('/calls?page_size=50');
    const table = await screen.findByRole('table', undefined, { timeout: 5000 });
    const header = (name: string) => within(table).getByRole('columnheader', { name: new RegExp(name) });
    expect(header('Started')).toHaveAttribute('aria-sort', 'descending');
    expect(header('Duration')).not.toHaveAttribute('aria-sort');

    await userEvent.click(within(header('Duration')).getByRole('button'));
    await waitFor(() => expect(last().get('sort')).toBe('-duration_seconds'));
    expect(header('Duration')).toHaveAttribute('aria-sort', 'descending');
    expect(header('Started')).not.toHaveAttribute('aria-sort');
    expect(router.state.location.search).toContain('sort=-duration_seconds');

    await userEvent.click(within(header('Duration')).getByRole('button'));
    await waitFor(() => expect(last().get('sort')).toBe('duration_seconds'));
    expect(header('Duration')).toHaveAttribute('aria-sort', 'ascending');

    await userEvent.click(within(header('Caller')).getByRole('button'));
    await waitFor(() => expect(last().get('sort')).toBe('caller'));
    expect(header('Caller')).toHaveAttribute('aria-sort', 'ascending');
    for (const name of ['Status', 'Outcome']) expect(within(header(name)).getByRole('button')).toBeInTheDocument();
    expect(last().get('page_size')).toBe('50');
  }, 20_000);

  it('filters by sentiment, shows test calls only when asked, and Clear keeps the page size', async () => {
    signInAs(userByRole('manager'));
    await renderApp('/calls?page_size=50&sort=caller');
    await screen.findByRole('table', undefined, { timeout: 5000 });
    expect(last().get('include_tests')).toBeNull();

    await userEvent.selectOptions(screen.getByLabelText('Sentiment'), 'Negative');
    await waitFor(() => expect(last().get('sentiment')).toBe('negative'));
    await userEvent.click(screen.getByLabelText('Show test calls'));
    await waitFor(() => expect(last().get('include_tests')).toBe('true'));
    expect(last().get('sort')).toBe('caller');

    await userEvent.click(screen.getByRole('button', { name: 'Clear' }));
    await waitFor(() => expect(screen.getByLabelText('Show test calls')).not.toBeChecked());
    expect(screen.getByLabelText('Sentiment')).toHaveValue('');
    expect(last().get('sort')).toBeNull();
    expect(screen.getByLabelText(/Rows/)).toHaveValue('50');
  }, 20_000);

  it('shows each call\'s sentiment and marks test calls', async () => {
    server.use(
      http.get('*/calls/', () =>
        HttpResponse.json({
          items: [
            { ...calls[0], sentiment: 'negative', is_test: false },
            { ...calls[1], sentiment: null, is_test: true },
          ],
          total: 2, page: 1, page_size: 25,
        }),
      ),
    );
    signInAs(userByRole('manager'));
    await renderApp('/calls?include_tests=true');
    const rows = within(await screen.findByRole('table', undefined, { timeout: 5000 })).getAllByRole('row');
    expect(within(rows[1]!).getByText(/sentiment negative/)).toBeInTheDocument();
    expect(within(rows[1]!).queryByText('Test')).toBeNull();
    expect(within(rows[2]!).getByText('Test')).toHaveClass('badge');
    expect(within(rows[2]!).queryByText(/sentiment/)).toBeNull();
  });

  it('exports the same filters as CSV', async () => {
    let exported: URL | null = null;
    server.use(
      http.get('*/calls/export.csv', ({ request }) => {
        exported = new URL(request.url);
        return new HttpResponse('id\r\n1\r\n', { headers: { 'Content-Type': 'text/csv' } });
      }),
    );
    const created = vi.fn(() => 'blob:calls');
    vi.stubGlobal('URL', Object.assign(URL, { createObjectURL: created, revokeObjectURL: vi.fn() }));
    signInAs(userByRole('manager'));
    await renderApp('/calls?outcome=qualified&q=garden');
    await screen.findByRole('table', undefined, { timeout: 5000 });

    await userEvent.click(screen.getByRole('button', { name: 'Export CSV' }));

    await waitFor(() => expect(created).toHaveBeenCalled());
    expect(exported!.searchParams.get('outcome')).toBe('qualified');
    expect(exported!.searchParams.get('q')).toBe('garden');
    expect(exported!.searchParams.get('page_size')).toBeNull();
    vi.unstubAllGlobals();
  });
});
