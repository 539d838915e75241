import { useMutation, useQueryClient } from '@tanstack/react-query';
import { z } from 'zod';
import { apiRequest } from '@/lib/api-client';
import { leadIntents, leadSchema } from '@/types/api';

const optionalNumber = (message: string) =>
  z
    .string()
    .trim()
    .transform((v, ctx) => {
      if (v === '') return null;
      const n = Number(v);
      if (!Number.isFinite(n) || n < 0) {
        ctx.addIssue({ code: 'custom', message });
        return z.NEVER;
      }
      return n;
    });

/** What a person types to create a lead; the server normalises the phone to E.164 and answers field errors. */
export const newLeadSchema = z
  .object({
    name: z.string().trim().min(1, 'Enter the lead’s name'),
    phone: z.string().trim().min(1, 'Enter a phone number'),
    email: z
      .string()
      .trim()
      .transform((v) => (v === '' ? null : v)),
    intent: z.union([z.enum(leadIntents), z.literal('')]).transform((v) => (v === '' ? null : v)),
    preferred_areas: z.string().transform((v) =>
      v
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean),
    ),
    budget_min: optionalNumber('Enter the lowest budget as a number'),
    budget_max: optionalNumber('Enter the highest budget as a number'),
    bedrooms: optionalNumber('Enter how many bedrooms as a number'),
    timeline: z
      .string()
      .trim()
      .transform((v) => (v === '' ? null : v)),
    pre_approved: z.enum(['', 'yes', 'no']).transform((v) => (v === '' ? null : v === 'yes')),
    consent_to_call: z.boolean(),
    consent_at: z.string().transform((v, ctx) => {
      if (v === '') return null;
      const d = new Date(v);
      if (Number.isNaN(d.getTime())) {
        ctx.addIssue({ code: 'custom', message: 'Enter when consent was given' });
        return z.NEVER;
      }
      return d.toISOString();
    }),
    assigned_agent_id: z.string().transform((v) => (v === '' ? null : Number(v))),
  })
  .superRefine((v, ctx) => {
    if (v.budget_min != null && v.budget_max != null && v.budget_min > v.budget_max)
      ctx.addIssue({ code: 'custom', path: ['budget_max'], message: 'The highest budget must not be below the lowest' });
    if (v.consent_to_call && v.consent_at == null)
      ctx.addIssue({ code: 'custom', path: ['consent_at'], message: 'Enter when consent was given' });
  });
export type NewLeadValues = z.input<typeof newLeadSchema>;
export type NewLeadBody = z.output<typeof newLeadSchema>;

export const createLead = (body: NewLeadBody) => apiRequest('/leads/', { method: 'POST', body, schema: leadSchema });

export function useCreateLead() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: createLead,
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['leads', 'list'] }),
  });
}
