import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { z } from 'zod';
import { apiRequest } from '@/lib/api-client';

/** The newest national registry upload and what this server node has loaded of it. */
export const registryStatusSchema = z.object({
  upload_id: z.number().nullish(),
  number_count: z.number().nullish(),
  bad_line_count: z.number().nullish(),
  file_name: z.string().nullish(),
  uploaded_at: z.string().nullish(),
  uploaded_by: z.string().nullish(),
  loaded_count: z.number(),
  loaded_upload_id: z.number().nullish(),
  loaded_at: z.string().nullish(),
});
export type RegistryStatus = z.infer<typeof registryStatusSchema>;

export const registryUploadSchema = z.object({
  upload_id: z.number(),
  count: z.number(),
  bad_line_count: z.number(),
  bad_lines: z.array(z.object({ line: z.number(), text: z.string() })),
});
export type RegistryUpload = z.infer<typeof registryUploadSchema>;

const path = '/admin/do-not-call/registry/';

/** Admins only: the server refuses a Manager, so the page asks only when `enabled`. */
export const useRegistryStatus = (enabled: boolean) =>
  useQuery({ queryKey: ['do-not-call', 'registry'], queryFn: ({ signal }) => apiRequest(path, { schema: registryStatusSchema, signal }), enabled });

export function useUploadRegistry() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (file: File) => {
      const form = new FormData();
      form.append('file', file);
      return apiRequest(path, { method: 'POST', body: form, schema: registryUploadSchema });
    },
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['do-not-call', 'registry'] }),
  });
}
