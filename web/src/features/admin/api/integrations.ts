import { queryOptions, useMutation, useQuery } from '@tanstack/react-query';
import { z } from 'zod';
import { apiRequest } from '@/lib/api-client';

export const integrationSchema = z.object({
  name: z.string(),
  label: z.string(),
  configured: z.boolean(),
  mode: z.string().nullish(),
  target: z.string().nullish(),
  details: z.array(z.string()).default([]),
  env_vars: z.array(z.string()).default([]),
});
export type Integration = z.infer<typeof integrationSchema>;

export const integrationTestResultSchema = z.object({
  name: z.string(),
  ok: z.boolean(),
  status: z.number().nullish(),
  message: z.string(),
  elapsed_ms: z.number(),
});
export type IntegrationTestResult = z.infer<typeof integrationTestResultSchema>;

const integrationsResponseSchema = z.object({ items: z.array(integrationSchema) });

export const integrationsQueryOptions = () =>
  queryOptions({
    queryKey: ['admin', 'integrations'],
    queryFn: ({ signal }) => apiRequest('/admin/integrations', { schema: integrationsResponseSchema, signal }),
  });

export const useIntegrations = () => useQuery(integrationsQueryOptions());

export const testIntegration = (name: string) =>
  apiRequest(`/admin/integrations/${encodeURIComponent(name)}/test`, { method: 'POST', schema: integrationTestResultSchema });

export const useTestIntegration = () => useMutation({ mutationFn: testIntegration });
