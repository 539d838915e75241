import { Button } from '@/components/ui/button';
import { toDateTimeInput } from '@/lib/dates';
import { formatDateTime } from '@/lib/format';
import { useFreeSlots } from '../api/free-slots';

/** The local day of a datetime-local value as a [from, to) UTC range, for the free-slot search. */
const dayRange = (local: string) => {
  const day = new Date(`${local.slice(0, 10)}T00:00`);
  if (Number.isNaN(day.getTime())) return null;
  const next = new Date(day);
  next.setDate(day.getDate() + 1);
  return { from: day.toISOString(), to: next.toISOString() };
};

type Props = {
  agentId: number | null | undefined;
  propertyId: number | null | undefined;
  /** The datetime-local value typed so far: its day is the one searched, and the slot equal to it shows as chosen. */
  value: string;
  durationMinutes: number;
  onPick: (value: string) => void;
};

/**
 * The agent's free times on the chosen day (GET /showings/free-slots: the same starts the voice agent offers) as
 * buttons; nothing until an agent, a property and a day are known. Any other time can still be typed in the field.
 */
export function FreeSlotPicker({ agentId, propertyId, value, durationMinutes, onPick }: Props) {
  const range = value ? dayRange(value) : null;
  const free = useFreeSlots(agentId != null && propertyId != null && range ? { agentId, propertyId, ...range, durationMinutes } : null);
  if (!free.data) return null;
  return (
    <fieldset className="slot-list">
      <legend>Free times that day</legend>
      {free.data.slots.length === 0 ? <p className="muted">No free time that day; try another day.</p> : null}
      {free.data.slots.map((slot) => (
        <Button key={slot.starts_at} type="button" variant="secondary" aria-pressed={toDateTimeInput(slot.starts_at) === value}
          onClick={() => onPick(toDateTimeInput(slot.starts_at))}>
          {formatDateTime(slot.starts_at)}
        </Button>
      ))}
    </fieldset>
  );
}
