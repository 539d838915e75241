import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { http, HttpResponse } from 'msw';
import { userByRole } from '@/testing/data';
import { server } from '@/testing/msw-server';
import { renderApp, signInAs } from '@/testing/render-app';

const delivery = (id: number, status: string, extra: Record<string, unknown> = {}) => ({
  id, event_id: `evt-${id}`, event_type: 'call.ended', call_id: 40 + id, url: 'https://crm.example.com/hooks/estate-voice', status,
  attempts: status === 'delivered' ? 4 : 1, last_response_code: status === 'delivered' ? 200 : 400, last_error: status === 'failed' ? 'HTTP 400 Bad Request' : null,
  next_attempt_at: null, last_attempt_at: '2026-11-25T15:02:00Z', delivered_at: status === 'delivered' ? '2026-11-25T15:02:00Z' : null,
  created_at: '2026-11-25T15:00:00Z', ...extra,
});

describe('webhook deliveries page', () => {
  const listRequests: URL[] = [];
  const redelivered: string[] = [];
  beforeEach(() => {
    listRequests.length = 0;
    redelivered.length = 0;
    server.use(
      http.get('*/admin/webhook-deliveries', ({ request }) => {
        const url = new URL(request.url);
        listRequests.push(url);
        const items = [delivery(1, 'delivered'), delivery(2, 'failed')].filter((d) => !url.searchParams.get('status') || d.status === url.searchParams.get('status'));
        return HttpResponse.json({ items, total: items.length, page: 1, page_size: 25 });
      }),
      http.post('*/admin/webhook-deliveries/:id/redeliver', ({ params }) => {
        redelivered.push(String(params.id));
        return new HttpResponse(null, { status: 202 });
      }),
    );
  });

  it('lists deliveries with status, response and attempts, filters by status and redelivers a failed one', async () => {
    signInAs(userByRole('admin'));
    await renderApp('/admin/webhook-deliveries');
    const table = await screen.findByRole('table', undefined, { timeout: 5000 });
    const rows = within(table).getAllByRole('row').slice(1);
    expect(rows).toHaveLength(2);
    expect(within(rows[0]!).getByText('Delivered')).toBeInTheDocument();
    expect(within(rows[0]!).getByText('200')).toBeInTheDocument();
    expect(within(rows[0]!).getByText('4')).toBeInTheDocument();
    expect(within(rows[1]!).getByText('HTTP 400 Bad Request')).toBeInTheDocument();
    expect(within(rows[1]!).getByRole('link', { name: '#42' })).toHaveAttribute('href', '/calls/42');

    await userEvent.click(within(rows[1]!).getByRole('button', { name: 'Redeliver delivery 2' }));
    await waitFor(() => expect(redelivered).toEqual(['2']));

    await userEvent.selectOptions(screen.getByLabelText('Status'), 'failed');
    await waitFor(() => expect(listRequests[listRequests.length - 1]!.searchParams.get('status')).toBe('failed'));
    await waitFor(() => expect(within(screen.getByRole('table')).getAllByRole('row')).toHaveLength(2));
  }, 30_000);

  it('announces a refused redelivery to screen readers', async () => {
    server.use(
      http.post('*/admin/webhook-deliveries/:id/redeliver', () =>
        HttpResponse.json({ title: 'Conflict', status: 409, detail: 'The delivery is already queued.' }, { status: 409 })),
    );
    signInAs(userByRole('admin'));
    await renderApp('/admin/webhook-deliveries');
    const table = await screen.findByRole('table', undefined, { timeout: 5000 });

    await userEvent.click(within(table).getByRole('button', { name: 'Redeliver delivery 2' }));

    expect(await screen.findByRole('alert')).toHaveTextContent('The delivery is already queued.');
  }, 30_000);

  it('is refused to a manager', async () => {
    signInAs(userByRole('manager'));
    await renderApp('/admin/webhook-deliveries');
    expect(await screen.findByText('You do not have access to this page')).toBeInTheDocument();
  });
});
