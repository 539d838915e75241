import { useState, type FormEvent } from 'react';
import { Button } from '@/components/ui/button';
import { TextField } from '@/components/ui/field';
import { Alert } from '@/components/ui/states';
import { ApiError } from '@/lib/api-error';
import { toDateTimeInput } from '@/lib/dates';
import { useDialog } from '@/lib/use-dialog';
import { formatDateTime } from '@/lib/format';
import type { Showing } from '@/types/api';
import { useRescheduleShowing } from '../api/agent-calendar';
import { useFreeSlots } from '../api/free-slots';

/** The local day of a datetime-local value as a [from, to) UTC range, for the free-slot search. */
const dayRange = (local: string) => {
  const day = new Date(`${local.slice(0, 10)}T00:00`);
  if (Number.isNaN(day.getTime())) return null;
  const next = new Date(day);
  next.setDate(day.getDate() + 1);
  return { from: day.toISOString(), to: next.toISOString() };
};

/**
 * Moves a showing to a new time. The agent's free times that day (GET /showings/free-slots) are offered as buttons;
 * any other time can still be typed. A 409 (the agent or the property is taken, or the agent is off then) is about the
 * time chosen, so the server's sentence is shown on the field.
 */
export function RescheduleDialog({ showing, onClose }: { showing: Showing; onClose: () => void }) {
  const [startsAt, setStartsAt] = useState(() => toDateTimeInput(showing.starts_at));
  const [clientError, setClientError] = useState<string>();
  const move = useRescheduleShowing();
  const range = dayRange(startsAt);
  const minutes = showing.ends_at ? Math.round((new Date(showing.ends_at).getTime() - new Date(showing.starts_at).getTime()) / 60000) : 60;
  const free = useFreeSlots(
    showing.agent_id != null && showing.property_id != null && range
      ? { agentId: showing.agent_id, propertyId: showing.property_id, ...range, durationMinutes: minutes }
      : null,
  );
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
          {free.data ? (
            <fieldset className="slot-list">
              <legend>Free times that day</legend>
              {free.data.slots.length === 0 ? <p className="muted">No free time that day; try another day.</p> : null}
              {free.data.slots.map((slot) => (
                <Button key={slot.starts_at} type="button" variant="secondary" aria-pressed={toDateTimeInput(slot.starts_at) === startsAt}
                  onClick={() => setStartsAt(toDateTimeInput(slot.starts_at))}>
                  {formatDateTime(slot.starts_at)}
                </Button>
              ))}
            </fieldset>
          ) : null}
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
