import { Link } from 'react-router';
import { Badge } from '@/components/ui/badge';
import { EmptyState } from '@/components/ui/states';
import { paths } from '@/config/paths';
import { formatDateTime, formatDuration, formatPhone } from '@/lib/format';
import type { Call, Showing } from '@/types/api';

export function RecentCallsList({ calls }: { calls: Call[] }) {
  if (calls.length === 0) return <EmptyState title="No calls yet" />;
  return (
    <ul className="list-plain" aria-label="Recent calls">
      {calls.map((c) => (
        <li key={c.id}>
          <Link to={paths.call(c.id)}>{c.lead_name ?? (c.from_number ? formatPhone(c.from_number) : 'Unknown caller')}</Link>{' '}
          <Badge value={c.outcome ?? c.status} />
          <div className="muted">
            {formatDateTime(c.started_at)} · {formatDuration(c.duration_seconds)}
          </div>
        </li>
      ))}
    </ul>
  );
}

export function UpcomingShowingsList({ showings }: { showings: Showing[] }) {
  if (showings.length === 0) return <EmptyState title="No upcoming showings" />;
  return (
    <ul className="list-plain" aria-label="Upcoming showings">
      {showings.map((s) => (
        <li key={s.id}>
          <strong>{formatDateTime(s.starts_at)}</strong> — {s.property_address ?? `Property ${s.property_id ?? ''}`}
          <div className="muted">
            {s.lead_id ? <Link to={paths.lead(s.lead_id)}>{s.lead_name ?? 'Lead'}</Link> : null}
            {s.agent_name ? ` · ${s.agent_name}` : ''}
            {s.source === 'voice_agent' ? ' · booked by the voice agent' : ''}
          </div>
        </li>
      ))}
    </ul>
  );
}
