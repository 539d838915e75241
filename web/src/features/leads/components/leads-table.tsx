import { Link } from 'react-router';
import { Badge } from '@/components/ui/badge';
import { paths } from '@/config/paths';
import { formatDate, formatMoney, formatPhone, humanize } from '@/lib/format';
import type { Lead } from '@/types/api';

const budget = (l: Lead) =>
  l.budget_min == null && l.budget_max == null
    ? '—'
    : `${formatMoney(l.budget_min)} – ${formatMoney(l.budget_max)}`.replace(/^— – /, 'up to ');

export function LeadsTable({ items }: { items: Lead[] }) {
  return (
    <div className="table-wrap">
      <table>
        <thead>
          <tr>
            <th>Name</th>
            <th>Phone</th>
            <th>Status</th>
            <th>Intent</th>
            <th>Budget</th>
            <th>Agent</th>
            <th>Flags</th>
            <th>Created</th>
          </tr>
        </thead>
        <tbody>
          {items.map((l) => (
            <tr key={l.id}>
              <td>
                <Link to={paths.lead(l.id)}>{l.name}</Link>
              </td>
              <td className="nowrap">{formatPhone(l.phone)}</td>
              <td>
                <Badge value={l.status} />
              </td>
              <td>{humanize(l.intent)}</td>
              <td>{budget(l)}</td>
              <td>{l.assigned_agent_name ?? <span className="muted">Unassigned</span>}</td>
              <td>
                {l.do_not_call ? <Badge value="do_not_call" label="DNC" /> : null}{' '}
                {l.pre_approved ? <span className="badge badge-green">Pre-approved</span> : null}
              </td>
              <td>{formatDate(l.created_at)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
