import { useMutation, useQueryClient } from '@tanstack/react-query';
import { apiRequest } from '@/lib/api-client';

export const assignLead = (leadId: number, agentId: number) =>
  apiRequest(`/leads/${leadId}/assign`, { method: 'POST', body: { agent_id: agentId } });

export function useAssignLead(leadId: number) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (agentId: number) => assignLead(leadId, agentId),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['leads'] }),
  });
}
