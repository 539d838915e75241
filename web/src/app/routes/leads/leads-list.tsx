import { Link } from 'react-router';
import { Card, PageHeader } from '@/components/ui/card';
import { Pagination } from '@/components/ui/pagination';
import { paths } from '@/config/paths';
import { EmptyState, ErrorState, LoadingState } from '@/components/ui/states';
import { useLeads } from '@/features/leads/api/get-leads';
import { LeadsFilters } from '@/features/leads/components/leads-filters';
import { LeadsPipeline } from '@/features/leads/components/leads-pipeline';
import { LeadsTable } from '@/features/leads/components/leads-table';
import { useAgents } from '@/features/users/api/get-agents';
import { can } from '@/lib/authorization';
import { useSession } from '@/lib/session-store';
import { useUrlFilters } from '@/lib/use-url-filters';
import { useDocumentTitle } from '@/lib/use-document-title';

const keys = ['q', 'status', 'intent', 'assigned_agent_id', 'sort', 'view'] as const;

export default function LeadsListPage() {
  useDocumentTitle('Leads');
  const user = useSession((s) => s.user);
  const isManager = can.assignLeads(user);
  const { filters, page, pageSize, setFilters, setPage, setPageSize, clear } = useUrlFilters(keys);
  const { view, ...apiFilters } = filters;
  const pipeline = view === 'pipeline';
  const agents = useAgents(isManager);
  const query = useLeads({ ...apiFilters, page, page_size: pageSize });

  return (
    <>
      <PageHeader
        title={isManager ? 'Leads' : 'My leads'}
        actions={
          <>
          <Link className="btn btn-primary" to={paths.leadNew}>
            New lead
          </Link>
          {isManager ? (
            <Link className="btn btn-secondary" to={paths.leadImport}>
              Import CSV
            </Link>
          ) : null}
          <div className="segmented" role="group" aria-label="View">
            <button type="button" aria-pressed={!pipeline} onClick={() => setFilters({ view: '' })}>
              Table
            </button>
            <button type="button" aria-pressed={pipeline} onClick={() => setFilters({ view: 'pipeline' })}>
              Pipeline
            </button>
          </div>
          </>
        }
      />
      <Card>
        <LeadsFilters
          value={filters}
          onChange={setFilters}
          onClear={clear}
          agents={isManager ? (agents.data ?? []) : undefined}
          showStatus={!pipeline}
        />
        {pipeline ? (
          <LeadsPipeline filters={{ q: apiFilters.q, intent: apiFilters.intent, assigned_agent_id: apiFilters.assigned_agent_id }} />
        ) : query.isPending ? (
          <LoadingState label="Loading leads…" />
        ) : query.isError ? (
          <ErrorState error={query.error} onRetry={() => query.refetch()} />
        ) : query.data.items.length === 0 ? (
          <EmptyState title={isManager ? 'No leads match these filters' : 'No leads are assigned to you yet'} />
        ) : (
          <>
            <LeadsTable items={query.data.items} sort={filters.sort || undefined} onSort={(sort) => setFilters({ sort })} />
            <Pagination page={page} pageSize={pageSize} total={query.data.total} onPageChange={setPage} onPageSizeChange={setPageSize} />
          </>
        )}
      </Card>
    </>
  );
}
