import { useMutation, useQueryClient } from '@tanstack/react-query';
import { z } from 'zod';
import { apiRequest } from '@/lib/api-client';

const fact = <T extends z.ZodTypeAny>(value: T) => z.object({ value, confidence: z.number() }).nullish();

export const extractedFieldsSchema = z.object({
  intent: fact(z.string()),
  areas: fact(z.array(z.string())),
  budget_min: fact(z.number()),
  budget_max: fact(z.number()),
  bedrooms: fact(z.number()),
  timeline: fact(z.string()),
  pre_approved: fact(z.boolean()),
  name: fact(z.string()),
  email: fact(z.string()),
});
export type ExtractedFields = z.infer<typeof extractedFieldsSchema>;

export const callAnalysisSchema = z.object({
  status: z.enum(['pending', 'done', 'failed']),
  summary: z.string().nullish(),
  sentiment: z.enum(['positive', 'neutral', 'negative']).nullish(),
  success: z.boolean().nullish(),
  success_reason: z.string().nullish(),
  fields: extractedFieldsSchema.nullish(),
  next_steps: z.array(z.string()).nullish(),
  source: z.string().nullish(),
  model: z.string().nullish(),
  tokens: z.object({ input: z.number().nullish(), output: z.number().nullish() }).nullish(),
  error: z.string().nullish(),
  analyzed_at: z.string().nullish(),
  edited_at: z.string().nullish(),
  applied_to_lead_at: z.string().nullish(),
});
export type CallAnalysis = z.infer<typeof callAnalysisSchema>;

export type CallAnalysisEdit = {
  summary: string;
  sentiment: 'positive' | 'neutral' | 'negative';
  success: boolean;
  success_reason?: string | null;
  fields?: ExtractedFields | null;
  next_steps: string[];
};

const invalidateCall = (queryClient: ReturnType<typeof useQueryClient>, callId: number) =>
  Promise.all([
    queryClient.invalidateQueries({ queryKey: ['calls', 'detail', String(callId)] }),
    queryClient.invalidateQueries({ queryKey: ['leads'] }),
  ]);

export function useSaveCallAnalysis(callId: number) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (edit: CallAnalysisEdit) =>
      apiRequest(`/calls/${callId}/analysis/`, { method: 'PUT', body: edit, schema: callAnalysisSchema }),
    onSuccess: () => invalidateCall(queryClient, callId),
  });
}

export function useApplyAnalysisToLead(callId: number) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => apiRequest(`/calls/${callId}/analysis/apply-to-lead`, { method: 'POST', schema: callAnalysisSchema }),
    onSuccess: () => invalidateCall(queryClient, callId),
  });
}
