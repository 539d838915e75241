import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { z } from 'zod';
import { apiRequest } from '@/lib/api-client';
import { pageOf } from '@/types/api';
import { liveRefetchMs } from './get-campaigns';

export const campaignLeadStates = ['queued', 'dialing', 'answered', 'voicemail', 'no_answer', 'busy', 'failed', 'done', 'skipped'] as const;

/** One lead's place in a campaign: what happened on its calls and, when skipped, why. */
export const campaignLeadSchema = z.object({
  id: z.number(),
  lead_id: z.number(),
  lead_name: z.string(),
  lead_phone: z.string(),
  state: z.enum(campaignLeadStates).or(z.string()),
  attempts: z.number(),
  next_attempt_at: z.string().nullish(),
  last_call_id: z.number().nullish(),
  answered_by: z.string().nullish(),
  reason_code: z.string().nullish(),
  reason: z.string().nullish(),
  updated_at: z.string().nullish(),
});
export type CampaignLead = z.infer<typeof campaignLeadSchema>;

export type CampaignLeadFilters = { state?: string; page?: number; page_size?: number };

export const useCampaignLeads = (id: string | undefined, filters: CampaignLeadFilters, live: boolean) =>
  useQuery({
    queryKey: ['campaigns', 'detail', id, 'leads', filters],
    queryFn: ({ signal }) => apiRequest(`/campaigns/${id}/leads`, { query: filters, schema: pageOf(campaignLeadSchema), signal }),
    enabled: id !== undefined,
    placeholderData: keepPreviousData,
    refetchInterval: live ? liveRefetchMs : false,
  });
