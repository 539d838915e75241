import { keepPreviousData, queryOptions, useQuery } from '@tanstack/react-query';
import { z } from 'zod';
import { apiRequest } from '@/lib/api-client';
import { pageOf } from '@/types/api';

/** One outgoing end-of-call report to one configured URL (`OUTGOING_WEBHOOK_URLS`). */
export const webhookDeliverySchema = z.object({
  id: z.number(),
  event_id: z.string(),
  event_type: z.string(),
  call_id: z.number().nullish(),
  url: z.string(),
  status: z.string(),
  attempts: z.number(),
  last_response_code: z.number().nullish(),
  last_error: z.string().nullish(),
  next_attempt_at: z.string().nullish(),
  last_attempt_at: z.string().nullish(),
  delivered_at: z.string().nullish(),
  created_at: z.string(),
});
export type WebhookDelivery = z.infer<typeof webhookDeliverySchema>;

export type WebhookDeliveryFilters = { status?: string; page?: number; page_size?: number };

export const getWebhookDeliveries = (filters: WebhookDeliveryFilters, signal?: AbortSignal) =>
  apiRequest('/admin/webhook-deliveries', { query: filters, schema: pageOf(webhookDeliverySchema), signal });

export const webhookDeliveriesQueryOptions = (filters: WebhookDeliveryFilters) =>
  queryOptions({
    queryKey: ['admin', 'webhook-deliveries', filters],
    queryFn: ({ signal }) => getWebhookDeliveries(filters, signal),
    placeholderData: keepPreviousData,
  });

export const useWebhookDeliveries = (filters: WebhookDeliveryFilters) => useQuery(webhookDeliveriesQueryOptions(filters));
