import { queryOptions, useQuery } from '@tanstack/react-query';
import { z } from 'zod';
import { apiRequest } from '@/lib/api-client';
import { callSchema, pageOf } from '@/types/api';

const summarySchema = z.object({
  total_calls: z.number(),
  answered_calls: z.number().default(0),
  average_duration_seconds: z.number().nullish(),
  calls_per_day: z.array(z.object({ date: z.string(), total: z.number() })).default([]),
});
const callsPage = pageOf(callSchema);

export type CallStatsRange = { todayFrom: string; weekFrom: string; to: string };

/** Today's and this week's numbers, plus how many calls are live right now. */
export const getCallStats = async (range: CallStatsRange, signal?: AbortSignal) => {
  const [today, week, active] = await Promise.all([
    apiRequest('/reports/summary', { query: { from: range.todayFrom, to: range.to }, schema: summarySchema, signal }),
    apiRequest('/reports/summary', { query: { from: range.weekFrom, to: range.to }, schema: summarySchema, signal }),
    apiRequest('/calls/', { query: { status: 'in_progress', page_size: 1 }, schema: callsPage, signal }),
  ]);
  return { today, week, activeNow: active.total };
};

export const callStatsQueryOptions = (range: CallStatsRange) =>
  queryOptions({
    queryKey: ['dashboard', 'call-stats', range],
    queryFn: ({ signal }) => getCallStats(range, signal),
    refetchInterval: 15_000,
  });

export const useCallStats = (range: CallStatsRange) => useQuery(callStatsQueryOptions(range));
