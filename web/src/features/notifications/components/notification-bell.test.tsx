import { screen, within } from '@testing-library/react';
import { http, HttpResponse } from 'msw';
import { userByRole } from '@/testing/data';
import { server } from '@/testing/msw-server';
import { renderApp, signInAs } from '@/testing/render-app';

const item = (id: number, title: string, read = false) => ({
  id,
  kind: 'lead_assigned',
  title,
  link: `/leads/${id}`,
  created_at: '2026-12-03T10:00:00Z',
  read_at: read ? '2026-12-03T10:05:00Z' : null,
});

describe('notification bell', () => {
  beforeEach(() => signInAs(userByRole('agent')));

  it('shows the unread count and lists my notifications; marking one read posts it and refreshes the count', async () => {
    let notifications = [item(2, 'New lead assigned to you: Sam Rivera'), item(1, 'New lead assigned to you: Maria Lopez', true)];
    const marked: string[] = [];
    server.use(
      http.get('*/notifications/', () =>
        HttpResponse.json({
          items: notifications,
          total: notifications.length,
          page: 1,
          page_size: 20,
          unread: notifications.filter((n) => !n.read_at).length,
        }),
      ),
      http.post('*/notifications/:id/read', ({ params }) => {
        marked.push(String(params.id));
        notifications = notifications.map((n) => (String(n.id) === params.id ? { ...n, read_at: '2026-12-03T11:00:00Z' } : n));
        return new HttpResponse(null, { status: 204 });
      }),
    );
    const { user } = await renderApp('/');

    expect(await screen.findByTestId('unread-count')).toHaveTextContent('1');
    await user.click(screen.getByRole('button', { name: /Notifications/ }));
    const panel = screen.getByRole('region', { name: 'Notifications' });
    expect(within(panel).getByRole('link', { name: 'New lead assigned to you: Sam Rivera' })).toHaveAttribute('href', '/leads/2');
    expect(within(panel).getByRole('link', { name: 'New lead assigned to you: Maria Lopez' })).toBeInTheDocument();

    await user.click(within(panel).getByRole('button', { name: 'Mark read: New lead assigned to you: Sam Rivera' }));
    expect(marked).toEqual(['2']);
    await screen.findByRole('button', { name: /Notifications/ });
    await expect.poll(() => screen.queryByTestId('unread-count')).toBeNull();
  });

  it('marks all read and closes on Esc', async () => {
    let readAll = 0;
    server.use(
      http.get('*/notifications/', () =>
        HttpResponse.json({ items: [item(3, 'Campaign finished: Spring')], total: 1, page: 1, page_size: 20, unread: readAll ? 0 : 1 }),
      ),
      http.post('*/notifications/read-all', () => {
        readAll += 1;
        return HttpResponse.json({ marked: 1 });
      }),
    );
    const { user } = await renderApp('/');
    await screen.findByTestId('unread-count');
    const bell = screen.getByRole('button', { name: /Notifications/ });
    await user.click(bell);
    await user.click(screen.getByRole('button', { name: 'Mark all read' }));
    expect(readAll).toBe(1);
    await expect.poll(() => screen.queryByTestId('unread-count')).toBeNull();
    await user.keyboard('{Escape}');
    expect(bell).toHaveAttribute('aria-expanded', 'false');
    expect(screen.queryByRole('region', { name: 'Notifications' })).toBeNull();
  });
});
