import { memo } from 'react';
import { Link } from 'react-router';
import { Badge } from '@/components/ui/badge';
import { paths } from '@/config/paths';
import { formatDateTime, formatDuration, formatPhone } from '@/lib/format';
import type { Call } from '@/types/api';

/** Who the call was with: the lead's name when known, else the caller's number. */
export const callerLabel = (c: Call) => {
  const number = c.direction === 'outbound' ? c.to_number : c.from_number;
  return c.lead_name ?? c.caller_username ?? (number ? formatPhone(number) : 'Unknown caller');
};

const sentimentTones: Record<string, string> = { positive: 'green', neutral: 'gray', negative: 'red' };
// The word is for screen readers (sr-only): the mark keeps the outcome column narrow.
const sentimentMarks: Record<string, string> = { positive: '☺', neutral: '–', negative: '☹' };

/** The columns a user can sort by (the server's `sort` names) and the order a first click gives. */
const sortable = {
  started_at: { label: 'Started', firstDescending: true },
  caller: { label: 'Caller', firstDescending: false },
  status: { label: 'Status', firstDescending: false },
  outcome: { label: 'Outcome', firstDescending: false },
  duration_seconds: { label: 'Duration', firstDescending: true },
} as const;
type SortColumn = keyof typeof sortable;

/** The list's default order (the server's, when `sort` is empty): newest first. */
const defaultSort = '-started_at';

/** `sort` as column + direction. */
export function parseSort(sort: string | undefined) {
  const value = sort || defaultSort;
  const descending = value.startsWith('-');
  return { column: value.replace(/^[-+]/, ''), descending };
}

/** What clicking a column's header asks for: the same column reversed, or a new column in its natural order. */
export function nextSort(sort: string | undefined, column: SortColumn) {
  const current = parseSort(sort);
  const descending = current.column === column ? !current.descending : sortable[column].firstDescending;
  const next = (descending ? '-' : '') + column;
  return next === defaultSort ? '' : next;
}

function SortHeader({ column, sort, onSort, className }: { column: SortColumn; sort?: string; onSort?: (sort: string) => void; className?: string }) {
  const { label } = sortable[column];
  if (!onSort) return <th className={className}>{label}</th>;
  const current = parseSort(sort);
  const active = current.column === column;
  return (
    <th className={className} aria-sort={active ? (current.descending ? 'descending' : 'ascending') : undefined}>
      <button type="button" className="sort-button" onClick={() => onSort(nextSort(sort, column))}>
        {label}
        <span aria-hidden="true" className="sort-mark">
          {active ? (current.descending ? ' ▼' : ' ▲') : ' ↕'}
        </span>
      </button>
    </th>
  );
}

const CallRow = memo(function CallRow({ call: c, compact }: { call: Call; compact: boolean }) {
  return (
    <tr>
      <td>
        <Link to={paths.call(c.id)}>{formatDateTime(c.started_at)}</Link>
      </td>
      <td className="cell-title">
        {callerLabel(c)}
        {c.is_test ? (
          <>
            {' '}
            <span className="badge badge-amber">Test</span>
          </>
        ) : null}
      </td>
      <td>
        <Badge value={c.direction} />
      </td>
      <td>
        <Badge value={c.status} />
      </td>
      <td>
        <Badge value={c.outcome} />
        {c.sentiment ? (
          <>
            {' '}
            <span className={`badge badge-${sentimentTones[c.sentiment] ?? 'gray'} badge-small`} title={`Sentiment: ${c.sentiment}`}>
              {sentimentMarks[c.sentiment] ?? c.sentiment}
              <span className="sr-only">{` sentiment ${c.sentiment}`}</span>
            </span>
          </>
        ) : null}
      </td>
      <td className="num" data-label="Duration">{formatDuration(c.duration_seconds)}</td>
      {compact ? null : (
        <>
          <td data-label="Agent">{c.agent_name ?? '—'}</td>
          <td className="summary-cell cell-wide">{c.transcript_summary ?? ''}</td>
          <td>{c.has_recording ? <span className="badge badge-gray" title="Has recording">Rec</span> : null}</td>
        </>
      )}
    </tr>
  );
});

type Props = {
  items: Call[];
  compact?: boolean;
  /** The current `sort` (URL value); with `onSort` the headers of sortable columns become sort buttons. */
  sort?: string;
  onSort?: (sort: string) => void;
};

/** Rows are memoised so paging through up to 100-row pages re-renders only what changed. */
export function CallsTable({ items, compact = false, sort, onSort }: Props) {
  return (
    <div className="table-wrap table-cards">
      <table>
        <thead>
          <tr>
            <SortHeader column="started_at" sort={sort} onSort={onSort} />
            <SortHeader column="caller" sort={sort} onSort={onSort} />
            <th>Direction</th>
            <SortHeader column="status" sort={sort} onSort={onSort} />
            <SortHeader column="outcome" sort={sort} onSort={onSort} />
            <SortHeader column="duration_seconds" sort={sort} onSort={onSort} className="num" />
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
