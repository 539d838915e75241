import { toCsv } from '@/lib/csv';
import type { ReportSummary } from '../api/get-report-summary';

/** One CSV with a section per table, so a spreadsheet opens the whole report at once. */
export function reportToCsv(r: ReportSummary): string {
  const parts = [
    toCsv(['metric', 'value'], [
      ['from', r.from ?? ''],
      ['to', r.to ?? ''],
      ['total_calls', r.total_calls],
      ['answered_calls', r.answered_calls],
      ['average_duration_seconds', r.average_duration_seconds ?? ''],
      ['leads_created', r.leads_created],
      ['leads_qualified', r.leads_qualified],
      ['showings_booked', r.showings_booked],
    ]),
    toCsv(['date', 'total', 'inbound', 'outbound'], r.calls_per_day.map((d) => [d.date, d.total, d.inbound, d.outbound])),
    toCsv(['outcome', 'count'], r.outcomes.map((o) => [o.outcome ?? 'none', o.count])),
    toCsv(
      ['agent_id', 'agent_name', 'calls', 'average_duration_seconds', 'leads_assigned', 'leads_qualified', 'showings_booked'],
      r.per_agent.map((a) => [a.agent_id, a.agent_name, a.calls, a.average_duration_seconds, a.leads_assigned, a.leads_qualified, a.showings_booked]),
    ),
  ];
  return parts.join('\r\n');
}
