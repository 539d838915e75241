import { Link } from 'react-router';
import { Badge } from '@/components/ui/badge';
import { Card, DescriptionList } from '@/components/ui/card';
import { paths } from '@/config/paths';
import { formatDateTime, formatDuration, formatPhone, humanize } from '@/lib/format';
import type { CallDetail } from '../api/get-call';
import { callerLabel } from './calls-table';

export function CallSummary({ call: c }: { call: CallDetail }) {
  return (
    <Card title="Call">
      {c.failure_reason ? <div className="alert alert-error">Failed: {c.failure_reason}</div> : null}
      <DescriptionList
        items={[
          ['Caller', c.lead_id ? <Link key="l" to={paths.lead(c.lead_id)}>{callerLabel(c)}</Link> : callerLabel(c)],
          ['Direction', <Badge key="d" value={c.direction} />],
          ...(c.purpose ? [['Purpose', c.purpose] as [string, string]] : []),
          ['Status', <Badge key="s" value={c.status} />],
          ['Outcome', <Badge key="o" value={c.outcome} />],
          ['From', formatPhone(c.from_number)],
          ['To', formatPhone(c.to_number)],
          ['Started', formatDateTime(c.started_at)],
          ['Answered', formatDateTime(c.answered_at)],
          ['Ended', formatDateTime(c.ended_at)],
          ['Duration', formatDuration(c.duration_seconds)],
          ['Agent', c.agent_name ?? '—'],
          ['Reception', humanize(c.reception_status)],
          ['Call SID', <code key="sid">{c.call_sid ?? '—'}</code>],
        ]}
      />
      <h3 className="subheading">Summary</h3>
      <p>{c.transcript_summary || <span className="muted">No summary yet.</span>}</p>
    </Card>
  );
}
