import { Link } from 'react-router';
import { Card, PageHeader } from '@/components/ui/card';
import { Pagination } from '@/components/ui/pagination';
import { EmptyState, ErrorState, LoadingState } from '@/components/ui/states';
import { paths } from '@/config/paths';
import { useProperties } from '@/features/properties/api/get-properties';
import { PropertiesTable } from '@/features/properties/components/properties-table';
import { PropertyFilters } from '@/features/properties/components/property-filters';
import { can } from '@/lib/authorization';
import { filterFieldError, rangeError } from '@/lib/range-errors';
import { useSession } from '@/lib/session-store';
import { useUrlFilters } from '@/lib/use-url-filters';
import { useDocumentTitle } from '@/lib/use-document-title';

const keys = ['q', 'city', 'min_price', 'max_price', 'bedrooms', 'status', 'sort'] as const;

export default function PropertiesListPage() {
  useDocumentTitle('Properties');
  const user = useSession((s) => s.user);
  const { filters, page, pageSize, setFilters, setPage, setPageSize, clear } = useUrlFilters(keys);
  const priceError = rangeError.prices(filters.min_price, filters.max_price);
  const query = useProperties({ ...filters, page, page_size: pageSize }, { enabled: !priceError });
  const errors = {
    min_price: filterFieldError(query.error, 'min_price'),
    max_price: priceError ?? filterFieldError(query.error, 'max_price'),
  };
  return (
    <>
      <PageHeader
        title="Properties"
        actions={
          can.editProperties(user) ? (
            <Link className="btn btn-primary" to={paths.propertyNew}>
              New property
            </Link>
          ) : null
        }
      />
      <Card>
        <PropertyFilters value={filters} onChange={setFilters} onClear={clear} errors={errors} />
        {errors.min_price || errors.max_price ? (
          <EmptyState title="Correct the price range to see properties" />
        ) : query.isPending ? (
          <LoadingState label="Loading properties…" />
        ) : query.isError ? (
          <ErrorState error={query.error} onRetry={() => query.refetch()} />
        ) : query.data.items.length === 0 ? (
          <EmptyState title="No properties match these filters">
            <button type="button" className="btn btn-secondary" onClick={clear}>
              Clear filters
            </button>
          </EmptyState>
        ) : (
          <>
            <PropertiesTable items={query.data.items} sort={filters.sort} onSort={(sort) => setFilters({ sort })} />
            <Pagination
              page={page}
              pageSize={pageSize}
              total={query.data.total}
              onPageChange={setPage}
              onPageSizeChange={setPageSize}
            />
          </>
        )}
      </Card>
    </>
  );
}
