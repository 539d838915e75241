import { useEffect, type ReactNode } from 'react';
import { Navigate, useLocation } from 'react-router';
import { paths } from '@/config/paths';
import type { Role } from '@/types/api';
import { useSession } from './session-store';

/** Sends anonymous (or expired) visitors to the login page, remembering where they were going. */
export function RequireAuth({ children }: { children: ReactNode }) {
  const token = useSession((s) => s.token);
  const expiresAt = useSession((s) => s.expiresAt);
  const location = useLocation();
  useSessionExpiry();
  if (!token || (expiresAt !== null && expiresAt <= Date.now())) {
    const redirectTo = `${location.pathname}${location.search}`;
    return <Navigate to={`${paths.login}?redirectTo=${encodeURIComponent(redirectTo)}`} replace />;
  }
  return <>{children}</>;
}

/** Hides a page from roles that may not see it; the server enforces the same rule. */
export function RequireRole({ roles, children }: { roles: readonly Role[]; children: ReactNode }) {
  const user = useSession((s) => s.user);
  if (!user || !roles.includes(user.role)) return <Forbidden />;
  return <>{children}</>;
}

export function Forbidden() {
  return (
    <div className="state state-error" role="alert">
      <p className="state-title">You do not have access to this page</p>
      <p>Ask an administrator if you think you should.</p>
    </div>
  );
}

/** Signs out the moment the token expires, rather than at the next failing request. */
export function useSessionExpiry() {
  const expiresAt = useSession((s) => s.expiresAt);
  const signOut = useSession((s) => s.signOut);
  useEffect(() => {
    if (expiresAt === null) return;
    const ms = expiresAt - Date.now();
    if (ms <= 0) {
      signOut('expired');
      return;
    }
    // setTimeout caps at ~24.8 days; longer tokens are re-checked on the next mount.
    const timer = setTimeout(() => signOut('expired'), Math.min(ms, 2_147_000_000));
    return () => clearTimeout(timer);
  }, [expiresAt, signOut]);
}
