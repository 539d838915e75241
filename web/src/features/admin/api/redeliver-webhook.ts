import { useMutation, useQueryClient } from '@tanstack/react-query';
import { apiRequest } from '@/lib/api-client';

export const redeliverWebhook = (id: number) => apiRequest(`/admin/webhook-deliveries/${id}/redeliver`, { method: 'POST' });

export function useRedeliverWebhook() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: redeliverWebhook,
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['admin', 'webhook-deliveries'] }),
  });
}
