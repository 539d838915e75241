import { keepPreviousData, queryOptions, useQuery } from '@tanstack/react-query';
import { z } from 'zod';
import { apiRequest } from '@/lib/api-client';

export const reportSummarySchema = z.object({
  from: z.string().nullish(),
  to: z.string().nullish(),
  total_calls: z.number(),
  answered_calls: z.number().default(0),
  average_duration_seconds: z.number().nullish(),
  calls_per_day: z
    .array(z.object({ date: z.string(), total: z.number(), inbound: z.number().default(0), outbound: z.number().default(0) }))
    .default([]),
  outcomes: z.array(z.object({ outcome: z.string().nullish(), count: z.number() })).default([]),
  leads_created: z.number().default(0),
  leads_qualified: z.number().default(0),
  showings_booked: z.number().default(0),
  funnel: z.object({ leads: z.number(), qualified: z.number(), showing: z.number() }).nullish(),
  per_agent: z
    .array(
      z.object({
        agent_id: z.number().nullish(),
        agent_name: z.string().nullish(),
        calls: z.number().default(0),
        average_duration_seconds: z.number().nullish(),
        leads_assigned: z.number().default(0),
        leads_qualified: z.number().default(0),
        showings_booked: z.number().default(0),
      }),
    )
    .default([]),
});
export type ReportSummary = z.infer<typeof reportSummarySchema>;

export type ReportRange = { from: string; to: string };

export const getReportSummary = (range: ReportRange, signal?: AbortSignal) =>
  apiRequest('/reports/summary', { query: range, schema: reportSummarySchema, signal });

export const reportSummaryQueryOptions = (range: ReportRange) =>
  queryOptions({
    queryKey: ['reports', 'summary', range],
    queryFn: ({ signal }) => getReportSummary(range, signal),
    placeholderData: keepPreviousData,
  });

export const useReportSummary = (range: ReportRange, options: { enabled?: boolean } = {}) =>
  useQuery({ ...reportSummaryQueryOptions(range), ...options });
