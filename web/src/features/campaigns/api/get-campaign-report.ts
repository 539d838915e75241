import { useQuery } from '@tanstack/react-query';
import { z } from 'zod';
import { apiRequest } from '@/lib/api-client';

/** Rates are of dialed leads (0 to 1), null before the first dial. */
export const campaignReportSchema = z.object({
  campaign_id: z.number(),
  leads: z.number(),
  dialed: z.number(),
  contacted: z.number(),
  contact_rate: z.number().nullish(),
  qualified: z.number(),
  qualification_rate: z.number().nullish(),
  showings_booked: z.number(),
  opted_out: z.number(),
  opt_out_rate: z.number().nullish(),
});
export type CampaignReport = z.infer<typeof campaignReportSchema>;

export const useCampaignReport = (id: string | undefined) =>
  useQuery({
    queryKey: ['campaigns', 'detail', id, 'report'],
    queryFn: ({ signal }) => apiRequest(`/campaigns/${id}/report`, { schema: campaignReportSchema, signal }),
    enabled: id !== undefined,
  });
