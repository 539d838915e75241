import { FormErrorSummary } from '@/components/ui/form-error-summary';
import { useState, type FormEvent } from 'react';
import { Button } from '@/components/ui/button';
import { CheckboxField, SelectField, TextAreaField, TextField } from '@/components/ui/field';
import { formErrors, useChangedSinceSubmit, zodFieldErrors, type ClientErrors } from '@/lib/form-errors';
import { humanize } from '@/lib/format';
import { leadIntents, leadStatuses, type Lead } from '@/types/api';
import { leadFormSchema, toLeadForm, useUpdateLead, type LeadFormValues } from '../api/update-lead';

const fields = Object.keys(leadFormSchema.shape);

export function LeadForm({ lead, onDone }: { lead: Lead; onDone: () => void }) {
  const [values, setValues] = useState<LeadFormValues>(() => toLeadForm(lead));
  const [clientErrors, setClientErrors] = useState<ClientErrors>({});
  const update = useUpdateLead(lead.id);
  const { changed, markChanged, resetChanged } = useChangedSinceSubmit();
  const set = (k: keyof LeadFormValues) => (e: { target: { value: string } }) => {
    setValues((v) => ({ ...v, [k]: e.target.value }));
    markChanged(k);
  };
  const toggle = (k: 'pre_approved' | 'consent_to_call' | 'do_not_call') => (e: { target: { checked: boolean } }) =>
    setValues((v) => ({ ...v, [k]: e.target.checked }));

  const submit = (e: FormEvent) => {
    e.preventDefault();
    resetChanged();
    const parsed = leadFormSchema.safeParse(values);
    if (!parsed.success) return setClientErrors(zodFieldErrors(parsed.error));
    setClientErrors({});
    update.mutate(parsed.data, { onSuccess: () => onDone() });
  };
  const { fieldError, other, summary } = formErrors(clientErrors, update.error, fields, changed);

  return (
    <form className="form" onSubmit={submit} noValidate aria-label="Edit lead">
      <FormErrorSummary title="Could not save." summary={summary} other={other} />
      <div className="form-grid">
        <TextField label="Name" value={values.name} onChange={set('name')} error={fieldError('name')} />
        <TextField label="Phone" type="tel" hint="E.164, e.g. +15125550100" value={values.phone} onChange={set('phone')} error={fieldError('phone')} />
        <TextField label="Email" type="email" value={values.email} onChange={set('email')} error={fieldError('email')} />
        <SelectField label="Status" value={values.status} onChange={set('status')} options={leadStatuses.map((s) => ({ value: s, label: humanize(s) }))} error={fieldError('status')} />
        <SelectField label="Intent" value={values.intent} placeholder="Unknown" onChange={set('intent')} options={leadIntents.map((s) => ({ value: s, label: humanize(s) }))} error={fieldError('intent')} />
        <TextField label="Budget min" type="number" value={values.budget_min} onChange={set('budget_min')} error={fieldError('budget_min')} />
        <TextField label="Budget max" type="number" value={values.budget_max} onChange={set('budget_max')} error={fieldError('budget_max')} />
        <TextField label="Bedrooms" type="number" value={values.bedrooms} onChange={set('bedrooms')} error={fieldError('bedrooms')} />
        <TextField label="Timeline" placeholder="e.g. within 3 months" value={values.timeline} onChange={set('timeline')} error={fieldError('timeline')} />
        <TextField label="Preferred areas" hint="Comma separated" value={values.preferred_areas} onChange={set('preferred_areas')} error={fieldError('preferred_areas')} />
      </div>
      <div className="form-grid">
        <CheckboxField label="Pre-approved for a mortgage" checked={values.pre_approved} onChange={toggle('pre_approved')} />
        <CheckboxField label="Consented to calls" checked={values.consent_to_call} onChange={toggle('consent_to_call')} />
        <CheckboxField label="Do not call" checked={values.do_not_call} onChange={toggle('do_not_call')} />
      </div>
      <TextAreaField label="Notes" value={values.notes} onChange={set('notes')} error={fieldError('notes')} />
      <div className="form-actions">
        <Button type="submit" busy={update.isPending}>
          Save lead
        </Button>
        <Button variant="secondary" onClick={onDone}>
          Cancel
        </Button>
      </div>
    </form>
  );
}
