import { useMutation, useQueryClient } from '@tanstack/react-query';
import { apiRequest } from '@/lib/api-client';
import type { ClientErrors } from '@/lib/form-errors';
import { campaignSchema, type Campaign, type CampaignLeadFilter } from './get-campaigns';

/** What the editor holds (strings from inputs, chosen values as lists). */
export type CampaignFormValues = {
  name: string;
  goal: string;
  instructions: string;
  lead_mode: 'filter' | 'ids';
  statuses: string[];
  intents: string[];
  sources: string[];
  assigned_agent_ids: string[];
  areas: string;
  source_site: string;
  lead_ids: number[];
  window_start: string;
  window_end: string;
  days: string[];
  time_zone: string;
  max_attempts: string;
  spacing_minutes: string;
  max_concurrent_calls: string;
  caller_id: string;
  voicemail_message: string;
};

export type CampaignBody = {
  name: string;
  goal: string;
  instructions: string | null;
  leads: CampaignLeadFilter;
  window_start: string;
  window_end: string;
  days: string[];
  time_zone: string;
  max_attempts: number | null;
  spacing_minutes: number | null;
  max_concurrent_calls: number | null;
  caller_id: string | null;
  voicemail_message: string | null;
};

export const emptyCampaign: CampaignFormValues = {
  name: '', goal: '', instructions: '', lead_mode: 'filter', statuses: [], intents: [], sources: [], assigned_agent_ids: [], areas: '',
  source_site: '', lead_ids: [], window_start: '09:00', window_end: '19:00', days: ['monday', 'tuesday', 'wednesday', 'thursday', 'friday'],
  time_zone: 'America/New_York', max_attempts: '3', spacing_minutes: '240', max_concurrent_calls: '2', caller_id: '', voicemail_message: '',
};

export const campaignToForm = (c: Campaign): CampaignFormValues => ({
  name: c.name,
  goal: c.goal,
  instructions: c.instructions ?? '',
  lead_mode: c.leads.lead_ids?.length ? 'ids' : 'filter',
  statuses: c.leads.statuses ?? [],
  intents: c.leads.intents ?? [],
  sources: c.leads.sources ?? [],
  assigned_agent_ids: (c.leads.assigned_agent_ids ?? []).map(String),
  areas: (c.leads.areas ?? []).join(', '),
  source_site: c.leads.source_site ?? '',
  lead_ids: c.leads.lead_ids ?? [],
  window_start: c.window_start,
  window_end: c.window_end,
  days: c.days,
  time_zone: c.time_zone,
  max_attempts: String(c.max_attempts),
  spacing_minutes: String(c.spacing_minutes),
  max_concurrent_calls: String(c.max_concurrent_calls),
  caller_id: c.caller_id ?? '',
  voicemail_message: c.voicemail_message ?? '',
});

const wholeNumber = (value: string, label: string, errors: ClientErrors, field: string) => {
  const v = value.trim();
  if (v === '') return null;
  const n = Number(v);
  if (!Number.isInteger(n)) {
    errors[field] = `${label} must be a whole number`;
    return null;
  }
  return n;
};

const orNull = (v: string) => (v.trim() === '' ? null : v.trim());
const listOrNull = <T,>(v: T[]) => (v.length ? v : null);

/**
 * The request body, or the fields the form itself rejects. The client only checks that numbers parse;
 * required fields and ranges are the server's rules, shown per field from its ProblemDetails.
 */
export function toCampaignBody(values: CampaignFormValues): { body: CampaignBody; errors: ClientErrors } {
  const errors: ClientErrors = {};
  const leads: CampaignLeadFilter =
    values.lead_mode === 'ids'
      ? { lead_ids: values.lead_ids }
      : {
          statuses: listOrNull(values.statuses),
          intents: listOrNull(values.intents),
          sources: listOrNull(values.sources),
          assigned_agent_ids: listOrNull(values.assigned_agent_ids.map(Number)),
          areas: listOrNull(values.areas.split(',').map((a) => a.trim()).filter(Boolean)),
          source_site: orNull(values.source_site),
        };
  if (values.lead_mode === 'ids' && values.lead_ids.length === 0) errors.leads = 'Choose at least one lead';
  const body: CampaignBody = {
    name: values.name.trim(),
    goal: values.goal.trim(),
    instructions: orNull(values.instructions),
    leads,
    window_start: values.window_start,
    window_end: values.window_end,
    days: values.days,
    time_zone: values.time_zone.trim(),
    max_attempts: wholeNumber(values.max_attempts, 'Max attempts', errors, 'max_attempts'),
    spacing_minutes: wholeNumber(values.spacing_minutes, 'Spacing', errors, 'spacing_minutes'),
    max_concurrent_calls: wholeNumber(values.max_concurrent_calls, 'Max concurrent calls', errors, 'max_concurrent_calls'),
    caller_id: orNull(values.caller_id),
    voicemail_message: orNull(values.voicemail_message),
  };
  return { body, errors };
}

export function useSaveCampaign(id: number | undefined) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: CampaignBody) =>
      id === undefined
        ? apiRequest('/campaigns/', { method: 'POST', body, schema: campaignSchema })
        : apiRequest(`/campaigns/${id}`, { method: 'PUT', body, schema: campaignSchema }),
    onSuccess: (saved) => {
      queryClient.setQueryData(['campaigns', 'detail', String(saved.id)], saved);
      return queryClient.invalidateQueries({ queryKey: ['campaigns', 'list'] });
    },
  });
}
