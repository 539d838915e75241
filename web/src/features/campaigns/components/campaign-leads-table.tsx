import { Link } from 'react-router';
import { Badge } from '@/components/ui/badge';
import { paths } from '@/config/paths';
import { formatDateTime } from '@/lib/format';
import type { CampaignLead } from '../api/get-campaign-leads';
import { TableWrap } from '@/components/ui/table-wrap';

/** Why a lead was skipped or ended where it did, in words a manager understands (the server's code is the key). */
const reasons: Record<string, string> = {
  do_not_call: 'On the do-not-call list',
  national_dnc_registry: 'On the national do-not-call registry',
  no_consent: 'Has not agreed to be called',
  outside_calling_hours: 'Outside the calling hours',
  quiet_day: 'A day without calls (a holiday or quiet day)',
  attempt_cap: 'Called as many times as allowed',
  campaign_stopped: 'The campaign was stopped first',
  voicemail: 'Reached voicemail',
  no_answer: 'Nobody answered',
  busy: 'The line was busy',
  failed: 'The call could not be placed',
};

export const reasonText = (row: Pick<CampaignLead, 'reason_code' | 'reason'>) =>
  (row.reason_code ? reasons[row.reason_code] : undefined) ?? row.reason ?? (row.reason_code ? row.reason_code.replace(/_/g, ' ') : '');

export function CampaignLeadsTable({ rows }: { rows: CampaignLead[] }) {
  return (
    <TableWrap label="Campaign leads">
      <table aria-label="Campaign leads">
        <thead>
          <tr>
            <th>Lead</th>
            <th>Phone</th>
            <th>State</th>
            <th className="num">Attempts</th>
            <th>Last call</th>
            <th>Next attempt</th>
            <th>Why</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.id}>
              <td>
                <Link to={paths.lead(r.lead_id)}>{r.lead_name}</Link>
              </td>
              <td>{r.lead_phone}</td>
              <td>
                <Badge value={r.state} />
              </td>
              <td className="num">{r.attempts}</td>
              <td>{r.last_call_id != null ? <Link to={paths.call(r.last_call_id)}>Call #{r.last_call_id}</Link> : '—'}</td>
              <td>{r.next_attempt_at ? formatDateTime(r.next_attempt_at) : '—'}</td>
              <td className="summary-cell">{reasonText(r)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableWrap>
  );
}
