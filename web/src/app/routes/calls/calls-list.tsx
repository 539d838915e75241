import { useState } from 'react';
import { Link } from 'react-router';
import { Button } from '@/components/ui/button';
import { Card, PageHeader } from '@/components/ui/card';
import { Pagination } from '@/components/ui/pagination';
import { Alert, EmptyState, ErrorState, LoadingState } from '@/components/ui/states';
import { paths } from '@/config/paths';
import { exportCalls, useCalls } from '@/features/calls/api/get-calls';
import { CallsFilters } from '@/features/calls/components/calls-filters';
import { CallsTable } from '@/features/calls/components/calls-table';
import { useAgents } from '@/features/users/api/get-agents';
import { can } from '@/lib/authorization';
import { dayEndIso, dayStartIso } from '@/lib/dates';
import { filterFieldError, rangeError } from '@/lib/range-errors';
import { useSession } from '@/lib/session-store';
import { useUrlFilters } from '@/lib/use-url-filters';
import { useDocumentTitle } from '@/lib/use-document-title';

const keys = ['q', 'status', 'direction', 'outcome', 'sentiment', 'agent_id', 'from', 'to', 'sort', 'include_tests'] as const;

/** Server-paged (25/50/100 rows a page), so a history of thousands of calls stays as fast as ten. */
export default function CallsListPage() {
  useDocumentTitle('Calls');
  const user = useSession((s) => s.user);
  const isManager = can.viewTeamReports(user);
  const agents = useAgents(isManager);
  const { filters, page, pageSize, setFilters, setPage, setPageSize, clear } = useUrlFilters(keys);
  const serverFilters = {
    ...filters,
    from: filters.from ? dayStartIso(filters.from) : undefined,
    to: filters.to ? dayEndIso(filters.to) : undefined,
  };
  const datesError = rangeError.dates(filters.from, filters.to);
  const query = useCalls({ ...serverFilters, page, page_size: pageSize }, { enabled: !datesError });
  const errors = { from: filterFieldError(query.error, 'from'), to: datesError ?? filterFieldError(query.error, 'to') };
  const [exporting, setExporting] = useState(false);
  const [exportError, setExportError] = useState<string | null>(null);
  const exportCsv = async () => {
    setExporting(true);
    setExportError(null);
    try {
      await exportCalls(serverFilters);
    } catch (error) {
      setExportError((error as Error).message || 'The export failed.');
    } finally {
      setExporting(false);
    }
  };
  return (
    <>
      <PageHeader
        title="Calls"
        actions={
          <>
            <Button variant="secondary" disabled={exporting || !!datesError} onClick={() => void exportCsv()}>
              {exporting ? 'Exporting…' : 'Export CSV'}
            </Button>
            <Link className="btn btn-secondary" to={paths.liveMonitor}>
              Live monitor
            </Link>
          </>
        }
      />
      <Card>
        {exportError ? <Alert>{exportError}</Alert> : null}
        <CallsFilters value={filters} onChange={setFilters} onClear={clear} agents={isManager ? (agents.data ?? []) : undefined} errors={errors} />
        {errors.from || errors.to ? (
          <EmptyState title="Correct the dates to see calls" />
        ) : query.isPending ? (
          <LoadingState label="Loading calls…" />
        ) : query.isError ? (
          <ErrorState error={query.error} onRetry={() => query.refetch()} />
        ) : query.data.items.length === 0 ? (
          <EmptyState title="No calls match these filters" />
        ) : (
          <>
            <CallsTable items={query.data.items} sort={filters.sort} onSort={(sort) => setFilters({ sort })} />
            <Pagination page={page} pageSize={pageSize} total={query.data.total} onPageChange={setPage} onPageSizeChange={setPageSize} />
          </>
        )}
      </Card>
    </>
  );
}
