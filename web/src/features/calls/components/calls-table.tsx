import { memo } from 'react';
import { Link } from 'react-router';
import { Badge } from '@/components/ui/badge';
import { paths } from '@/config/paths';
import { formatDateTime, formatDuration } from '@/lib/format';
import type { Call } from '@/types/api';

/** Who the call was with: the lead's name when known, else the caller's number. */
export const callerLabel = (c: Call) =>
  c.lead_name ?? c.caller_username ?? (c.direction === 'outbound' ? c.to_number : c.from_number) ?? 'Unknown caller';

const CallRow = memo(function CallRow({ call: c, compact }: { call: Call; compact: boolean }) {
  return (
    <tr>
      <td>
        <Link to={paths.call(c.id)}>{formatDateTime(c.started_at)}</Link>
      </td>
      <td>{callerLabel(c)}</td>
      <td>
        <Badge value={c.direction} />
      </td>
      <td>
        <Badge value={c.status} />
      </td>
      <td>
        <Badge value={c.outcome} />
      </td>
      <td className="num">{formatDuration(c.duration_seconds)}</td>
      {compact ? null : (
        <>
          <td>{c.agent_name ?? '—'}</td>
          <td className="summary-cell">{c.transcript_summary ?? ''}</td>
          <td>{c.has_recording ? <span className="badge badge-gray" title="Has recording">Rec</span> : null}</td>
        </>
      )}
    </tr>
  );
});

/** Rows are memoised so paging through up to 100-row pages re-renders only what changed. */
export function CallsTable({ items, compact = false }: { items: Call[]; compact?: boolean }) {
  return (
    <div className="table-wrap">
      <table>
        <thead>
          <tr>
            <th>Started</th>
            <th>Caller</th>
            <th>Direction</th>
            <th>Status</th>
            <th>Outcome</th>
            <th className="num">Duration</th>
            {compact ? null : (
              <>
                <th>Agent</th>
                <th>Summary</th>
                <th>
                  <span className="sr-only">Recording</span>
                </th>
              </>
            )}
          </tr>
        </thead>
        <tbody>
          {items.map((c) => (
            <CallRow key={c.id} call={c} compact={compact} />
          ))}
        </tbody>
      </table>
    </div>
  );
}
