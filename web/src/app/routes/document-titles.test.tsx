import { waitFor } from '@testing-library/react';
import { userByRole } from '@/testing/data';
import { renderApp, signInAs, signOut } from '@/testing/render-app';

/** Every route names itself in the browser tab, so tabs, history and bookmarks can be told apart. */
describe('document titles', () => {
  const expected: [string, string][] = [
    ['/', 'Dashboard'],
    ['/properties', 'Properties'],
    ['/properties/new', 'New property'],
    ['/properties/1', '100 Oak Street'],
    ['/properties/1/edit', 'Edit 100 Oak Street'],
    ['/leads', 'Leads'],
    ['/leads/new', 'New lead'],
    ['/leads/import', 'Import leads'],
    ['/leads/1', 'Maria Lopez'],
    ['/calls', 'Calls'],
    ['/calls/7', 'Call with Maria Lopez'],
    ['/showings', 'Showings'],
    ['/tasks', 'My tasks'],
    ['/tasks/team', 'Team tasks'],
    ['/calendar', 'Calendar'],
    ['/reports', 'Reports'],
    ['/test-call', 'Test call'],
    ['/admin/users', 'Users'],
    ['/admin/webhook-events', 'Webhook events'],
    ['/admin/webhook-deliveries', 'Webhook deliveries'],
    ['/admin/integrations', 'Integrations'],
    ['/no-such-page', 'Page not found'],
  ];

  it.each(expected)('%s is "%s · Estate Voice"', async (path, title) => {
    signInAs(userByRole('admin'));
    await renderApp(path);
    await waitFor(() => expect(document.title).toBe(`${title} · Estate Voice`), { timeout: 8000 });
  }, 10_000);

  it('the sign-in page has its own title', async () => {
    signOut();
    await renderApp('/login');
    await waitFor(() => expect(document.title).toBe('Sign in · Estate Voice'));
  });

  it('no two routes share a title', () => {
    const titles = [...expected.map(([, t]) => t), 'Live monitor' /* needs the hub: seen in e2e 06 */, 'Sign in'];
    expect(new Set(titles).size).toBe(titles.length);
  });
});
