import { keepPreviousData, queryOptions, useQuery } from '@tanstack/react-query';
import { z } from 'zod';
import { apiRequest } from '@/lib/api-client';
import { pageOf } from '@/types/api';

export const timelineItemSchema = z.object({
  kind: z.string(),
  at: z.string(),
  title: z.string(),
  detail: z.string().nullish(),
  actor_name: z.string().nullish(),
  call_id: z.number().nullish(),
  showing_id: z.number().nullish(),
  note_id: z.number().nullish(),
});
export type TimelineItem = z.infer<typeof timelineItemSchema>;

export const getLeadTimeline = (leadId: number | string, page: number, signal?: AbortSignal) =>
  apiRequest(`/leads/${leadId}/timeline`, { query: { page, page_size: 20 }, schema: pageOf(timelineItemSchema), signal });

export const useLeadTimeline = (leadId: number | string, page: number) =>
  useQuery(
    queryOptions({
      queryKey: ['leads', 'timeline', String(leadId), page],
      queryFn: ({ signal }) => getLeadTimeline(leadId, page, signal),
      placeholderData: keepPreviousData,
    }),
  );
