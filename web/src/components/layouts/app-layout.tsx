import { Suspense, useEffect, useRef, useState, type ReactNode } from 'react';
import { NavLink, Outlet, useLocation, useNavigate } from 'react-router';
import { useQueryClient } from '@tanstack/react-query';
import { paths } from '@/config/paths';
import { humanize } from '@/lib/format';
import { useSession } from '@/lib/session-store';
import { LoadingState } from '@/components/ui/states';
import { navItemsFor } from './nav-items';

/** `headerActions`: what the app puts beside the user's name (the notification bell), composed in the router. */
export function AppLayout({ headerActions }: { headerActions?: ReactNode } = {}) {
  const user = useSession((s) => s.user);
  const signOut = useSession((s) => s.signOut);
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const location = useLocation();
  const [menuOpen, setMenuOpen] = useState(false);
  const [lastPath, setLastPath] = useState(location.pathname);
  // Close the phone-width menu after navigating (state adjusted during render, no effect needed).
  if (lastPath !== location.pathname) {
    setLastPath(location.pathname);
    setMenuOpen(false);
  }
  const menuButton = useRef<HTMLButtonElement>(null);
  const menu = useRef<HTMLElement>(null);
  useEffect(() => (menuOpen ? closeMenuOnEscOrOutside(menu.current!, menuButton.current!, () => setMenuOpen(false)) : undefined), [menuOpen]);

  const logout = () => {
    signOut('signed_out');
    queryClient.clear();
    navigate(paths.login, { replace: true });
  };

  return (
    <div className="shell">
      <a href="#main" className="skip-link">
        Skip to content
      </a>
      <header className="topbar">
        <button
          type="button"
          className="menu-toggle"
          ref={menuButton}
          aria-expanded={menuOpen}
          aria-controls="sidebar"
          onClick={() => setMenuOpen((o) => !o)}
        >
          <span aria-hidden="true">☰</span>
          <span className="sr-only">Menu</span>
        </button>
        <span className="brand">Estate Voice</span>
        <div className="topbar-user">
          {headerActions}
          <span className="user-name" data-testid="current-user">
            {user?.name} <span className="muted">· {humanize(user?.role)}</span>
          </span>
          <button type="button" className="btn btn-ghost" onClick={logout}>
            Sign out
          </button>
        </div>
      </header>
      <nav id="sidebar" ref={menu} className={`sidebar ${menuOpen ? 'open' : ''}`} aria-label="Main">
        <ul>
          {navItemsFor(user?.role).map((item) => (
            <li key={item.label}>
              <NavLink to={item.to} end={item.end}>
                {item.label}
              </NavLink>
            </li>
          ))}
        </ul>
      </nav>
      <main id="main" className="content" tabIndex={-1}>
        <Suspense fallback={<LoadingState />}>
          <Outlet />
        </Suspense>
      </main>
    </div>
  );
}

const focusable = 'a[href], button, input, select, textarea, [tabindex]:not([tabindex="-1"])';

/**
 * The phone-width menu covers the page: Esc or a tap outside it closes it, and focus goes back to the menu
 * button (unless the tap landed on something that takes focus itself). Returns the cleanup.
 */
function closeMenuOnEscOrOutside(menu: HTMLElement, button: HTMLElement, close: () => void) {
  const onKey = (e: KeyboardEvent) => {
    if (e.key !== 'Escape') return;
    close();
    button.focus();
  };
  // `click`, not `pointerdown`: it comes after the browser has moved focus for the tap, so ours wins.
  const onClick = (e: MouseEvent) => {
    const target = e.target as Element;
    if (menu.contains(target) || button.contains(target)) return;
    close();
    if (!target.closest(focusable)) button.focus();
  };
  document.addEventListener('keydown', onKey);
  document.addEventListener('click', onClick);
  return () => {
    document.removeEventListener('keydown', onKey);
    document.removeEventListener('click', onClick);
  };
}
