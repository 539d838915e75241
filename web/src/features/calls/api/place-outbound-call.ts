import { useMutation, useQueryClient } from '@tanstack/react-query';
import { z } from 'zod';
import { apiRequest } from '@/lib/api-client';

/** What `POST /calls/outbound` answers (202): the call row it created, not a full call. */
export const placedCallSchema = z.object({
  call_id: z.number(),
  call_sid: z.string(),
  status: z.string(),
  lead_id: z.number(),
});
export type PlacedCall = z.infer<typeof placedCallSchema>;

export const placeOutboundCall = (leadId: number) =>
  apiRequest('/calls/outbound', { method: 'POST', body: { lead_id: leadId }, schema: placedCallSchema });

export function usePlaceOutboundCall() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: placeOutboundCall,
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['calls', 'list'] }),
  });
}
