import { Card, PageHeader } from '@/components/ui/card';
import { SelectField } from '@/components/ui/field';
import { Pagination } from '@/components/ui/pagination';
import { EmptyState, ErrorState, LoadingState } from '@/components/ui/states';
import { useWebhookDeliveries } from '@/features/admin/api/get-webhook-deliveries';
import { WebhookDeliveriesTable } from '@/features/admin/components/webhook-deliveries-table';
import { humanize } from '@/lib/format';
import { useUrlFilters } from '@/lib/use-url-filters';
import { useDocumentTitle } from '@/lib/use-document-title';

const statuses = ['pending', 'delivered', 'failed'];

export default function WebhookDeliveriesPage() {
  useDocumentTitle('Webhook deliveries');
  const { filters, page, pageSize, setFilters, setPage, setPageSize } = useUrlFilters(['status'] as const);
  const deliveries = useWebhookDeliveries({ status: filters.status, page, page_size: pageSize });
  return (
    <>
      <PageHeader title="Webhook deliveries">
        <p className="muted">End-of-call reports sent to your systems (OUTGOING_WEBHOOK_URLS), signed, retried with backoff. A failed one can be sent again.</p>
      </PageHeader>
      <Card>
        <div className="filters">
          <SelectField label="Status" value={filters.status} placeholder="Any" options={statuses.map((s) => ({ value: s, label: humanize(s) }))} onChange={(e) => setFilters({ status: e.target.value })} />
        </div>
        {deliveries.isPending ? (
          <LoadingState label="Loading deliveries…" />
        ) : deliveries.isError ? (
          <ErrorState error={deliveries.error} onRetry={() => deliveries.refetch()} />
        ) : deliveries.data.items.length === 0 ? (
          <EmptyState title="No webhook deliveries" />
        ) : (
          <>
            <WebhookDeliveriesTable deliveries={deliveries.data.items} />
            <Pagination page={page} pageSize={pageSize} total={deliveries.data.total} onPageChange={setPage} onPageSizeChange={setPageSize} />
          </>
        )}
      </Card>
    </>
  );
}
