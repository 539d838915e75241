import { queryOptions, useQuery } from '@tanstack/react-query';
import { apiRequest } from '@/lib/api-client';
import { userSchema } from '@/types/api';

export const getMe = (signal?: AbortSignal) => apiRequest('/auth/me', { schema: userSchema, signal });

export const meQueryOptions = () =>
  queryOptions({ queryKey: ['auth', 'me'], queryFn: ({ signal }) => getMe(signal), staleTime: 5 * 60_000 });

export const useMe = (enabled: boolean) => useQuery({ ...meQueryOptions(), enabled });
