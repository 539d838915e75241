import { useMutation, useQueryClient } from '@tanstack/react-query';
import { apiRequest } from '@/lib/api-client';

/** Only a draft can be deleted (a started one is stopped instead; the server answers 409 otherwise). */
export function useDeleteCampaign() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: number) => apiRequest(`/campaigns/${id}`, { method: 'DELETE' }),
    onSuccess: (_, id) => {
      queryClient.removeQueries({ queryKey: ['campaigns', 'detail', String(id)] });
      return queryClient.invalidateQueries({ queryKey: ['campaigns', 'list'] });
    },
  });
}
