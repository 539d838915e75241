import { useMutation, useQueryClient } from '@tanstack/react-query';
import { apiRequest } from '@/lib/api-client';
import { showingSchema } from '@/types/api';

export type CreateShowingBody = { lead_id: number; property_id: number; starts_at: string; notes?: string };

export const createShowing = (body: CreateShowingBody) =>
  apiRequest('/showings/', { method: 'POST', body, schema: showingSchema });

export function useCreateShowing() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: createShowing,
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['showings'] }),
  });
}
