import { screen } from '@testing-library/react';
import { http, HttpResponse } from 'msw';
import { userByRole } from '@/testing/data';
import { server } from '@/testing/msw-server';
import { renderApp, signInAs } from '@/testing/render-app';

describe('have the agent call', () => {
  let placed: unknown[];
  beforeEach(() => {
    placed = [];
    server.use(
      http.get('*/showings/', () => HttpResponse.json({ items: [], total: 0, page: 1, page_size: 20 })),
      http.post('*/calls/outbound', async ({ request }) => {
        placed.push(await request.json());
        return HttpResponse.json({ call_id: 41, call_sid: 'CA41', status: 'queued', lead_id: 1 }, { status: 202 });
      }),
    );
  });
  afterEach(() => vi.restoreAllMocks());

  it('asks first, naming the lead and number, and dials nobody when the user declines', async () => {
    const confirm = vi.spyOn(window, 'confirm').mockReturnValue(false);
    signInAs(userByRole('manager'));
    const { user } = await renderApp('/leads/1');
    await user.click(await screen.findByRole('button', { name: 'Have the agent call' }));
    expect(confirm).toHaveBeenCalledWith(expect.stringContaining('Maria Lopez at (512) 555-0111'));
    expect(placed).toEqual([]);
  });

  it('places the call once confirmed and links to the call it created', async () => {
    vi.spyOn(window, 'confirm').mockReturnValue(true);
    signInAs(userByRole('manager'));
    const { user } = await renderApp('/leads/1');
    await user.click(await screen.findByRole('button', { name: 'Have the agent call' }));
    expect(await screen.findByRole('link', { name: 'open call' })).toHaveAttribute('href', '/calls/41');
    expect(placed).toEqual([{ lead_id: 1 }]);
    expect(screen.getByRole('button', { name: 'Have the agent call' })).toBeDisabled();
  });

  it('says in plain words why the server refused', async () => {
    vi.spyOn(window, 'confirm').mockReturnValue(true);
    server.use(
      http.post('*/calls/outbound', () =>
        HttpResponse.json(
          { title: 'Unprocessable Entity', status: 422, detail: 'It is 21:30 for the lead (America/Chicago): calls are allowed 09:00-20:00.', code: 'outside_calling_hours' },
          { status: 422, headers: { 'content-type': 'application/problem+json' } },
        ),
      ),
    );
    signInAs(userByRole('manager'));
    const { user } = await renderApp('/leads/1');
    await user.click(await screen.findByRole('button', { name: 'Have the agent call' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('calls are allowed 09:00-20:00');
  });
});
