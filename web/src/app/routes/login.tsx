import { Navigate, useNavigate, useSearchParams } from 'react-router';
import { LoginForm } from '@/features/auth/components/login-form';
import { useSession } from '@/lib/session-store';
import { useDocumentTitle } from '@/lib/use-document-title';

const notices = {
  expired: 'Your session expired. Please sign in again.',
  unauthorized: 'Your session ended. Please sign in again.',
  signed_out: null,
} as const;

/** Only same-app paths are accepted as a redirect target, so a crafted link cannot send users elsewhere. */
const safeRedirect = (value: string | null) => (value && value.startsWith('/') && !value.startsWith('//') ? value : '/');

export default function LoginPage() {
  useDocumentTitle('Sign in');
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const token = useSession((s) => s.token);
  const reason = useSession((s) => s.lastLogoutReason);
  const redirectTo = safeRedirect(params.get('redirectTo'));
  if (token) return <Navigate to={redirectTo} replace />;
  return (
    <div className="login-page">
      <div className="login-card">
        <h1>Estate Voice</h1>
        <p className="muted">Sign in to your team workspace</p>
        <LoginForm notice={reason ? notices[reason] : null} onSuccess={() => navigate(redirectTo, { replace: true })} />
      </div>
    </div>
  );
}
