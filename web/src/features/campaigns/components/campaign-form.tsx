import { FormErrorSummary } from '@/components/ui/form-error-summary';
import { useState, type FormEvent } from 'react';
import { Button } from '@/components/ui/button';
import { SelectField, TextAreaField, TextField } from '@/components/ui/field';
import { useAgents } from '@/features/users/api/get-agents';
import { formErrors, type ClientErrors } from '@/lib/form-errors';
import { humanize } from '@/lib/format';
import { leadIntents, leadStatuses } from '@/types/api';
import { leadSources, weekDays, type Campaign } from '../api/get-campaigns';
import { campaignToForm, emptyCampaign, toCampaignBody, useSaveCampaign, type CampaignFormValues } from '../api/save-campaign';
import { CheckboxGroup } from './checkbox-group';
import { LeadPicker } from './lead-picker';

const fields = [
  'name', 'goal', 'instructions', 'leads', 'leads.lead_ids', 'leads.areas', 'window_start', 'window_end', 'days', 'time_zone',
  'max_attempts', 'spacing_minutes', 'max_concurrent_calls', 'caller_id', 'voicemail_message',
] as const;

const options = (values: readonly string[]) => values.map((v) => ({ value: v, label: humanize(v) }));

type Props = { campaign?: Campaign; onSaved: (saved: Campaign) => void; onCancel: () => void };

/** Creates a campaign, or changes one while it is a draft or paused (the server refuses other states with a 409). */
export function CampaignForm({ campaign, onSaved, onCancel }: Props) {
  const [values, setValues] = useState<CampaignFormValues>(() => (campaign ? campaignToForm(campaign) : emptyCampaign));
  const [clientErrors, setClientErrors] = useState<ClientErrors>({});
  const save = useSaveCampaign(campaign?.id);
  const agents = useAgents();
  // A started campaign's lead rows exist already: its leads cannot change.
  const leadsLocked = campaign !== undefined && campaign.state !== 'draft';

  const set = <K extends keyof CampaignFormValues>(k: K, v: CampaignFormValues[K]) => setValues((prev) => ({ ...prev, [k]: v }));
  const text = (k: keyof CampaignFormValues) => (e: { target: { value: string } }) => set(k, e.target.value as never);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const { body, errors } = toCampaignBody(values);
    setClientErrors(errors);
    if (Object.keys(errors).length > 0) return;
    save.mutate(body, { onSuccess: onSaved });
  };

  const { fieldError, other, summary } = formErrors(clientErrors, save.error, fields);
  const leadsError = fieldError('leads') ?? fieldError('leads.lead_ids') ?? fieldError('leads.areas');
  return (
    <form className="form" onSubmit={submit} noValidate aria-label={campaign ? 'Edit campaign' : 'New campaign'}>
      <FormErrorSummary title="Could not save the campaign." summary={summary} other={other} />
      <div className="form-grid">
        <TextField label="Name" value={values.name} onChange={text('name')} error={fieldError('name')} />
        <TextField label="Goal" hint="The one line the agent gives as the reason for the call" value={values.goal} onChange={text('goal')} error={fieldError('goal')} />
      </div>
      <TextAreaField label="Instructions" hint="What the agent should do on the call" value={values.instructions} onChange={text('instructions')} error={fieldError('instructions')} />

      <fieldset className="field" disabled={leadsLocked}>
        <legend>Leads{leadsLocked ? ' (fixed once started)' : ''}</legend>
        <SelectField
          label="Choose leads by"
          value={values.lead_mode}
          onChange={(e) => set('lead_mode', e.target.value as CampaignFormValues['lead_mode'])}
          options={[
            { value: 'filter', label: 'Matching filters' },
            { value: 'ids', label: 'Picking them from the list' },
          ]}
        />
        {values.lead_mode === 'ids' ? (
          <LeadPicker value={values.lead_ids} onChange={(ids) => set('lead_ids', ids)} error={leadsError} />
        ) : (
          <>
            <p className="field-hint">Leave a filter empty to not filter on it. Leads marked do-not-call or without consent are skipped.</p>
            <CheckboxGroup legend="Statuses" options={options(leadStatuses)} value={values.statuses} onChange={(v) => set('statuses', v)} />
            <CheckboxGroup legend="Intents" options={options(leadIntents)} value={values.intents} onChange={(v) => set('intents', v)} />
            <CheckboxGroup legend="Sources" options={options(leadSources)} value={values.sources} onChange={(v) => set('sources', v)} />
            {agents.data?.length ? (
              <CheckboxGroup
                legend="Assigned agents"
                options={agents.data.map((a) => ({ value: String(a.id), label: a.name }))}
                value={values.assigned_agent_ids}
                onChange={(v) => set('assigned_agent_ids', v)}
              />
            ) : null}
            <div className="form-grid">
              <TextField label="Areas" hint="Separate with commas" value={values.areas} onChange={text('areas')} error={leadsError} />
              <TextField label="Source site" value={values.source_site} onChange={text('source_site')} />
            </div>
          </>
        )}
      </fieldset>

      <div className="form-grid">
        <TextField label="Calling from" type="time" value={values.window_start} onChange={text('window_start')} error={fieldError('window_start')} />
        <TextField label="Calling until" type="time" value={values.window_end} onChange={text('window_end')} error={fieldError('window_end')} />
        <TextField label="Time zone" hint="For leads whose own time zone is unknown" value={values.time_zone} onChange={text('time_zone')} error={fieldError('time_zone')} />
      </div>
      <CheckboxGroup legend="Calling days" options={options(weekDays)} value={values.days} onChange={(v) => set('days', v)} error={fieldError('days')} />
      <div className="form-grid">
        <TextField label="Max attempts" type="number" min={1} max={10} value={values.max_attempts} onChange={text('max_attempts')} error={fieldError('max_attempts')} />
        <TextField label="Spacing (minutes)" hint="Between attempts on the same lead" type="number" min={1} value={values.spacing_minutes} onChange={text('spacing_minutes')} error={fieldError('spacing_minutes')} />
        <TextField label="Max concurrent calls" type="number" min={1} max={500} value={values.max_concurrent_calls} onChange={text('max_concurrent_calls')} error={fieldError('max_concurrent_calls')} />
        <TextField label="Caller ID" hint="Leave empty for the default number" type="tel" value={values.caller_id} onChange={text('caller_id')} error={fieldError('caller_id')} />
      </div>
      <TextAreaField label="Voicemail message" hint="Left when an answering machine picks up; empty leaves none" value={values.voicemail_message} onChange={text('voicemail_message')} error={fieldError('voicemail_message')} />
      <div className="form-actions">
        <Button type="submit" busy={save.isPending}>
          {campaign ? 'Save changes' : 'Create campaign'}
        </Button>
        <Button variant="secondary" onClick={onCancel}>
          Cancel
        </Button>
      </div>
    </form>
  );
}
