import { keepPreviousData, queryOptions, useQuery } from '@tanstack/react-query';
import { apiRequest } from '@/lib/api-client';
import { callSchema, pageOf } from '@/types/api';

export type CallFilters = {
  status?: string;
  direction?: string;
  from?: string;
  to?: string;
  agent_id?: string | number;
  lead_id?: string | number;
  outcome?: string;
  call_sid?: string;
  q?: string;
  sort?: string;
  page?: number;
  page_size?: number;
};

export const callsPageSchema = pageOf(callSchema);

export const getCalls = (filters: CallFilters, signal?: AbortSignal) =>
  apiRequest('/calls/', { query: filters, schema: callsPageSchema, signal });

export const callsQueryOptions = (filters: CallFilters) =>
  queryOptions({
    queryKey: ['calls', 'list', filters],
    queryFn: ({ signal }) => getCalls(filters, signal),
    placeholderData: keepPreviousData,
  });

export const useCalls = (filters: CallFilters, options: { refetchInterval?: number } = {}) =>
  useQuery({ ...callsQueryOptions(filters), ...options });
