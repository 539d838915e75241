import { queryOptions, useQuery } from '@tanstack/react-query';
import { apiRequest } from '@/lib/api-client';
import { callSchema, pageOf } from '@/types/api';

const callsPage = pageOf(callSchema);

/** Calls ringing or in progress now; polled slowly as a safety net behind the hub's push updates. */
export const getActiveCalls = async (signal?: AbortSignal) => {
  const [inProgress, ringing] = await Promise.all([
    apiRequest('/calls/', { query: { status: 'in_progress', page_size: 100, include_tests: true }, schema: callsPage, signal }),
    apiRequest('/calls/', { query: { status: 'ringing', page_size: 100 }, schema: callsPage, signal }),
  ]);
  return [...inProgress.items, ...ringing.items];
};

export const activeCallsQueryOptions = () =>
  queryOptions({
    queryKey: ['live-monitor', 'active-calls'],
    queryFn: ({ signal }) => getActiveCalls(signal),
    refetchInterval: 10_000,
  });

export const useActiveCalls = () => useQuery(activeCallsQueryOptions());
