import { screen, waitFor, within } from '@testing-library/react';
import { http, HttpResponse } from 'msw';
import { campaign, progress } from '@/features/campaigns/test-fixtures';
import { userByRole } from '@/testing/data';
import { server } from '@/testing/msw-server';
import { renderApp, signInAs } from '@/testing/render-app';

describe('campaigns list page', () => {
  const requests: URL[] = [];
  beforeEach(() => {
    requests.length = 0;
    server.use(
      http.get('*/campaigns/', ({ request }) => {
        const url = new URL(request.url);
        requests.push(url);
        const all = [
          campaign(3, { name: 'Speed to lead', state: 'running', built_in: 'speed_to_lead' }),
          campaign(2, { name: 'Open house follow-up', state: 'running', progress: progress({ total: 120, dialed: 40, answered: 25, voicemail: 9, opted_out: 3 }) }),
          campaign(1, { name: 'Expired listings', state: 'draft' }),
        ];
        const items = all.filter((c) => !url.searchParams.get('state') || c.state === url.searchParams.get('state'));
        return HttpResponse.json({ items, total: items.length, page: 1, page_size: 25 });
      }),
    );
  });

  it('lists campaigns with their state and progress, filters by state, and offers a new campaign to a manager', async () => {
    signInAs(userByRole('manager'));
    const { user } = await renderApp('/campaigns');
    const table = await screen.findByRole('table', { name: 'Campaigns' });
    const rows = within(table).getAllByRole('row').slice(1);
    expect(rows).toHaveLength(3);
    // The server's own campaign is marked; a campaign users made is not.
    expect(within(rows[0]!).getByText('Built-in')).toBeInTheDocument();
    expect(within(rows[1]!).queryByText('Built-in')).not.toBeInTheDocument();
    const cells = within(rows[1]!).getAllByRole('cell').map((c) => c.textContent);
    expect(cells.slice(0, 7)).toEqual(['Open house follow-up', 'Running', '120', '40', '25', '9', '3']);
    expect(within(rows[1]!).getByRole('link', { name: 'Open house follow-up' })).toHaveAttribute('href', '/campaigns/2');
    expect(screen.getByRole('link', { name: 'New campaign' })).toHaveAttribute('href', '/campaigns/new');

    await user.selectOptions(screen.getByLabelText('State'), 'draft');
    await waitFor(() => expect(requests[requests.length - 1]!.searchParams.get('state')).toBe('draft'));
    await waitFor(() => expect(within(screen.getByRole('table')).getAllByRole('row')).toHaveLength(2));
  }, 15_000);

  it('shows an agent the campaigns without the New campaign button', async () => {
    signInAs(userByRole('agent'));
    await renderApp('/campaigns');
    expect(await screen.findByRole('table', { name: 'Campaigns' })).toBeInTheDocument();
    expect(screen.queryByRole('link', { name: 'New campaign' })).not.toBeInTheDocument();
  });
});
