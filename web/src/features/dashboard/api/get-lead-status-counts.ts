import { queryOptions, useQuery } from '@tanstack/react-query';
import { apiRequest } from '@/lib/api-client';
import { leadSchema, leadStatuses, pageOf } from '@/types/api';

const countSchema = pageOf(leadSchema);

/** Leads per status from the list endpoint's totals (page_size=1 keeps each answer tiny). */
export const getLeadStatusCounts = async (signal?: AbortSignal) =>
  Promise.all(
    leadStatuses.map(async (status) => {
      const page = await apiRequest('/leads/', { query: { status, page_size: 1 }, schema: countSchema, signal });
      return { status, count: page.total };
    }),
  );

export const leadStatusCountsQueryOptions = () =>
  queryOptions({ queryKey: ['dashboard', 'lead-status-counts'], queryFn: ({ signal }) => getLeadStatusCounts(signal) });

export const useLeadStatusCounts = () => useQuery(leadStatusCountsQueryOptions());
