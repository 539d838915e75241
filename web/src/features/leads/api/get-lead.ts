import { queryOptions, useQuery } from '@tanstack/react-query';
import { apiRequest } from '@/lib/api-client';
import { leadSchema } from '@/types/api';

export const getLead = (id: number | string, signal?: AbortSignal) =>
  apiRequest(`/leads/${id}`, { schema: leadSchema, signal });

export const leadQueryOptions = (id: number | string) =>
  queryOptions({ queryKey: ['leads', 'detail', String(id)], queryFn: ({ signal }) => getLead(id, signal) });

export const useLead = (id: number | string | undefined) =>
  useQuery({ ...leadQueryOptions(id ?? ''), enabled: id !== undefined && id !== '' });
