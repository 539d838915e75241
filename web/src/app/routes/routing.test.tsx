import { screen, waitFor, within } from '@testing-library/react';
import { userByRole } from '@/testing/data';
import { renderApp, signInAs } from '@/testing/render-app';
import { useSession } from '@/lib/session-store';

const navLabels = async () => {
  const nav = await screen.findByRole('navigation', { name: 'Main' });
  return within(nav)
    .getAllByRole('link')
    .map((a) => a.textContent);
};

describe('routing and guards', () => {
  it('sends an anonymous visitor to the login page and back after signing in', async () => {
    const { user, router } = await renderApp('/calls?status=completed');
    expect(await screen.findByRole('form', { name: 'Sign in' })).toBeInTheDocument();
    expect(router.state.location.search).toContain('redirectTo=%2Fcalls%3Fstatus%3Dcompleted');

    await user.type(screen.getByLabelText('Email'), 'manager@example.com');
    await user.type(screen.getByLabelText('Password'), 'password');
    await user.click(screen.getByRole('button', { name: 'Sign in' }));

    await waitFor(() => expect(router.state.location.pathname).toBe('/calls'));
    expect(router.state.location.search).toBe('?status=completed');
    expect(useSession.getState().user?.email).toBe('manager@example.com');
  });

  it('shows a clear message for a wrong password and keeps the user on the login page', async () => {
    const { user } = await renderApp('/login');
    await user.type(await screen.findByLabelText('Email'), 'agent@example.com');
    await user.type(screen.getByLabelText('Password'), 'wrong');
    await user.click(screen.getByRole('button', { name: 'Sign in' }));
    expect(await screen.findByText('Email or password is incorrect.')).toBeInTheDocument();
    expect(useSession.getState().token).toBeNull();
  });

  it('validates the login form before calling the server', async () => {
    const { user } = await renderApp('/login');
    await user.click(await screen.findByRole('button', { name: 'Sign in' }));
    expect(await screen.findByText('Enter your email')).toBeInTheDocument();
    expect(screen.getByText('Enter your password')).toBeInTheDocument();
  });

  it('gives each role exactly its navigation', async () => {
    signInAs(userByRole('agent'));
    const agent = await renderApp('/');
    expect(await navLabels()).toEqual(['Dashboard', 'Properties', 'Leads', 'Calls', 'Live monitor', 'Showings', 'Calendar', 'My tasks', 'My performance', 'Test call', 'Campaigns']);
    agent.unmount();

    signInAs(userByRole('manager'));
    const manager = await renderApp('/');
    expect(await navLabels()).toEqual(['Dashboard', 'Properties', 'Leads', 'Calls', 'Live monitor', 'Showings', 'Calendar', 'My tasks', 'Team tasks', 'Reports', 'Test call', 'Campaigns', 'Do-not-call']);
    manager.unmount();

    signInAs(userByRole('admin'));
    await renderApp('/');
    expect(await navLabels()).toEqual([
      'Dashboard', 'Properties', 'Leads', 'Calls', 'Live monitor', 'Showings', 'Calendar', 'My tasks', 'Team tasks', 'Reports', 'Test call', 'Campaigns', 'Users', 'Webhook events', 'Webhook deliveries', 'Integrations', 'Do-not-call',
    ]);
  });

  it('refuses admin pages to an agent even by direct URL', async () => {
    signInAs(userByRole('agent'));
    await renderApp('/admin/users');
    expect(await screen.findByText('You do not have access to this page')).toBeInTheDocument();
    expect(screen.queryByRole('table')).not.toBeInTheDocument();
  });

  it('refuses the team task board to an agent even by direct URL', async () => {
    signInAs(userByRole('agent'));
    await renderApp('/tasks/team');
    expect(await screen.findByText('You do not have access to this page')).toBeInTheDocument();
    expect(screen.queryByRole('table')).not.toBeInTheDocument();
  });

  it('lets an agent read campaigns but not create one or open the do-not-call list', async () => {
    signInAs(userByRole('agent'));
    const first = await renderApp('/campaigns/new');
    expect(await screen.findByText('You do not have access to this page')).toBeInTheDocument();
    first.unmount();
    await renderApp('/admin/do-not-call');
    expect(await screen.findByText('You do not have access to this page')).toBeInTheDocument();
  });

  it('keeps the session across a reload (persisted) and logs out on an expired token', async () => {
    signInAs(userByRole('manager'));
    const stored = JSON.parse(localStorage.getItem('estate-voice-session') ?? '{}') as { state?: { token?: string } };
    expect(stored.state?.token).toBe('test-token-2');

    useSession.getState().signIn('test-token-2', 1, userByRole('manager'), Date.now() - 5000);
    await renderApp('/leads');
    expect(await screen.findByText('Your session expired. Please sign in again.')).toBeInTheDocument();
  });

  it('signs out when the server rejects the token mid-session', async () => {
    useSession.getState().signIn('revoked-token', 3600, userByRole('manager'));
    await renderApp('/properties');
    expect(await screen.findByText('Your session ended. Please sign in again.')).toBeInTheDocument();
  });
});
