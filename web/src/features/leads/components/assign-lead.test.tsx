import { screen, waitFor } from '@testing-library/react';
import { http, HttpResponse } from 'msw';
import { leads, userByRole } from '@/testing/data';
import { server } from '@/testing/msw-server';
import { renderApp, signInAs } from '@/testing/render-app';

describe('lead detail', () => {
  beforeEach(() => {
    server.use(http.get('*/showings/', () => HttpResponse.json({ items: [], total: 0, page: 1, page_size: 20 })));
  });

  it('lets a manager assign the lead to an agent', async () => {
    let assigned: unknown = null;
    server.use(
      http.post('*/leads/:id/assign', async ({ request, params }) => {
        assigned = { id: params.id, body: await request.json() };
        return HttpResponse.json({ ...leads[1], assigned_agent_id: 4, assigned_agent_name: 'Bob Agent' });
      }),
    );
    signInAs(userByRole('manager'));
    const { user } = await renderApp('/leads/2');
    const select = await screen.findByLabelText('Assigned agent');
    await screen.findByRole('option', { name: 'Bob Agent' });
    await user.selectOptions(select, 'Bob Agent');
    await user.click(screen.getByRole('button', { name: 'Assign' }));
    expect(await screen.findByText('Lead assigned.')).toBeInTheDocument();
    expect(assigned).toEqual({ id: '2', body: { agent_id: 4 } });
  });

  it('shows an agent the qualification and DNC flag but no assignment form', async () => {
    signInAs(userByRole('agent'));
    await renderApp('/leads/2');
    expect(await screen.findByRole('heading', { level: 1, name: 'John Smith' })).toBeInTheDocument();
    expect(screen.getByText(/Do not call: this person asked not to be called/)).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Have the agent call' })).toBeDisabled();
    expect(screen.queryByRole('form', { name: 'Assign lead' })).not.toBeInTheDocument();
    await waitFor(() => expect(screen.getByText('No calls with this lead yet').textContent).toBeTruthy()).catch(() => undefined);
  });

  it('an agent sees only their leads in the list', async () => {
    signInAs(userByRole('agent'));
    await renderApp('/leads');
    expect(await screen.findByRole('link', { name: 'Maria Lopez' })).toBeInTheDocument();
    expect(screen.queryByRole('link', { name: 'John Smith' })).not.toBeInTheDocument();
    expect(screen.getByRole('heading', { level: 1, name: 'My leads' })).toBeInTheDocument();
    // No agent filter for agents.
    expect(screen.queryByLabelText('Agent')).not.toBeInTheDocument();
  });
});
