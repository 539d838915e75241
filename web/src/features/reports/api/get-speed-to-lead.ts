import { keepPreviousData, queryOptions, useQuery } from '@tanstack/react-query';
import { z } from 'zod';
import { apiRequest } from '@/lib/api-client';
import type { ReportRange } from './get-report-summary';

const figures = {
  leads: z.number(),
  called: z.number(),
  median_seconds: z.number().nullish(),
  p90_seconds: z.number().nullish(),
  within_target: z.number(),
  later: z.number(),
  not_yet_called: z.number(),
};

export const speedToLeadSchema = z.object({
  from: z.string().nullish(),
  to: z.string().nullish(),
  enabled: z.boolean().default(true),
  target_seconds: z.number().default(60),
  ...figures,
  weeks: z.array(z.object({ week: z.string(), week_start: z.string(), ...figures })).default([]),
});
export type SpeedToLeadReport = z.infer<typeof speedToLeadSchema>;

export const getSpeedToLead = (range: ReportRange, signal?: AbortSignal) =>
  apiRequest('/reports/speed-to-lead', { query: range, schema: speedToLeadSchema, signal });

export const speedToLeadQueryOptions = (range: ReportRange) =>
  queryOptions({
    queryKey: ['reports', 'speed-to-lead', range],
    queryFn: ({ signal }) => getSpeedToLead(range, signal),
    placeholderData: keepPreviousData,
  });

export const useSpeedToLead = (range: ReportRange, options: { enabled?: boolean } = {}) =>
  useQuery({ ...speedToLeadQueryOptions(range), ...options });
