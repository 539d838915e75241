import { keepPreviousData, queryOptions, useQuery } from '@tanstack/react-query';
import { apiBlob, apiRequest } from '@/lib/api-client';
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
  /** 'true': browser test calls too (left out otherwise). */
  include_tests?: string;
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

export const useCalls = (filters: CallFilters, options: { refetchInterval?: number; enabled?: boolean } = {}) =>
  useQuery({ ...callsQueryOptions(filters), ...options });

/** The calls matching the filters (every page, in the list's order) as a CSV file, saved by the browser. */
export async function exportCalls(filters: Omit<CallFilters, 'page' | 'page_size'>) {
  const blob = await apiBlob('/calls/export.csv', undefined, filters);
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = `calls-${new Date().toISOString().slice(0, 10)}.csv`;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
