import { keepPreviousData, queryOptions, useQuery } from '@tanstack/react-query';
import { z } from 'zod';
import { apiRequest } from '@/lib/api-client';
import { pageOf, showingSchema } from '@/types/api';

export type ShowingFilters = {
  from?: string;
  to?: string;
  status?: string;
  lead_id?: string | number;
  agent_id?: string | number;
  page?: number;
  page_size?: number;
  sort?: string;
};

// The agreed shape is a page; a bare array is accepted too so the page works with either server version.
export const showingsResponseSchema = z.union([
  pageOf(showingSchema),
  z.array(showingSchema).transform((items) => ({ items, total: items.length, page: 1, page_size: items.length })),
]);

export const getShowings = (filters: ShowingFilters, signal?: AbortSignal) =>
  apiRequest('/showings/', { query: filters, schema: showingsResponseSchema, signal });

export const showingsQueryOptions = (filters: ShowingFilters) =>
  queryOptions({
    queryKey: ['showings', 'list', filters],
    queryFn: ({ signal }) => getShowings(filters, signal),
    placeholderData: keepPreviousData,
  });

export const useShowings = (filters: ShowingFilters, options: { enabled?: boolean } = {}) =>
  useQuery({ ...showingsQueryOptions(filters), ...options });
