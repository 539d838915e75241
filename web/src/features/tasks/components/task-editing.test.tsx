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
const rowsOf = async () => within(await screen.findByRole('table', { name: 'Tasks' })).getAllByRole('row').slice(1);

describe('editing tasks', () => {
  afterEach(() => vi.restoreAllMocks());

  it('renames a task at once and puts it back with the server message on the field when refused', async () => {
    let tasks = [task(1, 'Call back Maria')];
    const patches: unknown[] = [];
    let answer: 'refuse' | 'accept' = 'refuse';
    server.use(
      http.get('*/tasks/', () => HttpResponse.json(page(tasks))),
      http.patch('*/tasks/:id', async ({ request }) => {
        const body = (await request.json()) as { title: string };
        patches.push(body);
        if (answer === 'refuse')
          return HttpResponse.json(
            { type: 'about:blank', title: 'One or more validation errors occurred.', status: 400, errors: { title: ['That title is taken by a rule.'] } },
            { status: 400 },
          );
        tasks = [task(1, body.title)];
        return HttpResponse.json(tasks[0]);
      }),
    );
    signInAs(userByRole('agent'));
    const { user } = await renderApp('/tasks');
    await user.click(within((await rowsOf())[0]!).getByRole('button', { name: 'Edit: Call back Maria' }));
    const dialog = screen.getByRole('dialog', { name: 'Edit task' });
    // An Agent keeps their tasks: no assignee to choose.
    expect(within(dialog).queryByLabelText('Assignee')).not.toBeInTheDocument();
    const title = within(dialog).getByLabelText('Task');
    await user.clear(title);
    await user.type(title, 'Call Maria at 5');
    await user.click(within(dialog).getByRole('button', { name: 'Save task' }));

    expect(await within(dialog).findByText('That title is taken by a rule.')).toBeInTheDocument();
    expect(title).toHaveAttribute('aria-invalid', 'true');
    expect(patches).toEqual([{ title: 'Call Maria at 5' }]);
    // Rolled back: the list shows the old title again.
    await vi.waitFor(async () => expect(within((await rowsOf())[0]!).getByText('Call back Maria')).toBeInTheDocument());

    answer = 'accept';
    await user.click(within(dialog).getByRole('button', { name: 'Save task' }));
    await vi.waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());
    expect(within((await rowsOf())[0]!).getByText('Call Maria at 5')).toBeInTheDocument();
    // Typing into a page of the whole app: slow on a loaded CI machine.
  }, 20_000);

  it('lets a manager reassign, clear the due time and tick done in one save', async () => {
    let patched: unknown = null;
    server.use(
      http.get('*/tasks/', () => HttpResponse.json(page([task(4, 'Send listings')]))),
      http.get('*/users/agents', () => HttpResponse.json([{ id: 3, name: 'Alice Agent' }, { id: 4, name: 'Bob Agent' }])),
      http.patch('*/tasks/:id', async ({ request }) => {
        patched = await request.json();
        return HttpResponse.json(task(4, 'Send listings', { assignee_id: 4, assignee_name: 'Bob Agent', due_at: null, done: true }));
      }),
    );
    signInAs(userByRole('manager'));
    const { user } = await renderApp('/leads/2');
    await user.click(await screen.findByRole('button', { name: 'Edit: Send listings' }));
    const dialog = screen.getByRole('dialog', { name: 'Edit task' });
    await user.selectOptions(await within(dialog).findByLabelText('Assignee'), 'Bob Agent');
    await user.clear(within(dialog).getByLabelText('Due'));
    await user.click(within(dialog).getByLabelText('Done'));
    await user.click(within(dialog).getByRole('button', { name: 'Save task' }));
    await vi.waitFor(() => expect(patched).toEqual({ clear_due_at: true, assignee_id: 4, done: true }));
    await vi.waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());
  }, 20_000);

  it('deletes only after a confirmation, and brings the task back when the delete fails', async () => {
    const deleted: string[] = [];
    let fail = true;
    server.use(
      http.get('*/tasks/', () => HttpResponse.json(page(fail ? [task(1, 'Call back Maria'), task(2, 'Send listings')] : [task(2, 'Send listings')]))),
      http.delete('*/tasks/:id', ({ params }) => {
        deleted.push(String(params.id));
        return fail
          ? HttpResponse.json({ title: 'The task could not be deleted.', status: 500 }, { status: 500 })
          : new HttpResponse(null, { status: 204 });
      }),
    );
    const confirm = vi.spyOn(window, 'confirm').mockReturnValueOnce(false).mockReturnValue(true);
    signInAs(userByRole('agent'));
    const { user } = await renderApp('/tasks');
    await user.click(within((await rowsOf())[0]!).getByRole('button', { name: 'Delete: Call back Maria' }));
    expect(confirm).toHaveBeenCalledWith(expect.stringContaining('Call back Maria'));
    expect(deleted).toEqual([]);

    await user.click(within((await rowsOf())[0]!).getByRole('button', { name: 'Delete: Call back Maria' }));
    await vi.waitFor(() => expect(deleted).toEqual(['1']));
    expect(await screen.findByRole('alert')).toBeInTheDocument();
    await vi.waitFor(async () => expect(await rowsOf()).toHaveLength(2));

    fail = false;
    await user.click(within((await rowsOf())[0]!).getByRole('button', { name: 'Delete: Call back Maria' }));
    await vi.waitFor(async () => expect(await rowsOf()).toHaveLength(1));
    expect(deleted).toEqual(['1', '1']);
  });

  it('shows the team board with counts per person and narrows the list to one of them', async () => {
    const requests: string[] = [];
    server.use(
      http.get('*/tasks/team', () =>
        HttpResponse.json([
          { assignee_id: 4, assignee_name: 'Bob Agent', open: 2, overdue: 2 },
          { assignee_id: 3, assignee_name: 'Alice Agent', open: 1, overdue: 0 },
          { assignee_id: null, assignee_name: null, open: 1, overdue: 0 },
        ]),
      ),
      http.get('*/tasks/', ({ request }) => {
        const search = new URL(request.url).searchParams;
        requests.push(search.toString());
        return HttpResponse.json(page(search.get('assignee_id') === '4'
          ? [task(7, 'Bob late', { assignee_id: 4, assignee_name: 'Bob Agent', overdue: true })]
          : [task(7, 'Bob late', { assignee_id: 4, assignee_name: 'Bob Agent', overdue: true }), task(8, 'Alice soon')]));
      }),
    );
    signInAs(userByRole('manager'));
    const { user } = await renderApp('/');
    await user.click(await screen.findByRole('link', { name: 'Team tasks' }));
    expect(await screen.findByRole('heading', { level: 1, name: 'Team tasks' })).toBeInTheDocument();
    const counts = await screen.findByRole('table', { name: 'Open tasks per person' });
    const countRows = within(counts).getAllByRole('row').slice(1);
    expect(countRows.map((r) => r.textContent)).toEqual([
      expect.stringContaining('Bob Agent22'), expect.stringContaining('Alice Agent10'), expect.stringContaining('Unassigned10'),
    ]);
    expect(await rowsOf()).toHaveLength(2);
    expect(requests[0]).toContain('done=false');
    expect(requests[0]).not.toContain('mine');

    await user.click(within(counts).getByRole('button', { name: 'Show tasks of Bob Agent' }));
    await vi.waitFor(async () => expect(await rowsOf()).toHaveLength(1));
    expect(requests.at(-1)).toContain('assignee_id=4');
  });
});
