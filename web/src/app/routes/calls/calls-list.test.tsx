import { screen, waitFor } from '@testing-library/react';
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

  it('sorts, shows test calls only when asked, and keeps the page size', async () => {
    signInAs(userByRole('manager'));
    await renderApp('/calls?page_size=50');
    await screen.findByRole('table', undefined, { timeout: 5000 });
    expect(last().get('include_tests')).toBeNull();

    await userEvent.selectOptions(screen.getByLabelText('Sort by'), 'Longest first');
    await waitFor(() => expect(last().get('sort')).toBe('-duration_seconds'));
    await userEvent.click(screen.getByLabelText('Show test calls'));
    await waitFor(() => expect(last().get('include_tests')).toBe('true'));
    expect(last().get('page_size')).toBe('50');

    await userEvent.click(screen.getByRole('button', { name: 'Clear' }));
    await waitFor(() => expect(screen.getByLabelText('Show test calls')).not.toBeChecked());
    expect(screen.getByLabelText('Sort by')).toHaveValue('');
    expect(screen.getByLabelText(/Rows/)).toHaveValue('50');
  }, 20_000);

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
