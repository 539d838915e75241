import { screen, within } from '@testing-library/react';
import { http, HttpResponse } from 'msw';
import { userByRole } from '@/testing/data';
import { server } from '@/testing/msw-server';
import { renderApp, signInAs } from '@/testing/render-app';

const page = <T,>(items: T[]) => ({ items, total: items.length, page: 1, page_size: 20 });
const task = (id: number, title: string, overrides: Record<string, unknown> = {}) => ({
  id, title, due_at: '2026-11-20T10:00:00Z', overdue: false, assignee_id: 3, assignee_name: 'Alice Agent', lead_id: 2,
  lead_name: 'John Smith', done: false, done_at: null, created_at: '2026-11-19T10:00:00Z', ...overrides,
});

describe('lead workspace', () => {
  beforeEach(() => {
    server.use(http.get('*/showings/', () => HttpResponse.json(page([]))));
  });

  it('shows the timeline, adds a note and a task on the lead', async () => {
    const posted: { path: string; body: unknown }[] = [];
    server.use(
      http.get('*/leads/:id/timeline', () =>
        HttpResponse.json(page([
          { kind: 'status_change', at: '2026-11-25T15:00:00Z', title: 'Status new → contacted', detail: null, actor_name: 'Mia Manager' },
          { kind: 'call', at: '2026-11-25T14:00:00Z', title: 'inbound call, information_provided', detail: 'Wants a 3-bed in Austin.', actor_name: null, call_id: 7 },
        ])),
      ),
      http.post('*/leads/:id/notes', async ({ request }) => {
        posted.push({ path: new URL(request.url).pathname, body: await request.json() });
        return HttpResponse.json({ id: 1, lead_id: 2, body: 'Prefers evenings', author_id: 2, author_name: 'Mia Manager', created_at: '2026-11-25T15:01:00Z' }, { status: 201 });
      }),
      http.post('*/tasks/', async ({ request }) => {
        posted.push({ path: new URL(request.url).pathname, body: await request.json() });
        return HttpResponse.json(task(5, 'Send listings'), { status: 201 });
      }),
    );
    signInAs(userByRole('manager'));
    const { user } = await renderApp('/leads/2');
    const timeline = await screen.findByRole('list', { name: 'Lead timeline' });
    expect(within(timeline).getByText('Status new → contacted')).toBeInTheDocument();
    expect(within(timeline).getByRole('link', { name: 'inbound call, information_provided' })).toHaveAttribute('href', '/calls/7');
    expect(within(timeline).getByText('Wants a 3-bed in Austin.')).toBeInTheDocument();

    const noteForm = screen.getByRole('form', { name: 'Add a note' });
    await user.click(within(noteForm).getByRole('button', { name: 'Add note' }));
    expect(await within(noteForm).findByText('Write a note first')).toBeInTheDocument();
    await user.type(within(noteForm).getByLabelText('Note'), 'Prefers evenings');
    await user.click(within(noteForm).getByRole('button', { name: 'Add note' }));

    const taskForm = screen.getByRole('form', { name: 'New task' });
    await user.type(within(taskForm).getByLabelText('Task'), 'Send listings');
    await user.click(within(taskForm).getByRole('button', { name: 'Add task' }));
    await vi.waitFor(() => expect(posted).toHaveLength(2));
    expect(posted).toEqual([
      { path: '/leads/2/notes', body: { body: 'Prefers evenings' } },
      { path: '/tasks/', body: { title: 'Send listings', lead_id: 2 } },
    ]);
    // The whole lead page (profile, timeline, tasks, notes, calls, showings) renders: slow on a loaded CI machine.
  }, 20_000);

  it('lists my open tasks with the overdue one flagged, from the nav entry, and ticks one done', async () => {
    const requests: string[] = [];
    let patched: unknown = null;
    server.use(
      http.get('*/tasks/', ({ request }) => {
        requests.push(new URL(request.url).search);
        return HttpResponse.json(page([task(1, 'Call back Maria', { overdue: true }), task(2, 'Send listings', { due_at: '2026-12-01T10:00:00Z' })]));
      }),
      http.patch('*/tasks/:id', async ({ request, params }) => {
        patched = { id: params.id, body: await request.json() };
        return HttpResponse.json(task(1, 'Call back Maria', { done: true }));
      }),
    );
    signInAs(userByRole('agent'));
    const { user } = await renderApp('/');
    await user.click(await screen.findByRole('link', { name: 'My tasks' }));
    expect(await screen.findByRole('heading', { level: 1, name: 'My tasks' })).toBeInTheDocument();
    const table = await screen.findByRole('table', { name: 'Tasks' });
    const rows = within(table).getAllByRole('row').slice(1);
    expect(within(rows[0]!).getByText('Call back Maria')).toBeInTheDocument();
    expect(within(rows[0]!).getByText('Overdue')).toBeInTheDocument();
    expect(within(rows[1]!).queryByText('Overdue')).not.toBeInTheDocument();
    expect(requests[0]).toContain('mine=true');
    expect(requests[0]).toContain('done=false');
    await user.click(within(rows[0]!).getByRole('checkbox', { name: 'Done: Call back Maria' }));
    await vi.waitFor(() => expect(patched).toEqual({ id: '1', body: { done: true } }));
  });
});
