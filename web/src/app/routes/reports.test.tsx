import { screen, within } from '@testing-library/react';
import { http, HttpResponse } from 'msw';
import { reportSummary, userByRole } from '@/testing/data';
import { server } from '@/testing/msw-server';
import { renderApp, signInAs } from '@/testing/render-app';

describe('reports page', () => {
  it('asks for the chosen range and shows totals, funnel and the per-agent table', async () => {
    const ranges: string[] = [];
    server.use(
      http.get('*/reports/summary', ({ request }) => {
        const url = new URL(request.url);
        ranges.push(`${url.searchParams.get('from')}..${url.searchParams.get('to')}`);
        return HttpResponse.json(reportSummary);
      }),
    );
    signInAs(userByRole('manager'));
    await renderApp('/reports?from=2025-01-01&to=2025-01-07');
    expect(await screen.findByText('80%')).toBeInTheDocument(); // 8 of 10 answered
    expect(ranges).toEqual(['2025-01-01..2025-01-07']);
    expect(await screen.findByRole('img', { name: /Funnel: leads 7, qualified 4 \(57%\), showing 3 \(43%\)/ })).toBeInTheDocument();
    const table = screen.getAllByRole('table')[0]!;
    expect(within(table).getByText('Bob Agent')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Export CSV' })).toBeEnabled();
    const weeks = await screen.findByRole('table', { name: 'Speed to lead per week' });
    expect(within(weeks).getByText('2025-W01')).toBeInTheDocument();
  });

  it('titles the page for an agent as their own numbers', async () => {
    signInAs(userByRole('agent'));
    await renderApp('/reports');
    expect(await screen.findByRole('heading', { level: 1, name: 'My performance' })).toBeInTheDocument();
    expect(await screen.findByText('My numbers')).toBeInTheDocument();
  });
});
