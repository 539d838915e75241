import { queryOptions, useQuery } from '@tanstack/react-query';
import { apiRequest } from '@/lib/api-client';
import { propertySchema } from '@/types/api';

export const getProperty = (id: number | string, signal?: AbortSignal) =>
  apiRequest(`/properties/${id}`, { schema: propertySchema, signal });

export const propertyQueryOptions = (id: number | string) =>
  queryOptions({ queryKey: ['properties', 'detail', String(id)], queryFn: ({ signal }) => getProperty(id, signal) });

export const useProperty = (id: number | string | undefined) =>
  useQuery({ ...propertyQueryOptions(id ?? ''), enabled: id !== undefined && id !== '' });
