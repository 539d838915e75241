import { isRouteErrorResponse, Link, useRouteError } from 'react-router';
import { useDocumentTitle } from '@/lib/use-document-title';

/** Last-resort page for render errors (including a chunk that failed to download after a deploy). */
export function RouteError() {
  useDocumentTitle('Something went wrong');
  const error = useRouteError();
  const message = isRouteErrorResponse(error)
    ? `${error.status} ${error.statusText}`
    : error instanceof Error
      ? error.message
      : 'Unknown error';
  return (
    <div className="state state-error page-error" role="alert">
      <p className="state-title">Something went wrong</p>
      <p>{message}</p>
      <p>
        <button type="button" className="btn btn-secondary" onClick={() => window.location.reload()}>
          Reload
        </button>{' '}
        <Link to="/">Go to the dashboard</Link>
      </p>
    </div>
  );
}
