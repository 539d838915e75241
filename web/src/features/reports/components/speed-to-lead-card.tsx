import { Card, StatCard } from '@/components/ui/card';
import { EmptyState, ErrorState, LoadingState } from '@/components/ui/states';
import { formatNumber, formatPercent } from '@/lib/format';
import { type ReportRange } from '../api/get-report-summary';
import { type SpeedToLeadReport, useSpeedToLead } from '../api/get-speed-to-lead';
import { TableWrap } from '@/components/ui/table-wrap';

/** Seconds as "12 s" or "3 min 5 s"; an em dash when nothing was called. */
export const formatSeconds = (seconds: number | null | undefined) => {
  if (seconds == null) return '—';
  const whole = Math.round(seconds);
  return whole < 60 ? `${whole} s` : `${Math.floor(whole / 60)} min ${whole % 60} s`;
};

export function SpeedToLeadFigures({ report }: { report: SpeedToLeadReport }) {
  return (
    <>
      <div className="grid-stats">
        <StatCard label="Median intake to first ring" value={formatSeconds(report.median_seconds)} hint={`p90 ${formatSeconds(report.p90_seconds)}`} />
        <StatCard
          label={`Called within ${report.target_seconds} s`}
          value={formatPercent(report.called ? report.within_target / report.called : null)}
          hint={`${formatNumber(report.within_target)} of ${formatNumber(report.called)} called`}
        />
        <StatCard label="Not yet called" value={formatNumber(report.not_yet_called)} hint={`of ${formatNumber(report.leads)} web leads`} />
      </div>
      {report.weeks.length ? (
        <TableWrap label="Speed to lead per week">
          <table aria-label="Speed to lead per week">
            <thead>
              <tr>
                <th>Week</th>
                <th className="num">Web leads</th>
                <th className="num">Median</th>
                <th className="num">p90</th>
                <th className="num">Within {report.target_seconds} s</th>
                <th className="num">Later</th>
                <th className="num">Not yet called</th>
              </tr>
            </thead>
            <tbody>
              {report.weeks.map((w) => (
                <tr key={w.week}>
                  <td>{w.week}</td>
                  <td className="num">{formatNumber(w.leads)}</td>
                  <td className="num">{formatSeconds(w.median_seconds)}</td>
                  <td className="num">{formatSeconds(w.p90_seconds)}</td>
                  <td className="num">{formatNumber(w.within_target)}</td>
                  <td className="num">{formatNumber(w.later)}</td>
                  <td className="num">{formatNumber(w.not_yet_called)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
      ) : (
        <EmptyState title="No web leads queued for a call in this range" />
      )}
    </>
  );
}

/** The Reports page's speed-to-lead section: how fast web-form leads get their first ring. */
export function SpeedToLeadCard({ range, enabled = true }: { range: ReportRange; enabled?: boolean }) {
  const query = useSpeedToLead(range, { enabled });
  return (
    <Card title="Speed to lead">
      {query.isPending ? (
        <LoadingState label="Loading speed to lead…" />
      ) : query.isError ? (
        <ErrorState error={query.error} onRetry={() => query.refetch()} />
      ) : !query.data.enabled && query.data.leads === 0 ? (
        <EmptyState title="Speed to lead is off (SPEED_TO_LEAD=off on the server)" />
      ) : (
        <SpeedToLeadFigures report={query.data} />
      )}
    </Card>
  );
}
