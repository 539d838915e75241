import { keepPreviousData, queryOptions, useQuery } from '@tanstack/react-query';
import { z } from 'zod';
import { apiRequest } from '@/lib/api-client';
import { pageOf } from '@/types/api';

export const campaignStates = ['draft', 'running', 'paused', 'stopped', 'completed'] as const;
export type CampaignState = (typeof campaignStates)[number];
export const weekDays = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'] as const;
export const leadSources = ['inbound_call', 'outbound_call', 'website', 'referral', 'portal', 'walk_in', 'other'] as const;

/** Which leads a campaign calls: either `lead_ids` or filter fields (the server refuses both at once). */
export const campaignLeadFilterSchema = z.object({
  lead_ids: z.array(z.number()).nullish(),
  statuses: z.array(z.string()).nullish(),
  intents: z.array(z.string()).nullish(),
  sources: z.array(z.string()).nullish(),
  assigned_agent_ids: z.array(z.number()).nullish(),
  areas: z.array(z.string()).nullish(),
  source_site: z.string().nullish(),
});
export type CampaignLeadFilter = z.infer<typeof campaignLeadFilterSchema>;

/** How far a campaign got; `dialed` counts leads called at least once, `opted_out` those skipped for do-not-call. */
export const campaignProgressSchema = z.object({
  total: z.number(),
  queued: z.number(),
  dialing: z.number(),
  dialed: z.number(),
  answered: z.number(),
  voicemail: z.number(),
  no_answer: z.number(),
  busy: z.number(),
  failed: z.number(),
  done: z.number(),
  skipped: z.number(),
  opted_out: z.number(),
});
export type CampaignProgress = z.infer<typeof campaignProgressSchema>;

export const campaignSchema = z.object({
  id: z.number(),
  name: z.string(),
  goal: z.string(),
  instructions: z.string().nullish(),
  leads: campaignLeadFilterSchema,
  window_start: z.string(),
  window_end: z.string(),
  days: z.array(z.string()),
  time_zone: z.string(),
  max_attempts: z.number(),
  spacing_minutes: z.number(),
  max_concurrent_calls: z.number(),
  caller_id: z.string().nullish(),
  voicemail_message: z.string().nullish(),
  state: z.enum(campaignStates).or(z.string()),
  started_at: z.string().nullish(),
  ended_at: z.string().nullish(),
  created_at: z.string(),
  updated_at: z.string().nullish(),
  progress: campaignProgressSchema,
  /** Which built-in campaign this is (`speed_to_lead`), null for one users made: it pauses and resumes but never stops nor is deleted. */
  built_in: z.string().nullish(),
});
export type Campaign = z.infer<typeof campaignSchema>;

export type CampaignFilters = { state?: string; page?: number; page_size?: number };

export const campaignsQueryOptions = (filters: CampaignFilters) =>
  queryOptions({
    queryKey: ['campaigns', 'list', filters],
    queryFn: ({ signal }) => apiRequest('/campaigns/', { query: filters, schema: pageOf(campaignSchema), signal }),
    placeholderData: keepPreviousData,
  });

export const useCampaigns = (filters: CampaignFilters) => useQuery(campaignsQueryOptions(filters));

/** A running campaign's counters move while it dials, so its page asks again every few seconds. */
export const liveRefetchMs = 4000;
export const isLive = (state: string | undefined) => state === 'running';

export const useCampaign = (id: string | undefined) =>
  useQuery({
    queryKey: ['campaigns', 'detail', id],
    queryFn: ({ signal }) => apiRequest(`/campaigns/${id}`, { schema: campaignSchema, signal }),
    enabled: id !== undefined,
    refetchInterval: (query) => (isLive(query.state.data?.state) ? liveRefetchMs : false),
  });
