import { useNavigate, useParams } from 'react-router';
import { Card, PageHeader } from '@/components/ui/card';
import { ErrorState, LoadingState } from '@/components/ui/states';
import { paths } from '@/config/paths';
import { useProperty } from '@/features/properties/api/get-property';
import { PropertyForm } from '@/features/properties/components/property-form';
import { useDocumentTitle } from '@/lib/use-document-title';

/** Serves both /properties/new and /properties/:id/edit. */
export default function PropertyEditPage() {
  const { id } = useParams();
  const navigate = useNavigate();
  const query = useProperty(id);
  useDocumentTitle(id === undefined ? 'New property' : query.data ? `Edit ${query.data.address}` : 'Edit property');
  const onSaved = (saved: { id: number }) => navigate(paths.property(saved.id));

  if (id === undefined) {
    return (
      <>
        <PageHeader title="New property" />
        <Card>
          <PropertyForm onSaved={onSaved} onCancel={() => navigate(paths.properties)} />
        </Card>
      </>
    );
  }
  if (query.isPending) return <LoadingState label="Loading property…" />;
  if (query.isError) return <ErrorState error={query.error} onRetry={() => query.refetch()} />;
  return (
    <>
      <PageHeader title={`Edit ${query.data.address}`} />
      <Card>
        <PropertyForm property={query.data} onSaved={onSaved} onCancel={() => navigate(paths.property(query.data.id))} />
      </Card>
    </>
  );
}
