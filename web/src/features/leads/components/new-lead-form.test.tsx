import { screen } from '@testing-library/react';
import { http, HttpResponse } from 'msw';
import { leads, userByRole } from '@/testing/data';
import { server } from '@/testing/msw-server';
import { renderApp, signInAs } from '@/testing/render-app';

describe('new lead', () => {
  beforeEach(() => {
    server.use(http.get('*/showings/', () => HttpResponse.json({ items: [], total: 0, page: 1, page_size: 20 })));
  });

  it('creates a lead from the Leads page, assigned and with consent, and opens it', { timeout: 30_000 }, async () => {
    let sent: Record<string, unknown> | null = null;
    server.use(
      http.post('*/leads/', async ({ request }) => {
        sent = (await request.json()) as Record<string, unknown>;
        return HttpResponse.json({ ...leads[0], id: 77, name: 'Nora Field', phone: '+15125550142' }, { status: 201 });
      }),
      http.get('*/leads/77', () => HttpResponse.json({ ...leads[0], id: 77, name: 'Nora Field', phone: '+15125550142' })),
    );
    signInAs(userByRole('manager'));
    const { user } = await renderApp('/leads');
    await user.click(await screen.findByRole('link', { name: 'New lead' }));
    await user.type(await screen.findByLabelText(/^Name/), 'Nora Field');
    await user.type(screen.getByLabelText(/^Phone/), '(512) 555-0142');
    await user.selectOptions(screen.getByLabelText('Intent'), 'buy');
    await user.type(screen.getByLabelText(/Preferred areas/), 'Austin, Round Rock');
    await user.type(screen.getByLabelText('Budget max'), '450000');
    await user.selectOptions(screen.getByLabelText('Pre-approved for a mortgage'), 'yes');
    await screen.findByRole('option', { name: 'Bob Agent' });
    await user.selectOptions(screen.getByLabelText('Assigned agent'), 'Bob Agent');
    await user.click(screen.getByLabelText('Consented to be called'));
    expect((screen.getByLabelText('Consent given at') as HTMLInputElement).value).not.toBe('');
    await user.click(screen.getByRole('button', { name: 'Create lead' }));

    expect(await screen.findByRole('heading', { level: 1, name: 'Nora Field' })).toBeInTheDocument();
    expect(sent).toMatchObject({
      name: 'Nora Field', phone: '(512) 555-0142', intent: 'buy', preferred_areas: ['Austin', 'Round Rock'], budget_max: 450000,
      pre_approved: true, consent_to_call: true, assigned_agent_id: 4,
    });
    expect(typeof sent!.consent_at).toBe('string');
  });

  it('shows the server’s field error next to the phone field and keeps the form', async () => {
    server.use(
      http.post('*/leads/', () =>
        HttpResponse.json(
          {
            type: 'https://tools.ietf.org/html/rfc9110#section-15.5.1', title: 'One or more validation errors occurred.', status: 400,
            detail: 'Not a phone number we can dial.', errors: { phone: ['Not a phone number we can dial.'] },
          },
          { status: 400, headers: { 'Content-Type': 'application/problem+json' } },
        ),
      ),
    );
    signInAs(userByRole('agent'));
    const { user } = await renderApp('/leads/new');
    expect(screen.queryByLabelText('Assigned agent')).not.toBeInTheDocument();
    await user.type(await screen.findByLabelText(/^Name/), 'Nora Field');
    await user.type(screen.getByLabelText(/^Phone/), '12');
    await user.click(screen.getByRole('button', { name: 'Create lead' }));
    const phone = screen.getByLabelText(/^Phone/);
    await screen.findAllByText('Not a phone number we can dial.');
    expect(phone).toHaveAttribute('aria-invalid', 'true');
    expect(screen.getByRole('heading', { level: 1, name: 'New lead' })).toBeInTheDocument();
  });

  it('asks for a name and phone before sending anything', async () => {
    let posted = false;
    server.use(http.post('*/leads/', () => { posted = true; return HttpResponse.json({}, { status: 500 }); }));
    signInAs(userByRole('agent'));
    const { user } = await renderApp('/leads/new');
    await user.click(await screen.findByRole('button', { name: 'Create lead' }));
    expect(await screen.findByText('Enter the lead’s name')).toBeInTheDocument();
    expect(screen.getByText('Enter a phone number')).toBeInTheDocument();
    expect(posted).toBe(false);
  });
});
