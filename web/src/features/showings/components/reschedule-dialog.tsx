import { useState, type FormEvent } from 'react';
import { Button } from '@/components/ui/button';
import { TextField } from '@/components/ui/field';
import { Alert } from '@/components/ui/states';
import { ApiError } from '@/lib/api-error';
import { toDateTimeInput } from '@/lib/dates';
import { formatDateTime } from '@/lib/format';
import { useDialog } from '@/lib/use-dialog';
import type { Showing } from '@/types/api';
import { useRescheduleShowing } from '../api/agent-calendar';
import { FreeSlotPicker } from './free-slot-picker';

/**
 * Moves a showing to a new time. The agent's free times that day (GET /showings/free-slots) are offered as buttons;
 * any other time can still be typed. A 409 (the agent or the property is taken, or the agent is off then) is about the
 * time chosen, so the server's sentence is shown on the field.
 */
export function RescheduleDialog({ showing, onClose }: { showing: Showing; onClose: () => void }) {
  const [startsAt, setStartsAt] = useState(() => toDateTimeInput(showing.starts_at));
  const [clientError, setClientError] = useState<string>();
  const move = useRescheduleShowing();
  const minutes = showing.ends_at ? Math.round((new Date(showing.ends_at).getTime() - new Date(showing.starts_at).getTime()) / 60000) : 60;
  const input = useDialog<HTMLDivElement>(onClose);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const when = startsAt ? new Date(startsAt) : null;
    if (!when || Number.isNaN(when.getTime())) return setClientError('Choose a date and time');
    if (when.getTime() <= Date.now()) return setClientError('Choose a time in the future');
    setClientError(undefined);
    move.mutate({ id: showing.id, starts_at: when.toISOString() }, { onSuccess: onClose });
  };

  const api = move.error instanceof ApiError ? move.error : null;
  const fieldError =
    clientError ?? api?.fieldError('starts_at') ?? (api && (api.status === 409 || api.status === 422) ? (api.detail ?? api.title) : undefined);
  const other = api && !fieldError ? (api.detail ?? api.title) : null;

  return (
    <div className="dialog-backdrop">
      <div className="dialog" role="dialog" aria-modal="true" aria-labelledby={`reschedule-${showing.id}`}>
        <h2 id={`reschedule-${showing.id}`}>Reschedule showing</h2>
        <p>
          Now {formatDateTime(showing.starts_at)}
          {showing.property_address ? ` at ${showing.property_address}` : ''}
          {showing.agent_name ? ` with ${showing.agent_name}` : ''}.
        </p>
        <form className="form" onSubmit={submit} noValidate aria-label="Reschedule showing">
          {other ? <Alert>{other}</Alert> : null}
          <div ref={input}>
            <TextField label="New date and time" type="datetime-local" value={startsAt} onChange={(e) => setStartsAt(e.target.value)} error={fieldError} />
          </div>
          <FreeSlotPicker agentId={showing.agent_id} propertyId={showing.property_id} value={startsAt} durationMinutes={minutes} onPick={setStartsAt} />
          <div className="form-actions">
            <Button type="submit" busy={move.isPending}>
              Reschedule
            </Button>
            <Button type="button" variant="ghost" onClick={onClose}>
              Keep the time
            </Button>
          </div>
        </form>
      </div>
    </div>
  );
}
