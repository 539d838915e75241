import { act, screen, within } from '@testing-library/react';
import { userByRole } from '@/testing/data';
import { renderApp, signInAs } from '@/testing/render-app';

describe('phone-width menu', () => {
  beforeEach(() => signInAs(userByRole('manager')));

  it('closes on Esc and gives focus back to the menu button', async () => {
    const { user } = await renderApp('/');
    const toggle = await screen.findByRole('button', { name: 'Menu' });
    await user.click(toggle);
    expect(toggle).toHaveAttribute('aria-expanded', 'true');
    const link = within(screen.getByRole('navigation', { name: 'Main' })).getAllByRole('link')[1]!;
    act(() => link.focus()); // a keyboard user is inside the menu
    await user.keyboard('{Escape}');
    expect(toggle).toHaveAttribute('aria-expanded', 'false');
    expect(toggle).toHaveFocus();
  });

  it('closes on a tap outside it, and stays open for a tap inside it', async () => {
    const { user } = await renderApp('/');
    const toggle = await screen.findByRole('button', { name: 'Menu' });
    await user.click(toggle);
    await user.click(screen.getByRole('navigation', { name: 'Main' }));
    expect(toggle).toHaveAttribute('aria-expanded', 'true');
    await user.click(screen.getByRole('main'));
    expect(toggle).toHaveAttribute('aria-expanded', 'false');
    expect(toggle).toHaveFocus();
  });

  it('Esc does nothing to a closed menu', async () => {
    const { user } = await renderApp('/');
    const toggle = await screen.findByRole('button', { name: 'Menu' });
    await user.keyboard('{Escape}');
    expect(toggle).toHaveAttribute('aria-expanded', 'false');
    expect(toggle).not.toHaveFocus();
  });
});
