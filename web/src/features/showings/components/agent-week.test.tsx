import { screen, within } from '@testing-library/react';
import { http, HttpResponse } from 'msw';
import { showings, userByRole } from '@/testing/data';
import { server } from '@/testing/msw-server';
import { renderApp, signInAs } from '@/testing/render-app';

describe('agent calendar', () => {
  it('lists the week per day with status badges and moves between weeks', async () => {
    const asked: string[] = [];
    server.use(
      http.get('*/agents/:id/calendar', ({ request, params }) => {
        const url = new URL(request.url);
        asked.push(`${String(params.id)} ${url.searchParams.get('from')}`);
        return HttpResponse.json({
          agent_id: 3,
          agent_name: 'Alice Agent',
          time_zone: 'America/Chicago',
          working_hours: [{ day: 'saturday', starts: '10:00', ends: '14:00' }],
          showings: [{ ...showings[0], starts_at: '2099-01-10T15:00:00Z', status: 'confirmed' }],
        });
      }),
    );
    signInAs(userByRole('manager'));
    const { user } = await renderApp('/calendar?agent=3&week=2099-01-05');
    const week = await screen.findByLabelText('Week of Alice Agent');
    const days = within(week).getAllByRole('region');
    expect(days).toHaveLength(7);
    const withShowing = days.filter((d) => d.textContent?.includes('101 Oak Street'));
    expect(withShowing).toHaveLength(1);
    expect(within(withShowing[0]!).getByText('Confirmed')).toBeInTheDocument();
    expect(days[5]).toHaveTextContent('10:00–14:00');
    expect(days[0]).toHaveTextContent('Off');

    await user.click(screen.getByRole('button', { name: 'Next week' }));
    await user.click(screen.getByRole('button', { name: 'Previous week' }));
    await user.click(screen.getByRole('button', { name: 'Previous week' }));
    const froms = asked.map((a) => new Date(a.split(' ')[1] ?? '').getDate());
    expect(new Set(froms)).toEqual(new Set([5, 12, 29]));
    expect(asked.every((a) => a.startsWith('3 '))).toBe(true);
  });

  it('is in the navigation and shows an Agent their own calendar without a picker', async () => {
    const agent = userByRole('agent');
    signInAs(agent);
    const { user } = await renderApp('/');
    await user.click(await screen.findByRole('link', { name: 'Calendar' }));
    expect(await screen.findByLabelText('Week of Alice Agent')).toBeInTheDocument();
    expect(screen.queryByLabelText('Agent')).not.toBeInTheDocument();
  });
});
