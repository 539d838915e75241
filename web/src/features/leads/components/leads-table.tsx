import { Link } from 'react-router';
import { Badge } from '@/components/ui/badge';
import { paths } from '@/config/paths';
import { formatDate, formatMoney, formatPhone, humanize } from '@/lib/format';
import type { Lead } from '@/types/api';

const budget = (l: Lead) =>
  l.budget_min == null && l.budget_max == null
    ? '—'
    : `${formatMoney(l.budget_min)} – ${formatMoney(l.budget_max)}`.replace(/^— – /, 'up to ');

/** Column → the server's `sort` key (LeadSearch.Sorts); columns without one are not sortable. */
const columns: [label: string, sortKey: string | null][] = [
  ['Name', 'name'],
  ['Phone', 'phone'],
  ['Status', 'status'],
  ['Intent', 'intent'],
  ['Budget', 'budget_max'],
  ['Agent', 'assigned_agent_name'],
  ['Flags', null],
  ['Created', 'created_at'],
];

type Props = { items: Lead[]; sort?: string; onSort?: (sort: string) => void };

export function LeadsTable({ items, sort = '-created_at', onSort }: Props) {
  const header = ([label, key]: [string, string | null]) => {
    if (!key || !onSort) return <th key={label}>{label}</th>;
    const active = sort === key || sort === `-${key}`;
    const descending = sort === `-${key}`;
    return (
      <th key={label} aria-sort={active ? (descending ? 'descending' : 'ascending') : 'none'}>
        <button type="button" className="sort sort-button" onClick={() => onSort(active && !descending ? `-${key}` : key)}>
          {label} {active ? (descending ? '▼' : '▲') : ''}
        </button>
      </th>
    );
  };
  return (
    <div className="table-wrap">
      <table aria-label="Leads">
        <thead>
          <tr>{columns.map(header)}</tr>
        </thead>
        <tbody>
          {items.map((l) => (
            <tr key={l.id}>
              {/* A long name is cut with an ellipsis (full name on hover) so it never pushes the other columns out. */}
              <td className="cell-truncate">
                <Link to={paths.lead(l.id)} title={l.name} className="truncate">
                  {l.name}
                </Link>
              </td>
              <td className="nowrap">{formatPhone(l.phone)}</td>
              <td>
                <Badge value={l.status} />
              </td>
              <td>{humanize(l.intent)}</td>
              <td className="nowrap">{budget(l)}</td>
              <td className="cell-truncate">
                {l.assigned_agent_name ? (
                  <span className="truncate" title={l.assigned_agent_name}>
                    {l.assigned_agent_name}
                  </span>
                ) : (
                  <span className="muted">Unassigned</span>
                )}
              </td>
              <td>
                {l.do_not_call ? <Badge value="do_not_call" label="DNC" /> : null}{' '}
                {l.pre_approved ? <span className="badge badge-green">Pre-approved</span> : null}
              </td>
              <td className="nowrap">{formatDate(l.created_at)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
