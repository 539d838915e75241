import { Link } from 'react-router';
import { Card, PageHeader } from '@/components/ui/card';
import { SelectField } from '@/components/ui/field';
import { Pagination } from '@/components/ui/pagination';
import { EmptyState, ErrorState, LoadingState } from '@/components/ui/states';
import { paths } from '@/config/paths';
import { campaignStates, useCampaigns } from '@/features/campaigns/api/get-campaigns';
import { CampaignsTable } from '@/features/campaigns/components/campaigns-table';
import { can } from '@/lib/authorization';
import { humanize } from '@/lib/format';
import { useSession } from '@/lib/session-store';
import { useUrlFilters } from '@/lib/use-url-filters';
import { useDocumentTitle } from '@/lib/use-document-title';

export default function CampaignsListPage() {
  useDocumentTitle('Campaigns');
  const user = useSession((s) => s.user);
  const { filters, page, pageSize, setFilters, setPage, setPageSize } = useUrlFilters(['state'] as const);
  const query = useCampaigns({ state: filters.state, page, page_size: pageSize });
  return (
    <>
      <PageHeader
        title="Campaigns"
        actions={
          can.manageCampaigns(user) ? (
            <Link className="btn btn-primary" to={paths.campaignNew}>
              New campaign
            </Link>
          ) : null
        }
      >
        <p className="muted">Outbound calling: the voice agent calls a set of leads within a calling window, skipping anyone who asked not to be called.</p>
      </PageHeader>
      <Card>
        <div className="filters">
          <SelectField label="State" value={filters.state} placeholder="Any" options={campaignStates.map((s) => ({ value: s, label: humanize(s) }))} onChange={(e) => setFilters({ state: e.target.value })} />
        </div>
        {query.isPending ? (
          <LoadingState label="Loading campaigns…" />
        ) : query.isError ? (
          <ErrorState error={query.error} onRetry={() => query.refetch()} />
        ) : query.data.items.length === 0 ? (
          <EmptyState title="No campaigns yet" />
        ) : (
          <>
            <CampaignsTable campaigns={query.data.items} />
            <Pagination page={page} pageSize={pageSize} total={query.data.total} onPageChange={setPage} onPageSizeChange={setPageSize} />
          </>
        )}
      </Card>
    </>
  );
}
