import { useState } from 'react';
import { Link } from 'react-router';
import { Card, PageHeader, StatCard } from '@/components/ui/card';
import { ErrorState, LoadingState } from '@/components/ui/states';
import { paths } from '@/config/paths';
import { useCallStats } from '@/features/dashboard/api/get-call-stats';
import { useLeadStatusCounts } from '@/features/dashboard/api/get-lead-status-counts';
import { useRecentActivity } from '@/features/dashboard/api/get-recent-activity';
import { LeadStatusChart, WeekCallsChart } from '@/features/dashboard/components/lazy-charts';
import { RecentCallsList, UpcomingShowingsList } from '@/features/dashboard/components/recent-lists';
import { startOfDay, startOfWeek } from '@/lib/dates';
import { formatDuration, formatNumber, formatPercent } from '@/lib/format';
import { useSession } from '@/lib/session-store';
import { useDocumentTitle } from '@/lib/use-document-title';

export default function DashboardPage() {
  useDocumentTitle('Dashboard');
  const user = useSession((s) => s.user);
  // Fixed at mount so the query keys stay stable; the queries refetch on their own interval.
  const [range] = useState(() => {
    const now = new Date();
    return {
      todayFrom: startOfDay(now).toISOString(),
      weekFrom: startOfWeek(now).toISOString(),
      to: new Date(startOfDay(now).getTime() + 86_400_000 - 1).toISOString(),
      now: new Date(Math.floor(now.getTime() / 60_000) * 60_000).toISOString(),
    };
  });
  const stats = useCallStats(range);
  const leads = useLeadStatusCounts();
  const activity = useRecentActivity(range.now);
  const s = stats.data;

  return (
    <>
      <PageHeader title={`Welcome, ${user?.name?.split(' ')[0] ?? ''}`}>
        <p className="muted">Here is how your phones are doing.</p>
      </PageHeader>
      {stats.isPending ? (
        <LoadingState label="Loading call numbers…" />
      ) : stats.isError ? (
        <ErrorState error={stats.error} onRetry={() => stats.refetch()} />
      ) : s ? (
        <div className="grid-stats" aria-label="Call statistics">
          <StatCard label="Calls today" value={formatNumber(s.today.total_calls)} />
          <StatCard label="Calls this week" value={formatNumber(s.week.total_calls)} />
          <StatCard label="Active now" value={<Link to={paths.liveMonitor}>{formatNumber(s.activeNow)}</Link>} />
          <StatCard
            label="Answer rate (week)"
            value={formatPercent(s.week.total_calls ? s.week.answered_calls / s.week.total_calls : null)}
          />
          <StatCard label="Avg duration (week)" value={formatDuration(s.week.average_duration_seconds)} />
        </div>
      ) : null}
      <div className="grid grid-2">
        <Card title="Calls this week">
          {s ? (
            <WeekCallsChart data={s.week.calls_per_day} />
          ) : stats.isError ? (
            <ErrorState error={stats.error} />
          ) : (
            <LoadingState />
          )}
        </Card>
        <Card title="Leads by status" actions={<Link to={`${paths.leads}?view=pipeline`}>Pipeline</Link>}>
          {leads.isPending ? (
            <LoadingState />
          ) : leads.isError ? (
            <ErrorState error={leads.error} onRetry={() => leads.refetch()} />
          ) : (
            <LeadStatusChart data={leads.data} />
          )}
        </Card>
        <Card title="Upcoming showings" actions={<Link to={paths.showings}>All</Link>}>
          {activity.isPending ? (
            <LoadingState />
          ) : activity.isError ? (
            <ErrorState error={activity.error} onRetry={() => activity.refetch()} />
          ) : (
            <UpcomingShowingsList showings={activity.data.upcomingShowings} />
          )}
        </Card>
        <Card title="Recent calls" actions={<Link to={paths.calls}>All</Link>}>
          {activity.isPending ? (
            <LoadingState />
          ) : activity.isError ? (
            <ErrorState error={activity.error} />
          ) : (
            <RecentCallsList calls={activity.data.recentCalls} />
          )}
        </Card>
      </div>
    </>
  );
}
