import { FormErrorSummary } from '@/components/ui/form-error-summary';
import { useState, type FormEvent } from 'react';
import { Button } from '@/components/ui/button';
import { CheckboxField, SelectField, TextField } from '@/components/ui/field';
import { formErrors, useChangedSinceSubmit, zodFieldErrors, type ClientErrors } from '@/lib/form-errors';
import { humanize } from '@/lib/format';
import { leadIntents, type AgentRef, type Lead } from '@/types/api';
import { newLeadSchema, useCreateLead, type NewLeadValues } from '../api/create-lead';

const fields = [
  'name', 'phone', 'email', 'intent', 'preferred_areas', 'budget_min', 'budget_max', 'bedrooms', 'timeline',
  'pre_approved', 'consent_to_call', 'consent_at', 'assigned_agent_id',
];

/** `datetime-local` wants local wall time without a zone: "2026-12-03T09:30". */
const localNow = () => {
  const d = new Date();
  d.setSeconds(0, 0);
  return new Date(d.getTime() - d.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
};

const empty: NewLeadValues = {
  name: '', phone: '', email: '', intent: '', preferred_areas: '', budget_min: '', budget_max: '', bedrooms: '',
  timeline: '', pre_approved: '', consent_to_call: false, consent_at: '', assigned_agent_id: '',
};

type Props = {
  /** Agents a Manager or Admin may assign to; undefined for an Agent, whose new leads are their own. */
  agents?: readonly AgentRef[];
  onCreated: (lead: Lead) => void;
  onCancel: () => void;
};

export function NewLeadForm({ agents, onCreated, onCancel }: Props) {
  const [values, setValues] = useState<NewLeadValues>(empty);
  const [clientErrors, setClientErrors] = useState<ClientErrors>({});
  const create = useCreateLead();
  const { changed, markChanged, resetChanged } = useChangedSinceSubmit();
  const set = (k: keyof NewLeadValues) => (e: { target: { value: string } }) => {
    setValues((v) => ({ ...v, [k]: e.target.value }));
    markChanged(k);
  };

  const submit = (e: FormEvent) => {
    e.preventDefault();
    resetChanged();
    const parsed = newLeadSchema.safeParse(values);
    if (!parsed.success) return setClientErrors(zodFieldErrors(parsed.error));
    setClientErrors({});
    create.mutate(parsed.data, { onSuccess: onCreated });
  };
  const { fieldError, other, summary } = formErrors(clientErrors, create.error, fields, changed);

  return (
    <form className="form" onSubmit={submit} noValidate aria-label="New lead">
      <FormErrorSummary title="Could not create the lead." summary={summary} other={other} />
      <div className="form-grid">
        <TextField label="Name" required value={values.name} onChange={set('name')} error={fieldError('name')} />
        <TextField label="Phone" type="tel" required hint="With country code if not US, e.g. +44 20 7946 0958" value={values.phone} onChange={set('phone')} error={fieldError('phone')} />
        <TextField label="Email" type="email" value={values.email} onChange={set('email')} error={fieldError('email')} />
        <SelectField label="Intent" value={values.intent} placeholder="Unknown" onChange={set('intent')} options={leadIntents.map((s) => ({ value: s, label: humanize(s) }))} error={fieldError('intent')} />
        <TextField label="Preferred areas" hint="Comma separated" value={values.preferred_areas} onChange={set('preferred_areas')} error={fieldError('preferred_areas')} />
        <TextField label="Budget min" type="number" min={0} value={values.budget_min} onChange={set('budget_min')} error={fieldError('budget_min')} />
        <TextField label="Budget max" type="number" min={0} value={values.budget_max} onChange={set('budget_max')} error={fieldError('budget_max')} />
        <TextField label="Bedrooms" type="number" min={0} value={values.bedrooms} onChange={set('bedrooms')} error={fieldError('bedrooms')} />
        <TextField label="Timeline" placeholder="e.g. within 3 months" value={values.timeline} onChange={set('timeline')} error={fieldError('timeline')} />
        <SelectField
          label="Pre-approved for a mortgage"
          value={values.pre_approved}
          placeholder="Unknown"
          onChange={set('pre_approved')}
          options={[{ value: 'yes', label: 'Yes' }, { value: 'no', label: 'No' }]}
          error={fieldError('pre_approved')}
        />
        {agents ? (
          <SelectField
            label="Assigned agent"
            value={values.assigned_agent_id}
            placeholder="Unassigned"
            onChange={set('assigned_agent_id')}
            options={agents.map((a) => ({ value: String(a.id), label: a.name }))}
            error={fieldError('assigned_agent_id')}
          />
        ) : null}
      </div>
      <div className="form-grid">
        <CheckboxField
          label="Consented to be called"
          checked={values.consent_to_call}
          onChange={(e) => {
            const checked = e.target.checked;
            setValues((v) => ({ ...v, consent_to_call: checked, consent_at: checked ? v.consent_at || localNow() : '' }));
          }}
        />
        {values.consent_to_call ? (
          <TextField label="Consent given at" type="datetime-local" value={values.consent_at} onChange={set('consent_at')} error={fieldError('consent_at')} />
        ) : null}
      </div>
      <div className="form-actions">
        <Button type="submit" busy={create.isPending}>
          Create lead
        </Button>
        <Button variant="secondary" onClick={onCancel}>
          Cancel
        </Button>
      </div>
    </form>
  );
}
