import { queryOptions, useQuery } from '@tanstack/react-query';
import { z } from 'zod';
import { apiRequest } from '@/lib/api-client';
import { callSchema, pageOf, showingSchema } from '@/types/api';

const showingsSchema = z.union([pageOf(showingSchema), z.array(showingSchema).transform((items) => ({ items }))]);

export const getRecentActivity = async (now: string, signal?: AbortSignal) => {
  const [calls, showings] = await Promise.all([
    apiRequest('/calls/', { query: { page_size: 6 }, schema: pageOf(callSchema), signal }),
    apiRequest('/showings/', { query: { from: now, status: 'scheduled', page_size: 6, sort: 'starts_at' }, schema: showingsSchema, signal }),
  ]);
  const upcoming = [...showings.items].sort((a, b) => a.starts_at.localeCompare(b.starts_at)).slice(0, 6);
  return { recentCalls: calls.items, upcomingShowings: upcoming };
};

export const recentActivityQueryOptions = (now: string) =>
  queryOptions({
    queryKey: ['dashboard', 'recent-activity', now],
    queryFn: ({ signal }) => getRecentActivity(now, signal),
    refetchInterval: 30_000,
  });

export const useRecentActivity = (now: string) => useQuery(recentActivityQueryOptions(now));
