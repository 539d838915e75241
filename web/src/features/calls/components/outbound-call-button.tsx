import { Link } from 'react-router';
import { Button } from '@/components/ui/button';
import { paths } from '@/config/paths';
import { errorMessage } from '@/lib/api-error';
import { usePlaceOutboundCall } from '../api/place-outbound-call';

/** Asks the voice agent to call a lead; disabled for do-not-call leads and leads without consent. */
export function OutboundCallButton({ leadId, blockedReason }: { leadId: number; blockedReason?: string | null }) {
  const place = usePlaceOutboundCall();
  return (
    <span className="inline-label">
      <Button
        variant="secondary"
        busy={place.isPending}
        disabled={!!blockedReason}
        title={blockedReason ?? undefined}
        onClick={() => place.mutate(leadId)}
      >
        Have the agent call
      </Button>
      {place.isSuccess ? (
        <span role="status">
          Calling… <Link to={paths.call(place.data.id)}>open call</Link>
        </span>
      ) : null}
      {place.isError ? <span className="field-error">{errorMessage(place.error)}</span> : null}
    </span>
  );
}
