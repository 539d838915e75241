import { queryOptions, useQuery } from '@tanstack/react-query';
import { z } from 'zod';
import { apiRequest } from '@/lib/api-client';

export const notificationSchema = z.object({
  id: z.number(),
  kind: z.string(),
  title: z.string(),
  link: z.string().nullish(),
  created_at: z.string(),
  read_at: z.string().nullish(),
});
export type Notification = z.infer<typeof notificationSchema>;

/** `GET /notifications`: mine, unread first, with the unread count the badge shows. */
export const notificationsPageSchema = z.object({
  items: z.array(notificationSchema),
  total: z.number(),
  page: z.number(),
  page_size: z.number(),
  unread: z.number(),
});

export const notificationsKey = ['notifications'] as const;

export const getNotifications = (signal?: AbortSignal) =>
  apiRequest('/notifications/', { query: { page_size: 20 }, schema: notificationsPageSchema, signal });

export const notificationsQueryOptions = () =>
  queryOptions({
    queryKey: notificationsKey,
    queryFn: ({ signal }) => getNotifications(signal),
    // A fallback for when the live push is unavailable (proxy without WebSockets, hub restarting).
    refetchInterval: 60_000,
  });

export const useNotifications = () => useQuery(notificationsQueryOptions());
