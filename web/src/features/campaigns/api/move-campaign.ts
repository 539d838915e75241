import { useMutation, useQueryClient } from '@tanstack/react-query';
import { apiRequest } from '@/lib/api-client';
import { campaignSchema } from './get-campaigns';

export type CampaignMove = 'start' | 'pause' | 'resume' | 'stop';

/** Start, pause, resume or stop; a move the campaign's state forbids is a 409 with the reason. */
export function useMoveCampaign(id: number) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (move: CampaignMove) => apiRequest(`/campaigns/${id}/${move}`, { method: 'POST', schema: campaignSchema }),
    onSuccess: (campaign) => {
      queryClient.setQueryData(['campaigns', 'detail', String(campaign.id)], campaign);
      return queryClient.invalidateQueries({ queryKey: ['campaigns'] });
    },
  });
}
