import { useNavigate } from 'react-router';
import { Button } from '@/components/ui/button';
import { Alert } from '@/components/ui/states';
import { paths } from '@/config/paths';
import { errorMessage } from '@/lib/api-error';
import { useDeleteCampaign } from '../api/delete-campaign';
import { useMoveCampaign, type CampaignMove } from '../api/move-campaign';
import type { Campaign } from '../api/get-campaigns';

const moves: Record<string, CampaignMove[]> = { draft: ['start'], running: ['pause', 'stop'], paused: ['resume', 'stop'] };
const labels: Record<CampaignMove, string> = { start: 'Start', pause: 'Pause', resume: 'Resume', stop: 'Stop' };

/** Starting dials real people and stopping cannot be undone, so both ask first. */
const confirmation = (move: CampaignMove, c: Campaign) =>
  move === 'start'
    ? `Start “${c.name}”? The agent begins calling its leads within the calling window.`
    : move === 'stop'
      ? `Stop “${c.name}”? Leads not yet called will not be called, and it cannot be restarted.`
      : null;

export function CampaignActions({ campaign }: { campaign: Campaign }) {
  const move = useMoveCampaign(campaign.id);
  const remove = useDeleteCampaign();
  const navigate = useNavigate();
  const confirmDelete = () => {
    if (window.confirm(`Delete the draft “${campaign.name}”?`)) remove.mutate(campaign.id, { onSuccess: () => navigate(paths.campaigns) });
  };
  const run = (m: CampaignMove) => {
    const question = confirmation(m, campaign);
    if (question && !window.confirm(question)) return;
    move.mutate(m);
  };
  // The built-in campaign pauses and resumes only: the server refuses to stop or delete it.
  const allowed = (moves[campaign.state] ?? []).filter((m) => !campaign.built_in || m !== 'stop');
  return (
    <>
      {allowed.map((m) => (
        <Button key={m} variant={m === 'stop' ? 'danger' : m === 'start' || m === 'resume' ? 'primary' : 'secondary'} busy={move.isPending && move.variables === m} onClick={() => run(m)}>
          {labels[m]}
        </Button>
      ))}
      {campaign.state === 'draft' && !campaign.built_in ? (
        <Button variant="danger" busy={remove.isPending} onClick={confirmDelete}>
          Delete
        </Button>
      ) : null}
      {move.isError || remove.isError ? <Alert>{errorMessage(move.error ?? remove.error)}</Alert> : null}
    </>
  );
}
