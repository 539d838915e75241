import { Link } from 'react-router';
import { paths } from '@/config/paths';
import { Card, PageHeader } from '@/components/ui/card';
import { SelectField, TextField } from '@/components/ui/field';
import { Pagination } from '@/components/ui/pagination';
import { EmptyState, ErrorState, LoadingState } from '@/components/ui/states';
import { useShowings } from '@/features/showings/api/get-showings';
import { ShowingsTable } from '@/features/showings/components/showings-table';
import { dayEndIso, dayStartIso } from '@/lib/dates';
import { humanize } from '@/lib/format';
import { showingStatuses } from '@/types/api';
import { useUrlFilters } from '@/lib/use-url-filters';
import { filterFieldError, rangeError } from '@/lib/range-errors';
import { useDocumentTitle } from '@/lib/use-document-title';

const keys = ['from', 'to', 'status'] as const;

export default function ShowingsPage() {
  useDocumentTitle('Showings');
  const { filters, page, pageSize, setFilters, setPage, setPageSize } = useUrlFilters(keys);
  const datesError = rangeError.dates(filters.from, filters.to);
  const query = useShowings(
    {
      status: filters.status,
      from: filters.from ? dayStartIso(filters.from) : undefined,
      to: filters.to ? dayEndIso(filters.to) : undefined,
      page,
      page_size: pageSize,
    },
    { enabled: !datesError },
  );
  const errors = { from: filterFieldError(query.error, 'from'), to: datesError ?? filterFieldError(query.error, 'to') };
  return (
    <>
      <PageHeader title="Showings" actions={<Link to={paths.calendar}>Agent calendar</Link>} />
      <Card>
        <div className="filters">
          <TextField label="From" type="date" value={filters.from} onChange={(e) => setFilters({ from: e.target.value })} error={errors.from} />
          <TextField label="To" type="date" value={filters.to} onChange={(e) => setFilters({ to: e.target.value })} error={errors.to} />
          <SelectField label="Status" value={filters.status} placeholder="Any" options={showingStatuses.map((s) => ({ value: s, label: humanize(s) }))} onChange={(e) => setFilters({ status: e.target.value })} />
        </div>
        {errors.from || errors.to ? (
          <EmptyState title="Correct the dates to see showings" />
        ) : query.isPending ? (
          <LoadingState label="Loading showings…" />
        ) : query.isError ? (
          <ErrorState error={query.error} onRetry={() => query.refetch()} />
        ) : query.data.items.length === 0 ? (
          <EmptyState title="No showings in this range" />
        ) : (
          <>
            <ShowingsTable items={query.data.items} />
            <Pagination page={page} pageSize={pageSize} total={query.data.total} onPageChange={setPage} onPageSizeChange={setPageSize} />
          </>
        )}
      </Card>
    </>
  );
}
