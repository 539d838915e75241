import { FormErrorSummary } from '@/components/ui/form-error-summary';
import { useState, type FormEvent } from 'react';
import { Button } from '@/components/ui/button';
import { SelectField, TextField } from '@/components/ui/field';
import { Alert } from '@/components/ui/states';
import { formErrors } from '@/lib/form-errors';
import { useCreateShowing } from '../api/create-showing';
import { FreeSlotPicker } from './free-slot-picker';

/** agentId: the lead's assigned agent, who the booking goes to; their free times are offered once a day is typed. */
type Props = { leadId: number; agentId?: number | null; properties: { id: number; label: string }[] };

/** The length the server books when none is given; the free times offered are for a showing this long. */
const showingMinutes = 60;

export function ShowingForm({ leadId, agentId, properties }: Props) {
  const [propertyId, setPropertyId] = useState('');
  const [startsAt, setStartsAt] = useState('');
  const [notes, setNotes] = useState('');
  const [clientErrors, setClientErrors] = useState<Record<string, string>>({});
  const create = useCreateShowing();
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const errs: Record<string, string> = {};
    if (!propertyId) errs.property_id = 'Choose a property';
    if (!startsAt) errs.starts_at = 'Choose a date and time';
    setClientErrors(errs);
    if (Object.keys(errs).length) return;
    create.mutate(
      { lead_id: leadId, property_id: Number(propertyId), starts_at: new Date(startsAt).toISOString(), notes: notes || undefined },
      {
        onSuccess: () => {
          setPropertyId('');
          setStartsAt('');
          setNotes('');
        },
      },
    );
  };
  const { fieldError, other, summary } = formErrors(clientErrors, create.error, ['property_id', 'starts_at', 'notes']);
  return (
    <form className="form" onSubmit={submit} noValidate aria-label="Book a showing">
      <FormErrorSummary summary={summary} other={other} />
      {create.isSuccess ? <Alert kind="success">Showing booked.</Alert> : null}
      <div className="form-grid">
        <SelectField label="Property" value={propertyId} placeholder="Choose…" options={properties.map((p) => ({ value: String(p.id), label: p.label }))} onChange={(e) => setPropertyId(e.target.value)} error={fieldError('property_id')} />
        <TextField label="Starts at" type="datetime-local" value={startsAt} onChange={(e) => setStartsAt(e.target.value)} error={fieldError('starts_at')} />
        <TextField label="Notes" value={notes} onChange={(e) => setNotes(e.target.value)} error={fieldError('notes')} />
      </div>
      <FreeSlotPicker agentId={agentId} propertyId={propertyId ? Number(propertyId) : null} value={startsAt} durationMinutes={showingMinutes} onPick={setStartsAt} />
      <div className="form-actions">
        <Button type="submit" busy={create.isPending}>
          Book showing
        </Button>
      </div>
    </form>
  );
}
