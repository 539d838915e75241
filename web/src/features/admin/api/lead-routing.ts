import { queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { z } from 'zod';
import { apiRequest } from '@/lib/api-client';

export const leadRoutingModes = ['off', 'round_robin', 'by_area'] as const;
export const leadRoutingSchema = z.object({
  mode: z.enum(leadRoutingModes),
  areas: z.array(z.object({ match: z.string(), agent_id: z.number() })),
});
export type LeadRouting = z.infer<typeof leadRoutingSchema>;

const key = ['admin', 'lead-routing'] as const;

export const leadRoutingQueryOptions = () =>
  queryOptions({ queryKey: key, queryFn: ({ signal }) => apiRequest('/admin/lead-routing/', { schema: leadRoutingSchema, signal }) });

export const useLeadRouting = () => useQuery(leadRoutingQueryOptions());

export function useSaveLeadRouting() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: LeadRouting) => apiRequest('/admin/lead-routing/', { method: 'PUT', body, schema: leadRoutingSchema }),
    onSuccess: (saved) => queryClient.setQueryData(key, saved),
  });
}
