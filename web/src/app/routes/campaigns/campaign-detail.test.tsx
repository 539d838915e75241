import { screen, waitFor, within } from '@testing-library/react';
import { http, HttpResponse } from 'msw';
import { liveRefetchMs, type Campaign } from '@/features/campaigns/api/get-campaigns';
import { campaign, campaignLead, progress } from '@/features/campaigns/test-fixtures';
import { userByRole } from '@/testing/data';
import { problem } from '@/testing/handlers';
import { server } from '@/testing/msw-server';
import { renderApp, signInAs } from '@/testing/render-app';

const stat = (label: string) => within(screen.getByLabelText('Progress')).getByText(label).parentElement!.querySelector('.stat-value')!.textContent;

describe('campaign detail page', () => {
  let current: Campaign;
  let reads = 0;
  const moves: string[] = [];
  const leadRequests: URL[] = [];
  beforeEach(() => {
    current = campaign(5, { name: 'Open house follow-up', progress: progress({ total: 3, queued: 3 }) });
    reads = 0;
    moves.length = 0;
    leadRequests.length = 0;
    server.use(
      http.get('*/campaigns/5', () => {
        reads++;
        // While it runs, each read finds one more lead dialed.
        if (current.state === 'running') current = { ...current, progress: progress({ ...current.progress, dialed: current.progress.dialed + 1 }) };
        return HttpResponse.json(current);
      }),
      http.post('*/campaigns/5/:move', ({ params }) => {
        const move = String(params.move);
        moves.push(move);
        if (move === 'pause' && current.state !== 'running') return problem(409, 'Conflict', undefined, 'A paused campaign cannot pause.');
        current = { ...current, state: { start: 'running', pause: 'paused', resume: 'running', stop: 'stopped' }[move]!, started_at: '2026-11-20T16:00:00Z' };
        return HttpResponse.json(current);
      }),
      http.get('*/campaigns/5/leads', ({ request }) => {
        const url = new URL(request.url);
        leadRequests.push(url);
        const rows = [
          campaignLead(1, { lead_name: 'Maria Lopez', state: 'answered', attempts: 1, last_call_id: 88 }),
          campaignLead(2, { lead_name: 'John Smith', state: 'skipped', reason_code: 'do_not_call', reason: 'The lead is marked do-not-call.' }),
          campaignLead(3, { lead_name: 'Priya Patel', state: 'voicemail', attempts: 2, reason_code: 'voicemail', last_call_id: 90 }),
        ].filter((r) => !url.searchParams.get('state') || r.state === url.searchParams.get('state'));
        return HttpResponse.json({ items: rows, total: rows.length, page: 1, page_size: 25 });
      }),
    );
  });

  afterEach(() => {
    vi.useRealTimers();
  });

  it('starts after a confirmation, then refreshes the counters while it runs, and stops after a confirmation', async () => {
    // Fake clock (still ticking, so user-event and waitFor work): the live refresh is reached by moving the clock on,
    // not by waiting its 4 s of real time.
    vi.useFakeTimers({ shouldAdvanceTime: true });
    signInAs(userByRole('manager'));
    const { user } = await renderApp('/campaigns/5');
    await screen.findByRole('heading', { level: 1, name: 'Open house follow-up' });
    expect(stat('Leads')).toBe('3');

    const confirm = vi.spyOn(window, 'confirm').mockReturnValueOnce(false).mockReturnValue(true);
    await user.click(screen.getByRole('button', { name: 'Start' }));
    expect(confirm).toHaveBeenCalledWith(expect.stringContaining('Start “Open house follow-up”?'));
    expect(moves).toEqual([]);

    await user.click(screen.getByRole('button', { name: 'Start' }));
    await waitFor(() => expect(moves).toEqual(['start']));
    expect(await screen.findByRole('button', { name: 'Pause' })).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Start' })).not.toBeInTheDocument();

    // A running campaign's page asks again by itself every few seconds: the read after the start finds 1 dialed,
    // only a later, unprompted read finds 2.
    await waitFor(() => expect(stat('Dialed')).toBe('1'));
    await vi.advanceTimersByTimeAsync(liveRefetchMs);
    await waitFor(() => expect(stat('Dialed')).toBe('2'));
    expect(reads).toBeGreaterThanOrEqual(3);

    await user.click(screen.getByRole('button', { name: 'Stop' }));
    expect(confirm).toHaveBeenLastCalledWith(expect.stringContaining('cannot be restarted'));
    await waitFor(() => expect(moves).toEqual(['start', 'stop']));
    await waitFor(() => expect(screen.queryByRole('button', { name: 'Stop' })).not.toBeInTheDocument());
    expect(screen.queryByRole('button', { name: 'Resume' })).not.toBeInTheDocument();
  }, 15_000); // several round trips and re-renders, none of them waiting on the clock

  it('lists each lead with its state, attempts, last call and the skip reason in words, filtered by state', async () => {
    signInAs(userByRole('agent'));
    const { user } = await renderApp('/campaigns/5');
    const table = await screen.findByRole('table', { name: 'Campaign leads' });
    const rows = within(table).getAllByRole('row').slice(1);
    expect(rows).toHaveLength(3);
    expect(within(rows[0]!).getByRole('link', { name: 'Call #88' })).toHaveAttribute('href', '/calls/88');
    expect(within(rows[1]!).getByText('On the do-not-call list')).toBeInTheDocument();
    expect(within(rows[2]!).getByText('Reached voicemail')).toBeInTheDocument();
    // An agent reads but does not run campaigns.
    expect(screen.queryByRole('button', { name: 'Start' })).not.toBeInTheDocument();
    expect(screen.queryByRole('link', { name: 'Edit' })).not.toBeInTheDocument();

    await user.selectOptions(screen.getByLabelText('Lead state'), 'skipped');
    await waitFor(() => expect(leadRequests[leadRequests.length - 1]!.searchParams.get('state')).toBe('skipped'));
    await waitFor(() => expect(within(screen.getByRole('table', { name: 'Campaign leads' })).getAllByRole('row')).toHaveLength(2));
  });

  it('deletes a draft after a confirmation and returns to the list', async () => {
    let deleted = false;
    server.use(
      http.delete('*/campaigns/5', () => {
        deleted = true;
        return new HttpResponse(null, { status: 204 });
      }),
      http.get('*/campaigns/', () => HttpResponse.json({ items: [], total: 0, page: 1, page_size: 25 })),
    );
    vi.spyOn(window, 'confirm').mockReturnValue(true);
    signInAs(userByRole('manager'));
    const { user, router } = await renderApp('/campaigns/5');
    await user.click(await screen.findByRole('button', { name: 'Delete' }));
    await waitFor(() => expect(router.state.location.pathname).toBe('/campaigns'));
    expect(deleted).toBe(true);
    expect(await screen.findByText('No campaigns yet')).toBeInTheDocument();
  });

  it('marks the built-in campaign and offers pause and resume but never stop or delete', async () => {
    current = campaign(5, { name: 'Speed to lead', state: 'running', built_in: 'speed_to_lead', progress: progress({ total: 1 }) });
    signInAs(userByRole('manager'));
    const { user } = await renderApp('/campaigns/5');
    await screen.findByRole('heading', { level: 1, name: 'Speed to lead' });
    expect(screen.getByText('Built-in')).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Stop' })).not.toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Delete' })).not.toBeInTheDocument();

    await user.click(screen.getByRole('button', { name: 'Pause' }));
    expect(await screen.findByRole('button', { name: 'Resume' })).toBeInTheDocument();
    expect(moves).toEqual(['pause']);
    expect(screen.queryByRole('button', { name: 'Stop' })).not.toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Delete' })).not.toBeInTheDocument();
    // Paused, its settings can be edited like any campaign's.
    expect(screen.getByRole('link', { name: 'Edit' })).toHaveAttribute('href', '/campaigns/5/edit');
  });

  it('shows the server’s reason when a move is refused', async () => {
    current = { ...current, state: 'running' };
    server.use(http.post('*/campaigns/5/pause', () => problem(409, 'Conflict', undefined, 'A stopped campaign cannot pause.')));
    signInAs(userByRole('admin'));
    const { user } = await renderApp('/campaigns/5');
    await user.click(await screen.findByRole('button', { name: 'Pause' }));
    expect(await screen.findByText(/A stopped campaign cannot pause/)).toBeInTheDocument();
  });
});
