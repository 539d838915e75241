import { useMutation, useQueryClient } from '@tanstack/react-query';
import { apiRequest } from '@/lib/api-client';
import { callSchema } from '@/types/api';

export const placeOutboundCall = (leadId: number) =>
  apiRequest('/calls/outbound', { method: 'POST', body: { lead_id: leadId }, schema: callSchema });

export function usePlaceOutboundCall() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: placeOutboundCall,
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['calls', 'list'] }),
  });
}
