import { useQueries } from '@tanstack/react-query';
import { Link } from 'react-router';
import { ErrorState, LoadingState } from '@/components/ui/states';
import { paths } from '@/config/paths';
import { formatMoney, humanize } from '@/lib/format';
import { leadStatuses } from '@/types/api';
import { leadsQueryOptions, type LeadFilters } from '../api/get-leads';

const perColumn = 50;

/** One column per status; each column is its own request so its count is the true total, not a page's share. */
export function LeadsPipeline({ filters }: { filters: Omit<LeadFilters, 'status' | 'page' | 'page_size'> }) {
  const columns = useQueries({
    queries: leadStatuses.map((status) => leadsQueryOptions({ ...filters, status, page: 1, page_size: perColumn })),
  });
  if (columns.some((c) => c.isPending)) return <LoadingState label="Loading pipeline…" />;
  const failed = columns.find((c) => c.isError);
  if (failed) return <ErrorState error={failed.error} onRetry={() => columns.forEach((c) => c.refetch())} />;
  return (
    <div className="pipeline" aria-label="Lead pipeline">
      {leadStatuses.map((status, i) => {
        const data = columns[i]?.data;
        return (
          <section key={status} className="pipeline-column" aria-label={humanize(status)}>
            <h3>
              <span>{humanize(status)}</span>
              <span className="muted">{data?.total ?? 0}</span>
            </h3>
            {data?.items.map((l) => (
              <Link key={l.id} className="pipeline-card" to={paths.lead(l.id)}>
                <strong>{l.name}</strong>
                <div className="muted">
                  {humanize(l.intent)}
                  {l.budget_max != null ? ` · ${formatMoney(l.budget_max)}` : ''}
                </div>
                <div className="muted">{l.assigned_agent_name ?? 'Unassigned'}</div>
              </Link>
            ))}
            {data && data.total > data.items.length ? (
              <p className="muted">+{data.total - data.items.length} more — use the table view</p>
            ) : null}
          </section>
        );
      })}
    </div>
  );
}
