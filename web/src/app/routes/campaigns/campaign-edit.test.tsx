import { screen, waitFor, within } from '@testing-library/react';
import { http, HttpResponse } from 'msw';
import { campaign } from '@/features/campaigns/test-fixtures';
import { userByRole } from '@/testing/data';
import { problem } from '@/testing/handlers';
import { server } from '@/testing/msw-server';
import { renderApp, signInAs } from '@/testing/render-app';

describe('campaign editor', () => {
  const bodies: Record<string, unknown>[] = [];
  beforeEach(() => {
    bodies.length = 0;
    server.use(
      http.post('*/campaigns/', async ({ request }) => {
        const body = (await request.json()) as Record<string, unknown>;
        bodies.push(body);
        if (body.caller_id === '123')
          return problem(400, 'One or more validation errors occurred.', {
            caller_id: ['Enter a phone number with area code.'],
            window_end: ['window_end must be after window_start.'],
          });
        return HttpResponse.json(campaign(7, { name: String(body.name), goal: String(body.goal) }), { status: 201 });
      }),
      http.get('*/campaigns/7', () => HttpResponse.json(campaign(7, { name: 'Spring buyers', goal: 'Your home search' }))),
      http.get('*/campaigns/7/leads', () => HttpResponse.json({ items: [], total: 0, page: 1, page_size: 25 })),
    );
  });

  it('creates a campaign from filters, showing the server field errors on their fields first', async () => {
    signInAs(userByRole('manager'));
    const { user, router } = await renderApp('/campaigns/new');
    const form = await screen.findByRole('form', { name: 'New campaign' });
    await user.type(within(form).getByLabelText('Name'), 'Spring buyers');
    await user.type(within(form).getByLabelText('Goal'), 'Your home search');
    const statuses = within(form).getByRole('group', { name: 'Statuses' });
    await user.click(within(statuses).getByLabelText('New'));
    await user.click(within(statuses).getByLabelText('Contacted'));
    await user.click(within(within(form).getByRole('group', { name: 'Calling days' })).getByLabelText('Saturday'));
    await user.clear(within(form).getByLabelText('Max attempts'));
    await user.type(within(form).getByLabelText('Max attempts'), '2');
    await user.type(within(form).getByLabelText('Caller ID'), '123');
    await user.click(within(form).getByRole('button', { name: 'Create campaign' }));

    expect(await within(form).findByText('Enter a phone number with area code.')).toBeInTheDocument();
    expect(within(form).getByLabelText('Caller ID')).toHaveAttribute('aria-invalid', 'true');
    expect(within(form).getByLabelText('Calling until')).toHaveAttribute('aria-invalid', 'true');
    expect(bodies[0]!.leads).not.toHaveProperty('lead_ids');
    expect(bodies[0]).toMatchObject({
      name: 'Spring buyers', goal: 'Your home search', max_attempts: 2, spacing_minutes: 240, max_concurrent_calls: 2,
      leads: { statuses: ['new', 'contacted'], intents: null },
      days: ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'], window_start: '09:00', window_end: '19:00',
    });

    await user.clear(within(form).getByLabelText('Caller ID'));
    await user.click(within(form).getByRole('button', { name: 'Create campaign' }));
    await waitFor(() => expect(router.state.location.pathname).toBe('/campaigns/7'));
    expect(bodies[1]).toMatchObject({ caller_id: null });
    expect(await screen.findByRole('heading', { level: 1, name: 'Spring buyers' })).toBeInTheDocument();
  }, 30_000);

  it('calls chosen leads when they are picked from the leads list', async () => {
    signInAs(userByRole('admin'));
    const { user } = await renderApp('/campaigns/new');
    const form = await screen.findByRole('form', { name: 'New campaign' });
    await user.type(within(form).getByLabelText('Name'), 'Two leads');
    await user.type(within(form).getByLabelText('Goal'), 'Checking in');
    await user.selectOptions(within(form).getByLabelText('Choose leads by'), 'ids');
    await user.click(within(form).getByRole('button', { name: 'Create campaign' }));
    expect(await within(form).findByText('Choose at least one lead')).toBeInTheDocument();
    expect(bodies).toHaveLength(0);

    await user.click(await within(form).findByRole('button', { name: 'Add John Smith' }));
    await user.click(within(form).getByRole('button', { name: 'Add Maria Lopez' }));
    expect(within(form).getByText('2 leads chosen')).toBeInTheDocument();
    await user.click(within(form).getByRole('button', { name: 'Remove Maria Lopez' }));
    await user.click(within(form).getByRole('button', { name: 'Create campaign' }));
    await waitFor(() => expect(bodies).toHaveLength(1));
    expect(bodies[0]!.leads).toEqual({ lead_ids: [2] });
  }, 30_000);

  it('changes a paused campaign with a PUT, keeping its leads (fixed once started)', async () => {
    const paused = campaign(8, { name: 'Paused one', state: 'paused', leads: { lead_ids: [1, 2] }, max_attempts: 4, days: ['monday'] });
    const puts: Record<string, unknown>[] = [];
    server.use(
      http.get('*/campaigns/8', () => HttpResponse.json(paused)),
      http.get('*/campaigns/8/leads', () => HttpResponse.json({ items: [], total: 0, page: 1, page_size: 25 })),
      http.put('*/campaigns/8', async ({ request }) => {
        const body = (await request.json()) as Record<string, unknown>;
        puts.push(body);
        return HttpResponse.json({ ...paused, name: body.name });
      }),
    );
    signInAs(userByRole('manager'));
    const { user, router } = await renderApp('/campaigns/8/edit');
    const form = await screen.findByRole('form', { name: 'Edit campaign' });
    expect(within(form).getByRole('group', { name: 'Leads (fixed once started)' })).toBeDisabled();
    expect(within(form).getByText('2 leads chosen')).toBeInTheDocument();
    // The saved ids come back as names, not "Lead #1".
    const chosen = within(form).getByRole('list', { name: 'Chosen leads' });
    expect(await within(chosen).findByRole('button', { name: 'Remove Maria Lopez' })).toBeInTheDocument();
    expect(await within(chosen).findByRole('button', { name: 'Remove John Smith' })).toBeInTheDocument();
    expect(within(chosen).queryByText(/Lead #/)).not.toBeInTheDocument();
    await user.clear(within(form).getByLabelText('Name'));
    await user.type(within(form).getByLabelText('Name'), 'Paused, renamed');
    await user.click(within(form).getByRole('button', { name: 'Save changes' }));
    await waitFor(() => expect(router.state.location.pathname).toBe('/campaigns/8'));
    expect(puts[0]).toMatchObject({ name: 'Paused, renamed', leads: { lead_ids: [1, 2] }, max_attempts: 4, days: ['monday'] });
  }, 30_000);

  it('refuses to edit a running campaign and says why', async () => {
    server.use(http.get('*/campaigns/9', () => HttpResponse.json(campaign(9, { state: 'running' }))));
    signInAs(userByRole('manager'));
    await renderApp('/campaigns/9/edit');
    expect(await screen.findByText(/A running campaign cannot be changed; pause it first/)).toBeInTheDocument();
    expect(screen.queryByRole('form')).not.toBeInTheDocument();
  });
});
