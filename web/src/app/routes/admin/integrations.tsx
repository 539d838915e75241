import { PageHeader } from '@/components/ui/card';
import { ErrorState, LoadingState } from '@/components/ui/states';
import { useIntegrations } from '@/features/admin/api/integrations';
import { IntegrationCard } from '@/features/admin/components/integration-card';
import { useDocumentTitle } from '@/lib/use-document-title';

export default function IntegrationsPage() {
  useDocumentTitle('Integrations');
  const integrations = useIntegrations();
  return (
    <>
      <PageHeader title="Integrations">
        <p className="muted">Which outside services are set up (keys are never shown), with a live test of each.</p>
      </PageHeader>
      {integrations.isPending ? (
        <LoadingState label="Loading integrations…" />
      ) : integrations.isError ? (
        <ErrorState error={integrations.error} onRetry={() => integrations.refetch()} />
      ) : (
        integrations.data.items.map((i) => <IntegrationCard key={i.name} integration={i} />)
      )}
    </>
  );
}
