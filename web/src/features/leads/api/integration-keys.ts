import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { z } from 'zod';
import { apiRequest } from '@/lib/api-client';

export const integrationKeySchema = z.object({
  id: z.number(),
  site: z.string(),
  prefix: z.string(),
  created_at: z.string(),
  last_used_at: z.string().nullish(),
  revoked_at: z.string().nullish(),
});
export type IntegrationKey = z.infer<typeof integrationKeySchema>;
const createdKeySchema = z.object({ id: z.number(), site: z.string(), prefix: z.string(), key: z.string(), created_at: z.string() });

const queryKey = ['admin', 'integration-keys'];

export const useIntegrationKeys = () =>
  useQuery({ queryKey, queryFn: ({ signal }) => apiRequest('/admin/integration-keys/', { schema: z.array(integrationKeySchema), signal }) });

export function useCreateIntegrationKey() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (site: string) => apiRequest('/admin/integration-keys/', { method: 'POST', body: { site }, schema: createdKeySchema }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey }),
  });
}

export function useRevokeIntegrationKey() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: number) => apiRequest(`/admin/integration-keys/${id}`, { method: 'DELETE' }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey }),
  });
}
