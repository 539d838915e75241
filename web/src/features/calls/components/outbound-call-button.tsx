import { Link } from 'react-router';
import { Button } from '@/components/ui/button';
import { paths } from '@/config/paths';
import { errorMessage } from '@/lib/api-error';
import { formatPhone } from '@/lib/format';
import { usePlaceOutboundCall } from '../api/place-outbound-call';

type Props = {
  leadId: number;
  /** Who the phone will ring, named in the confirmation so nobody dials the wrong lead by a stray click. */
  leadName: string;
  phone: string;
  blockedReason?: string | null;
};

/** Asks the voice agent to call a lead after a confirmation; disabled for do-not-call leads and leads without consent. */
export function OutboundCallButton({ leadId, leadName, phone, blockedReason }: Props) {
  const place = usePlaceOutboundCall();
  const confirmAndCall = () => {
    if (window.confirm(`Have the agent call ${leadName} at ${formatPhone(phone)} now? Their phone will ring within seconds.`)) {
      place.mutate(leadId);
    }
  };
  return (
    <span className="inline-label">
      <Button
        variant="secondary"
        busy={place.isPending}
        disabled={!!blockedReason || place.isSuccess}
        title={blockedReason ?? undefined}
        onClick={confirmAndCall}
      >
        Have the agent call
      </Button>
      {place.isSuccess ? (
        <span role="status">
          Calling… <Link to={paths.call(place.data.call_id)}>open call</Link>
        </span>
      ) : null}
      {place.isError ? (
        <span className="field-error" role="alert">
          {errorMessage(place.error)}
        </span>
      ) : null}
    </span>
  );
}
