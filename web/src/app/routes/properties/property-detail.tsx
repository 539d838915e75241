import { Link, useParams } from 'react-router';
import { PageHeader } from '@/components/ui/card';
import { ErrorState, LoadingState } from '@/components/ui/states';
import { paths } from '@/config/paths';
import { useProperty } from '@/features/properties/api/get-property';
import { PropertyDetails } from '@/features/properties/components/property-details';
import { can } from '@/lib/authorization';
import { useSession } from '@/lib/session-store';
import { useDocumentTitle } from '@/lib/use-document-title';

export default function PropertyDetailPage() {
  const { id } = useParams();
  const user = useSession((s) => s.user);
  const query = useProperty(id);
  useDocumentTitle(query.data?.address ?? 'Property');
  if (query.isPending) return <LoadingState label="Loading property…" />;
  if (query.isError) return <ErrorState error={query.error} onRetry={() => query.refetch()} />;
  const p = query.data;
  return (
    <>
      <PageHeader
        title={p.address}
        actions={
          <>
            <Link className="btn btn-secondary" to={paths.properties}>
              All properties
            </Link>
            {can.editProperties(user) ? (
              <Link className="btn btn-primary" to={paths.propertyEdit(p.id)}>
                Edit
              </Link>
            ) : null}
          </>
        }
      >
        <p className="muted">{[p.city, p.state].filter(Boolean).join(', ')}</p>
      </PageHeader>
      <PropertyDetails property={p} />
    </>
  );
}
