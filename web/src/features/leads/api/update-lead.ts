import { useMutation, useQueryClient } from '@tanstack/react-query';
import { z } from 'zod';
import { apiRequest } from '@/lib/api-client';
import { leadIntents, leadSchema, leadStatuses, type Lead } from '@/types/api';

const money = z
  .string()
  .trim()
  .transform((v, ctx) => {
    if (v === '') return null;
    const n = Number(v);
    if (!Number.isFinite(n)) {
      ctx.addIssue({ code: 'custom', message: 'Enter a number' });
      return z.NEVER;
    }
    return n;
  });

/** Qualification fields staff edit by hand; the voice agent fills the same fields through its tools. */
export const leadFormSchema = z.object({
  name: z.string().trim(),
  phone: z.string().trim(),
  email: z.string().trim(),
  status: z.enum(leadStatuses),
  intent: z.union([z.enum(leadIntents), z.literal('')]).transform((v) => (v === '' ? null : v)),
  budget_min: money,
  budget_max: money,
  bedrooms: money,
  pre_approved: z.boolean(),
  timeline: z.string().trim(),
  preferred_areas: z.string().transform((v) =>
    v
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
  ),
  notes: z.string(),
  consent_to_call: z.boolean(),
  do_not_call: z.boolean(),
});
export type LeadFormValues = z.input<typeof leadFormSchema>;
export type LeadBody = z.output<typeof leadFormSchema>;

export const toLeadForm = (l: Lead): LeadFormValues => ({
  name: l.name,
  phone: l.phone ?? '',
  email: l.email ?? '',
  status: (leadStatuses as readonly string[]).includes(l.status) ? (l.status as LeadFormValues['status']) : 'new',
  intent: (leadIntents as readonly string[]).includes(l.intent ?? '') ? (l.intent as LeadFormValues['intent']) : '',
  budget_min: l.budget_min != null ? String(l.budget_min) : '',
  budget_max: l.budget_max != null ? String(l.budget_max) : '',
  bedrooms: l.bedrooms != null ? String(l.bedrooms) : '',
  pre_approved: !!l.pre_approved,
  timeline: l.timeline ?? '',
  preferred_areas: (l.preferred_areas ?? []).join(', '),
  notes: l.notes ?? '',
  consent_to_call: !!l.consent_to_call,
  do_not_call: !!l.do_not_call,
});

export const updateLead = (id: number, body: Partial<LeadBody>) =>
  apiRequest(`/leads/${id}`, { method: 'PATCH', body, schema: leadSchema });

export function useUpdateLead(id: number) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: Partial<LeadBody>) => updateLead(id, body),
    onSuccess: (saved) => {
      queryClient.setQueryData(['leads', 'detail', String(saved.id)], saved);
      return queryClient.invalidateQueries({ queryKey: ['leads', 'list'] });
    },
  });
}
