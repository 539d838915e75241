import { keepPreviousData, queryOptions, useQuery } from '@tanstack/react-query';
import { apiRequest } from '@/lib/api-client';
import { leadSchema, pageOf } from '@/types/api';

export type LeadFilters = {
  q?: string;
  status?: string;
  intent?: string;
  assigned_agent_id?: string;
  sort?: string;
  page?: number;
  page_size?: number;
};

export const leadsPageSchema = pageOf(leadSchema);

export const getLeads = (filters: LeadFilters, signal?: AbortSignal) =>
  apiRequest('/leads/', { query: filters, schema: leadsPageSchema, signal });

export const leadsQueryOptions = (filters: LeadFilters) =>
  queryOptions({
    queryKey: ['leads', 'list', filters],
    queryFn: ({ signal }) => getLeads(filters, signal),
    placeholderData: keepPreviousData,
  });

export const useLeads = (filters: LeadFilters) => useQuery(leadsQueryOptions(filters));
