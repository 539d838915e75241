import { useMutation, useQueryClient } from '@tanstack/react-query';
import { apiRequest } from '@/lib/api-client';

export const retryWebhookEvent = (id: number) => apiRequest(`/admin/webhook-events/${id}/retry`, { method: 'POST' });

export function useRetryWebhookEvent() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: retryWebhookEvent,
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['admin', 'webhook-events'] }),
  });
}
