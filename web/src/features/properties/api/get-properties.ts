import { keepPreviousData, queryOptions, useQuery } from '@tanstack/react-query';
import { apiRequest } from '@/lib/api-client';
import { pageOf, propertySchema } from '@/types/api';

export type PropertyFilters = {
  q?: string;
  city?: string;
  min_price?: string;
  max_price?: string;
  bedrooms?: string;
  status?: string;
  sort?: string;
  page?: number;
  page_size?: number;
};

export const propertiesPageSchema = pageOf(propertySchema);

export const getProperties = (filters: PropertyFilters, signal?: AbortSignal) =>
  apiRequest('/properties/', { query: filters, schema: propertiesPageSchema, signal });

export const propertiesQueryOptions = (filters: PropertyFilters) =>
  queryOptions({
    queryKey: ['properties', 'list', filters],
    queryFn: ({ signal }) => getProperties(filters, signal),
    placeholderData: keepPreviousData,
  });

export const useProperties = (filters: PropertyFilters, options: { enabled?: boolean } = {}) =>
  useQuery({ ...propertiesQueryOptions(filters), ...options });
