import { useMutation, useQueryClient } from '@tanstack/react-query';
import { apiBlob, apiRequest } from '@/lib/api-client';
import { showingSchema } from '@/types/api';

/** The statuses a showing can be moved to by POST /showings/{id}/status. */
export type ShowingMove = 'confirmed' | 'completed' | 'no_show' | 'canceled';

export const changeShowingStatus = ({ id, status }: { id: number; status: ShowingMove }) =>
  apiRequest(`/showings/${id}/status`, { method: 'POST', body: { status }, schema: showingSchema });

/** Takes a cancellation back (the toast's Undo); the server refuses once the slot has been taken. */
export const restoreShowing = (id: number) => apiRequest(`/showings/${id}/restore`, { method: 'POST', schema: showingSchema });

export function useChangeShowingStatus() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: changeShowingStatus,
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['showings'] }),
  });
}

export function useRestoreShowing() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: restoreShowing,
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['showings'] }),
  });
}

/** The showing's calendar invite (.ics), fetched with the token and saved by the browser. */
export async function downloadInvite(id: number) {
  const blob = await apiBlob(`/showings/${id}/invite.ics`);
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = `showing-${id}.ics`;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
