import { keepPreviousData, queryOptions, useQuery } from '@tanstack/react-query';
import { z } from 'zod';
import { apiRequest } from '@/lib/api-client';
import { pageOf } from '@/types/api';

export const webhookEventSchema = z.object({
  id: z.number(),
  call_sid: z.string().nullish(),
  event_type: z.string(),
  event_timestamp: z.union([z.string(), z.number()]).nullish(),
  received_at: z.string().nullish(),
  processing_state: z.string(),
  attempts: z.number().default(0),
  last_error: z.string().nullish(),
});
export type WebhookEvent = z.infer<typeof webhookEventSchema>;

export const webhookEventsResponseSchema = z.union([
  pageOf(webhookEventSchema),
  z.array(webhookEventSchema).transform((items) => ({ items, total: items.length, page: 1, page_size: items.length })),
]);

export type WebhookEventFilters = { state?: string; page?: number; page_size?: number };

export const getWebhookEvents = (filters: WebhookEventFilters, signal?: AbortSignal) =>
  apiRequest('/admin/webhook-events', { query: filters, schema: webhookEventsResponseSchema, signal });

export const webhookEventsQueryOptions = (filters: WebhookEventFilters) =>
  queryOptions({
    queryKey: ['admin', 'webhook-events', filters],
    queryFn: ({ signal }) => getWebhookEvents(filters, signal),
    placeholderData: keepPreviousData,
  });

export const useWebhookEvents = (filters: WebhookEventFilters) => useQuery(webhookEventsQueryOptions(filters));
