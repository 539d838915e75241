import { useMutation, useQueryClient } from '@tanstack/react-query';
import { apiRequest } from '@/lib/api-client';

export const cancelShowing = (id: number) => apiRequest(`/showings/${id}/cancel`, { method: 'POST' });

export function useCancelShowing() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: cancelShowing,
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['showings'] }),
  });
}
