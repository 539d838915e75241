import { Card, PageHeader } from '@/components/ui/card';
import { SelectField } from '@/components/ui/field';
import { Pagination } from '@/components/ui/pagination';
import { EmptyState, ErrorState, LoadingState } from '@/components/ui/states';
import { useWebhookEvents } from '@/features/admin/api/get-webhook-events';
import { WebhookEventsTable } from '@/features/admin/components/webhook-events-table';
import { humanize } from '@/lib/format';
import { useUrlFilters } from '@/lib/use-url-filters';
import { useDocumentTitle } from '@/lib/use-document-title';

const states = ['pending', 'processed', 'failed', 'ignored'];

export default function WebhookEventsPage() {
  useDocumentTitle('Webhook events');
  const { filters, page, pageSize, setFilters, setPage, setPageSize } = useUrlFilters(['state'] as const);
  const events = useWebhookEvents({ state: filters.state, page, page_size: pageSize });
  return (
    <>
      <PageHeader title="Webhook events">
        <p className="muted">ElevenLabs post-call events, as received. Failed processing can be retried.</p>
      </PageHeader>
      <Card>
        <div className="filters">
          <SelectField label="State" value={filters.state} placeholder="Any" options={states.map((s) => ({ value: s, label: humanize(s) }))} onChange={(e) => setFilters({ state: e.target.value })} />
        </div>
        {events.isPending ? (
          <LoadingState label="Loading events…" />
        ) : events.isError ? (
          <ErrorState error={events.error} onRetry={() => events.refetch()} />
        ) : events.data.items.length === 0 ? (
          <EmptyState title="No webhook events" />
        ) : (
          <>
            <WebhookEventsTable events={events.data.items} />
            <Pagination page={page} pageSize={pageSize} total={events.data.total} onPageChange={setPage} onPageSizeChange={setPageSize} />
          </>
        )}
      </Card>
    </>
  );
}
