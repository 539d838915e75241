import { Link, useNavigate, useParams } from 'react-router';
import { Card, PageHeader } from '@/components/ui/card';
import { Alert, ErrorState, LoadingState } from '@/components/ui/states';
import { paths } from '@/config/paths';
import { useCampaign, type Campaign } from '@/features/campaigns/api/get-campaigns';
import { CampaignForm } from '@/features/campaigns/components/campaign-form';
import { useDocumentTitle } from '@/lib/use-document-title';

const editable = (state: string) => state === 'draft' || state === 'paused';

/** Serves both /campaigns/new and /campaigns/:id/edit (a campaign changes only while a draft or paused). */
export default function CampaignEditPage() {
  const { id } = useParams();
  const navigate = useNavigate();
  const query = useCampaign(id);
  useDocumentTitle(id === undefined ? 'New campaign' : query.data ? `Edit ${query.data.name}` : 'Edit campaign');
  const onSaved = (saved: Campaign) => navigate(paths.campaign(saved.id));

  if (id === undefined) {
    return (
      <>
        <PageHeader title="New campaign" />
        <Card>
          <CampaignForm onSaved={onSaved} onCancel={() => navigate(paths.campaigns)} />
        </Card>
      </>
    );
  }
  if (query.isPending) return <LoadingState label="Loading campaign…" />;
  if (query.isError) return <ErrorState error={query.error} onRetry={() => query.refetch()} />;
  const campaign = query.data;
  return (
    <>
      <PageHeader title={`Edit ${campaign.name}`} />
      <Card>
        {editable(campaign.state) ? (
          <CampaignForm campaign={campaign} onSaved={onSaved} onCancel={() => navigate(paths.campaign(campaign.id))} />
        ) : (
          <Alert kind="info">
            A {campaign.state} campaign cannot be changed; pause it first. <Link to={paths.campaign(campaign.id)}>Back to the campaign</Link>
          </Alert>
        )}
      </Card>
    </>
  );
}
