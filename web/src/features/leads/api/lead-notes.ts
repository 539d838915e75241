import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { z } from 'zod';
import { apiRequest } from '@/lib/api-client';
import { pageOf } from '@/types/api';

export const leadNoteSchema = z.object({
  id: z.number(),
  lead_id: z.number(),
  body: z.string(),
  author_id: z.number().nullish(),
  author_name: z.string().nullish(),
  created_at: z.string(),
});
export type LeadNote = z.infer<typeof leadNoteSchema>;

export const getLeadNotes = (leadId: number, signal?: AbortSignal) =>
  apiRequest(`/leads/${leadId}/notes`, { query: { page_size: 100 }, schema: pageOf(leadNoteSchema), signal });

export const useLeadNotes = (leadId: number) =>
  useQuery({ queryKey: ['leads', 'notes', leadId], queryFn: ({ signal }) => getLeadNotes(leadId, signal) });

/** A new or deleted note changes the notes list and the timeline, both under ['leads']. */
function useLeadsInvalidation() {
  const queryClient = useQueryClient();
  return () => queryClient.invalidateQueries({ queryKey: ['leads'] });
}

export function useAddLeadNote(leadId: number) {
  const onSuccess = useLeadsInvalidation();
  return useMutation({
    mutationFn: (body: string) => apiRequest(`/leads/${leadId}/notes`, { method: 'POST', body: { body }, schema: leadNoteSchema }),
    onSuccess,
  });
}

export function useDeleteLeadNote(leadId: number) {
  const onSuccess = useLeadsInvalidation();
  return useMutation({
    mutationFn: (noteId: number) => apiRequest(`/leads/${leadId}/notes/${noteId}`, { method: 'DELETE' }),
    onSuccess,
  });
}
