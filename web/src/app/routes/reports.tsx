import { Button } from '@/components/ui/button';
import { Card, PageHeader, StatCard } from '@/components/ui/card';
import { EmptyState, ErrorState, LoadingState } from '@/components/ui/states';
import { useReportSummary } from '@/features/reports/api/get-report-summary';
import { DateRangePicker } from '@/features/reports/components/date-range-picker';
import { PerAgentTable } from '@/features/reports/components/per-agent-table';
import { CallsPerDayChart, FunnelChart, OutcomesChart } from '@/features/reports/components/lazy-charts';
import { reportToCsv } from '@/features/reports/components/report-csv';
import { SpeedToLeadCard } from '@/features/reports/components/speed-to-lead-card';
import { can } from '@/lib/authorization';
import { downloadText } from '@/lib/csv';
import { addDays, toDateInput } from '@/lib/dates';
import { formatDuration, formatNumber, formatPercent } from '@/lib/format';
import { filterFieldError, rangeError } from '@/lib/range-errors';
import { useSession } from '@/lib/session-store';
import { useUrlFilters } from '@/lib/use-url-filters';
import { useDocumentTitle } from '@/lib/use-document-title';

export default function ReportsPage() {
  const user = useSession((s) => s.user);
  const team = can.viewTeamReports(user);
  useDocumentTitle(team ? 'Reports' : 'My performance');
  const { filters, setFilters } = useUrlFilters(['from', 'to'] as const);
  const today = new Date();
  const range = { from: filters.from || toDateInput(addDays(today, -29)), to: filters.to || toDateInput(today) };
  const datesError = rangeError.dates(range.from, range.to);
  const query = useReportSummary(range, { enabled: !datesError });
  const errors = { from: filterFieldError(query.error, 'from'), to: datesError ?? filterFieldError(query.error, 'to') };
  const r = errors.from || errors.to ? undefined : query.data;

  return (
    <>
      <PageHeader
        title={team ? 'Reports' : 'My performance'}
        actions={
          <Button variant="secondary" disabled={!r} onClick={() => r && downloadText(`estate-voice-report_${range.from}_${range.to}.csv`, reportToCsv(r))}>
            Export CSV
          </Button>
        }
      />
      <Card>
        <DateRangePicker value={range} onChange={(next) => setFilters(next)} today={today} errors={errors} />
      </Card>
      {errors.from || errors.to ? (
        <EmptyState title="Correct the dates to see the report" />
      ) : query.isPending ? (
        <LoadingState label="Loading report…" />
      ) : query.isError ? (
        <ErrorState error={query.error} onRetry={() => query.refetch()} />
      ) : !r ? null : (
        <>
          <div className="grid-stats">
            <StatCard label="Calls" value={formatNumber(r.total_calls)} />
            <StatCard label="Answer rate" value={formatPercent(r.total_calls ? r.answered_calls / r.total_calls : null)} hint={`${formatNumber(r.answered_calls)} answered`} />
            <StatCard label="Avg duration" value={formatDuration(r.average_duration_seconds)} />
            <StatCard label="Leads created" value={formatNumber(r.leads_created)} />
            <StatCard label="Leads qualified" value={formatNumber(r.leads_qualified)} />
            <StatCard label="Showings booked" value={formatNumber(r.showings_booked)} />
          </div>
          <div className="grid grid-2">
            <Card title="Calls per day">
              {r.calls_per_day.length ? <CallsPerDayChart data={r.calls_per_day} /> : <EmptyState title="No calls in this range" />}
            </Card>
            <Card title="Outcomes">
              {r.outcomes.length ? <OutcomesChart data={r.outcomes} /> : <EmptyState title="No outcomes yet" />}
            </Card>
            <Card title="Conversion funnel">
              <FunnelChart funnel={r.funnel ?? { leads: r.leads_created, qualified: r.leads_qualified, showing: r.showings_booked }} />
            </Card>
          </div>
          <Card title={team ? 'Per agent' : 'My numbers'}>
            {r.per_agent.length ? <PerAgentTable rows={r.per_agent} /> : <EmptyState title="No agent activity in this range" />}
          </Card>
          <SpeedToLeadCard range={range} />
        </>
      )}
    </>
  );
}
