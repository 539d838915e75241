import { screen, waitFor, within } from '@testing-library/react';
import { http, HttpResponse } from 'msw';
import { userByRole } from '@/testing/data';
import { server } from '@/testing/msw-server';
import { renderApp, signInAs } from '@/testing/render-app';

describe('booking a showing from a lead', () => {
  beforeEach(() => {
    server.use(http.get('*/showings/', () => HttpResponse.json({ items: [], total: 0, page: 1, page_size: 20 })));
  });

  it("offers the assigned agent's free times for the chosen property and day, and books the one picked", async () => {
    const searches: Record<string, string>[] = [];
    const bookings: unknown[] = [];
    server.use(
      http.get('*/showings/free-slots', ({ request }) => {
        searches.push(Object.fromEntries(new URL(request.url).searchParams));
        const at = (hour: number) => {
          const start = new Date(2099, 1, 1, hour);
          return { starts_at: start.toISOString(), ends_at: new Date(start.getTime() + 3_600_000).toISOString() };
        };
        return HttpResponse.json({ agent_id: 3, property_id: 2, time_zone: 'America/Chicago', duration_minutes: 60, slots: [at(10), at(14)] });
      }),
      http.post('*/showings', async ({ request }) => {
        const body = await request.json();
        bookings.push(body);
        return HttpResponse.json({ id: 99, ...(body as object) }, { status: 201 });
      }),
    );
    signInAs(userByRole('manager'));
    const { user } = await renderApp('/leads/1'); // Maria Lopez, assigned to Alice Agent (id 3)
    const form = await screen.findByRole('form', { name: 'Book a showing' });
    const property = within(form).getByLabelText('Property');
    await within(form).findByRole('option', { name: /^101 Oak Street/ });
    await user.selectOptions(property, within(form).getByRole('option', { name: /^101 Oak Street/ }));
    // No day yet: nothing to offer.
    expect(within(form).queryByRole('group', { name: 'Free times that day' })).not.toBeInTheDocument();
    await user.type(within(form).getByLabelText('Starts at'), '2099-02-01T09:00');

    const slots = within(await within(form).findByRole('group', { name: 'Free times that day' })).getAllByRole('button');
    expect(slots).toHaveLength(2);
    expect(searches.at(-1)).toMatchObject({ agent_id: '3', property_id: '2', duration_minutes: '60' });
    await user.click(slots[1]!);
    expect(within(form).getByLabelText('Starts at')).toHaveValue('2099-02-01T14:00');
    await user.click(within(form).getByRole('button', { name: 'Book showing' }));
    await waitFor(() => expect(bookings).toHaveLength(1));
    expect(bookings[0]).toMatchObject({ lead_id: 1, property_id: 2, starts_at: new Date(2099, 1, 1, 14).toISOString() });
  });
});
