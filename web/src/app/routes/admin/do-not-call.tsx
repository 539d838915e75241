import { Card, PageHeader } from '@/components/ui/card';
import { TextField } from '@/components/ui/field';
import { Pagination } from '@/components/ui/pagination';
import { EmptyState, ErrorState, LoadingState } from '@/components/ui/states';
import { useDoNotCallList } from '@/features/do-not-call/api/do-not-call';
import { AddNumberForm } from '@/features/do-not-call/components/add-number-form';
import { DoNotCallTable } from '@/features/do-not-call/components/do-not-call-table';
import { RegistryUpload } from '@/features/do-not-call/components/registry-upload';
import { can } from '@/lib/authorization';
import { useSession } from '@/lib/session-store';
import { useUrlFilters } from '@/lib/use-url-filters';
import { useDocumentTitle } from '@/lib/use-document-title';

export default function DoNotCallPage() {
  useDocumentTitle('Do not call');
  const user = useSession((s) => s.user);
  const { filters, page, pageSize, setFilters, setPage, setPageSize } = useUrlFilters(['q'] as const);
  const list = useDoNotCallList({ q: filters.q.trim() || undefined, page, page_size: pageSize });
  return (
    <>
      <PageHeader title="Do-not-call">
        <p className="muted">Numbers the agent and campaigns never call. A lead's own wish not to be called is kept on the lead as well.</p>
      </PageHeader>
      <Card title="Add a number">
        <AddNumberForm />
      </Card>
      <Card title="The team's list">
        <div className="filters">
          <TextField label="Search" type="search" hint="Digits of the number, or words of the reason" value={filters.q} onChange={(e) => setFilters({ q: e.target.value })} />
        </div>
        {list.isPending ? (
          <LoadingState label="Loading numbers…" />
        ) : list.isError ? (
          <ErrorState error={list.error} onRetry={() => list.refetch()} />
        ) : list.data.items.length === 0 ? (
          <EmptyState title={filters.q ? 'No numbers match' : 'No numbers on the list'} />
        ) : (
          <>
            <DoNotCallTable entries={list.data.items} />
            <Pagination page={page} pageSize={pageSize} total={list.data.total} onPageChange={setPage} onPageSizeChange={setPageSize} />
          </>
        )}
      </Card>
      {can.uploadDncRegistry(user) ? (
        <Card title="National registry">
          <RegistryUpload />
        </Card>
      ) : null}
    </>
  );
}
