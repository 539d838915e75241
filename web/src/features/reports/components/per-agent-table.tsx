import { formatDuration, formatNumber } from '@/lib/format';
import type { ReportSummary } from '../api/get-report-summary';
import { TableWrap } from '@/components/ui/table-wrap';

export function PerAgentTable({ rows }: { rows: ReportSummary['per_agent'] }) {
  return (
    <TableWrap label="Per agent">
      <table>
        <thead>
          <tr>
            <th>Agent</th>
            <th className="num">Calls</th>
            <th className="num">Avg duration</th>
            <th className="num">Leads assigned</th>
            <th className="num">Qualified</th>
            <th className="num">Showings booked</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.agent_id ?? r.agent_name ?? 'voice'}>
              <td>{r.agent_name ?? 'Voice agent (unassigned)'}</td>
              <td className="num">{formatNumber(r.calls)}</td>
              <td className="num">{formatDuration(r.average_duration_seconds)}</td>
              <td className="num">{formatNumber(r.leads_assigned)}</td>
              <td className="num">{formatNumber(r.leads_qualified)}</td>
              <td className="num">{formatNumber(r.showings_booked)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableWrap>
  );
}
