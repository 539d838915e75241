import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { http, HttpResponse } from 'msw';
import { server } from '@/testing/msw-server';
import { LeadRoutingSection } from './lead-routing-form';

describe('lead routing section', () => {
  it('saves by-area rules with the chosen agent', async () => {
    let saved: Record<string, unknown> = {};
    server.use(
      http.get('*/admin/lead-routing/', () => HttpResponse.json({ mode: 'off', areas: [] })),
      http.put('*/admin/lead-routing/', async ({ request }) => {
        saved = (await request.json()) as Record<string, unknown>;
        return HttpResponse.json(saved);
      }),
    );
    const user = userEvent.setup();
    render(
      <QueryClientProvider client={new QueryClient()}>
        <LeadRoutingSection agents={[{ id: 3, name: 'Ana' }, { id: 4, name: 'Ben' }]} />
      </QueryClientProvider>,
    );
    await user.selectOptions(await screen.findByLabelText('Routing'), 'by_area');
    await user.click(screen.getByRole('button', { name: 'Add area' }));
    await user.type(screen.getByLabelText('Area 1'), '787');
    await user.selectOptions(screen.getByLabelText('Agent for area 1'), '4');
    await user.click(screen.getByRole('button', { name: 'Save routing' }));
    expect(await screen.findByText('Lead routing saved.')).toBeInTheDocument();
    expect(saved).toEqual({ mode: 'by_area', areas: [{ match: '787', agent_id: 4 }] });
  });
});
