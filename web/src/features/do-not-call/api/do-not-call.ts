import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { z } from 'zod';
import { apiRequest } from '@/lib/api-client';
import { pageOf } from '@/types/api';

/** A number the team must not call: added here, by a lead's own wish, or by a caller on a call. */
export const doNotCallEntrySchema = z.object({
  id: z.number(),
  phone: z.string(),
  source: z.string(),
  reason: z.string().nullish(),
  added_by_id: z.number().nullish(),
  added_by: z.string().nullish(),
  lead_id: z.number().nullish(),
  added_at: z.string(),
});
export type DoNotCallEntry = z.infer<typeof doNotCallEntrySchema>;

export type DoNotCallFilters = { q?: string; page?: number; page_size?: number };

export const useDoNotCallList = (filters: DoNotCallFilters) =>
  useQuery({
    queryKey: ['do-not-call', 'list', filters],
    queryFn: ({ signal }) => apiRequest('/admin/do-not-call/', { query: filters, schema: pageOf(doNotCallEntrySchema), signal }),
    placeholderData: keepPreviousData,
  });

export function useAddDoNotCall() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: { phone: string; reason: string | null }) =>
      apiRequest('/admin/do-not-call/', { method: 'POST', body, schema: doNotCallEntrySchema }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['do-not-call', 'list'] }),
  });
}

export function useRemoveDoNotCall() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: number) => apiRequest(`/admin/do-not-call/${id}`, { method: 'DELETE' }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['do-not-call', 'list'] }),
  });
}
