import { useEffect, useRef, useState } from 'react';
import { Link } from 'react-router';
import { formatDateTime } from '@/lib/format';
import { useNotifications } from '../api/get-notifications';
import { useMarkAllRead, useMarkRead } from '../api/mark-read';
import { useNotificationsHub } from '../api/use-notifications-hub';

/** The header's bell: the unread count, and a panel of my latest notifications (unread first). */
export function NotificationBell() {
  useNotificationsHub();
  const { data } = useNotifications();
  const markRead = useMarkRead();
  const markAll = useMarkAllRead();
  const [open, setOpen] = useState(false);
  const root = useRef<HTMLDivElement>(null);
  const unread = data?.unread ?? 0;

  useEffect(() => {
    if (!open) return;
    const onKey = (e: KeyboardEvent) => e.key === 'Escape' && setOpen(false);
    const onClick = (e: MouseEvent) => !root.current?.contains(e.target as Node) && setOpen(false);
    document.addEventListener('keydown', onKey);
    document.addEventListener('click', onClick);
    return () => {
      document.removeEventListener('keydown', onKey);
      document.removeEventListener('click', onClick);
    };
  }, [open]);

  return (
    <div className="notification-bell" ref={root}>
      <button
        type="button"
        className="btn btn-ghost"
        aria-expanded={open}
        aria-controls="notifications-panel"
        onClick={() => setOpen((o) => !o)}
      >
        <span aria-hidden="true">🔔</span>
        <span className="sr-only">Notifications</span>
        {unread > 0 && (
          <span className="badge" data-testid="unread-count" aria-label={`${unread} unread`}>
            {unread}
          </span>
        )}
      </button>
      {open && (
        <section id="notifications-panel" className="notification-panel card" aria-label="Notifications">
          <header className="notification-panel-header">
            <h2>Notifications</h2>
            <button type="button" className="btn btn-ghost" disabled={unread === 0 || markAll.isPending} onClick={() => markAll.mutate()}>
              Mark all read
            </button>
          </header>
          {data && data.items.length === 0 && <p className="muted">Nothing yet.</p>}
          <ul>
            {data?.items.map((n) => (
              <li key={n.id} className={n.read_at ? 'read' : 'unread'}>
                {n.link ? (
                  <Link
                    to={n.link}
                    onClick={() => {
                      if (!n.read_at) markRead.mutate(n.id);
                      setOpen(false);
                    }}
                  >
                    {n.title}
                  </Link>
                ) : (
                  <span>{n.title}</span>
                )}
                <span className="muted small"> · {formatDateTime(n.created_at)}</span>
                {!n.read_at && (
                  <button type="button" className="btn btn-ghost small" aria-label={`Mark read: ${n.title}`} onClick={() => markRead.mutate(n.id)}>
                    Mark read
                  </button>
                )}
              </li>
            ))}
          </ul>
        </section>
      )}
    </div>
  );
}
