import { screen, within } from '@testing-library/react';
import { http, HttpResponse } from 'msw';
import { userByRole } from '@/testing/data';
import { problem } from '@/testing/handlers';
import { server } from '@/testing/msw-server';
import { renderApp, signInAs } from '@/testing/render-app';

describe('working hours form', () => {
  it('shows "end after start" on the field and sends nothing until it is fixed', async () => {
    const sent: unknown[] = [];
    server.use(
      http.put('*/agents/:id/working-hours', async ({ request, params }) => {
        const body = (await request.json()) as { days: unknown[] };
        sent.push({ id: Number(params.id), ...body });
        return HttpResponse.json({ agent_id: Number(params.id), time_zone: 'America/Chicago', days: body.days });
      }),
    );
    const agent = userByRole('agent');
    signInAs(agent);
    const { user } = await renderApp('/calendar');
    const form = await screen.findByRole('form', { name: 'Working hours' });
    const monday = within(form).getByRole('group', { name: 'Monday' });
    const ends = within(monday).getByLabelText('Monday ends');
    await user.clear(ends);
    await user.type(ends, '08:00');
    await user.click(within(form).getByRole('button', { name: 'Save working hours' }));
    expect(await within(monday).findByText('End must be after start')).toBeInTheDocument();
    expect(ends).toHaveAttribute('aria-invalid', 'true');
    expect(sent).toEqual([]);

    await user.clear(ends);
    await user.type(ends, '18:00');
    await user.click(within(form).getByLabelText('Tuesday off'));
    await user.clear(within(form).getByLabelText('Tuesday starts'));
    await user.type(within(form).getByLabelText('Tuesday starts'), '10:00');
    await user.click(within(form).getByRole('button', { name: 'Save working hours' }));
    expect(await within(form).findByText('Working hours saved.')).toBeInTheDocument();
    expect(sent).toEqual([
      {
        id: agent.id,
        days: [
          { day: 'monday', starts: '09:00', ends: '18:00' },
          { day: 'tuesday', starts: '10:00', ends: '17:00' },
        ],
      },
    ]);
  });

  it("puts the server's 400 field error on the day it names", async () => {
    server.use(
      http.put('*/agents/:id/working-hours', () =>
        problem(400, 'One or more validation errors occurred.', { 'days[1].starts': ['Expected a time as HH:mm, e.g. 09:00.'] }),
      ),
    );
    signInAs(userByRole('manager'));
    const { user } = await renderApp('/calendar?agent=4');
    const form = await screen.findByRole('form', { name: 'Working hours' });
    await user.click(within(form).getByLabelText('Wednesday off'));
    await user.click(within(form).getByRole('button', { name: 'Save working hours' }));
    const wednesday = within(form).getByRole('group', { name: 'Wednesday' });
    expect(await within(wednesday).findByText('Expected a time as HH:mm, e.g. 09:00.')).toBeInTheDocument();
    expect(within(form).getByRole('group', { name: 'Monday' })).not.toHaveTextContent('Expected a time');
  });
});
