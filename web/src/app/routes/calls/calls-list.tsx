import { Link } from 'react-router';
import { Card, PageHeader } from '@/components/ui/card';
import { Pagination } from '@/components/ui/pagination';
import { EmptyState, ErrorState, LoadingState } from '@/components/ui/states';
import { paths } from '@/config/paths';
import { useCalls } from '@/features/calls/api/get-calls';
import { CallsFilters } from '@/features/calls/components/calls-filters';
import { CallsTable } from '@/features/calls/components/calls-table';
import { useAgents } from '@/features/users/api/get-agents';
import { can } from '@/lib/authorization';
import { dayEndIso, dayStartIso } from '@/lib/dates';
import { useSession } from '@/lib/session-store';
import { useUrlFilters } from '@/lib/use-url-filters';

const keys = ['q', 'status', 'direction', 'outcome', 'agent_id', 'from', 'to'] as const;

/** Server-paged (25/50/100 rows a page), so a history of thousands of calls stays as fast as ten. */
export default function CallsListPage() {
  const user = useSession((s) => s.user);
  const isManager = can.viewTeamReports(user);
  const agents = useAgents(isManager);
  const { filters, page, pageSize, setFilters, setPage, setPageSize, clear } = useUrlFilters(keys);
  const query = useCalls({
    ...filters,
    from: filters.from ? dayStartIso(filters.from) : undefined,
    to: filters.to ? dayEndIso(filters.to) : undefined,
    page,
    page_size: pageSize,
  });
  return (
    <>
      <PageHeader
        title="Calls"
        actions={
          <Link className="btn btn-secondary" to={paths.liveMonitor}>
            Live monitor
          </Link>
        }
      />
      <Card>
        <CallsFilters value={filters} onChange={setFilters} onClear={clear} agents={isManager ? (agents.data ?? []) : undefined} />
        {query.isPending ? (
          <LoadingState label="Loading calls…" />
        ) : query.isError ? (
          <ErrorState error={query.error} onRetry={() => query.refetch()} />
        ) : query.data.items.length === 0 ? (
          <EmptyState title="No calls match these filters" />
        ) : (
          <>
            <CallsTable items={query.data.items} />
            <Pagination page={page} pageSize={pageSize} total={query.data.total} onPageChange={setPage} onPageSizeChange={setPageSize} />
          </>
        )}
      </Card>
    </>
  );
}
