import { screen, waitFor, within } from '@testing-library/react';
import { http, HttpResponse } from 'msw';
import { showings, userByRole } from '@/testing/data';
import { problem } from '@/testing/handlers';
import { server } from '@/testing/msw-server';
import { renderApp, signInAs } from '@/testing/render-app';

describe('reschedule dialog', () => {
  it("shows the server's 409 clash on the field, then moves the showing", async () => {
    const bodies: unknown[] = [];
    let clash = true;
    server.use(
      http.post('*/showings/:id/reschedule', async ({ request }) => {
        const body = (await request.json()) as { starts_at: string };
        bodies.push(body);
        if (clash) return problem(409, 'Conflict', undefined, 'Alice Agent already has a showing at that time.');
        return HttpResponse.json({ ...showings[0], starts_at: body.starts_at, status: 'rescheduled' });
      }),
    );
    signInAs(userByRole('manager'));
    const { user } = await renderApp('/showings');
    await user.click(await screen.findByRole('button', { name: /^Reschedule showing on/ }));
    const dialog = screen.getByRole('dialog', { name: 'Reschedule showing' });
    const field = within(dialog).getByLabelText('New date and time');
    await user.clear(field);
    await user.type(field, '2099-02-01T10:30');
    await user.click(within(dialog).getByRole('button', { name: 'Reschedule' }));
    expect(await within(dialog).findByText('Alice Agent already has a showing at that time.')).toBeInTheDocument();
    expect(field).toHaveAttribute('aria-invalid', 'true');
    expect(bodies).toEqual([{ starts_at: new Date('2099-02-01T10:30').toISOString() }]);

    clash = false;
    await user.click(within(dialog).getByRole('button', { name: 'Reschedule' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());
    expect(bodies).toHaveLength(2);
  });

  it("offers the agent's free times that day as buttons", async () => {
    const bodies: { starts_at: string }[] = [];
    server.use(
      http.post('*/showings/:id/reschedule', async ({ request }) => {
        const body = (await request.json()) as { starts_at: string };
        bodies.push(body);
        return HttpResponse.json({ ...showings[0], starts_at: body.starts_at, status: 'rescheduled' });
      }),
    );
    signInAs(userByRole('manager'));
    const { user } = await renderApp('/showings');
    await user.click(await screen.findByRole('button', { name: /^Reschedule showing on/ }));
    const dialog = screen.getByRole('dialog', { name: 'Reschedule showing' });
    const field = within(dialog).getByLabelText('New date and time');
    await user.clear(field);
    await user.type(field, '2099-02-01T09:00');
    const slots = within(await within(dialog).findByRole('group', { name: 'Free times that day' })).getAllByRole('button');
    expect(slots).toHaveLength(2);
    await user.click(slots[1]!);
    expect(field).toHaveValue('2099-02-01T14:00');
    await user.click(within(dialog).getByRole('button', { name: 'Reschedule' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());
    expect(bodies).toEqual([{ starts_at: new Date('2099-02-01T14:00').toISOString() }]);
  });

  it('refuses a time in the past without asking the server', async () => {
    let asked = false;
    server.use(http.post('*/showings/:id/reschedule', () => ((asked = true), HttpResponse.json(showings[0]))));
    signInAs(userByRole('manager'));
    const { user } = await renderApp('/showings');
    await user.click(await screen.findByRole('button', { name: /^Reschedule showing on/ }));
    const dialog = screen.getByRole('dialog');
    const field = within(dialog).getByLabelText('New date and time');
    await user.clear(field);
    await user.type(field, '2001-02-01T10:30');
    await user.click(within(dialog).getByRole('button', { name: 'Reschedule' }));
    expect(await within(dialog).findByText('Choose a time in the future')).toBeInTheDocument();
    expect(asked).toBe(false);
  });

  it('opens from the agent calendar too', async () => {
    signInAs(userByRole('manager'));
    const { user } = await renderApp('/calendar?agent=3&week=2099-01-05');
    await user.click(await screen.findByRole('button', { name: /^Reschedule Scheduled showing at/ }));
    expect(screen.getByRole('dialog', { name: 'Reschedule showing' })).toHaveTextContent('101 Oak Street');
  });
});
