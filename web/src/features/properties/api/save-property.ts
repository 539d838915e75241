import { useMutation, useQueryClient } from '@tanstack/react-query';
import { z } from 'zod';
import { apiRequest } from '@/lib/api-client';
import { propertySchema, propertyStatuses, propertyTypes } from '@/types/api';

const optionalNumber = (label: string, opts: { int?: boolean } = {}) =>
  z
    .string()
    .trim()
    .transform((v, ctx) => {
      if (v === '') return null;
      const n = Number(v);
      if (!Number.isFinite(n) || (opts.int && !Number.isInteger(n))) {
        ctx.addIssue({ code: 'custom', message: `${label} must be a ${opts.int ? 'whole ' : ''}number` });
        return z.NEVER;
      }
      return n;
    });

/**
 * What the form collects (strings from inputs) and the request body it becomes. The client only checks that
 * numbers parse; required fields and ranges are the server's rules, shown per field from its ProblemDetails,
 * so the two can never disagree.
 */
export const propertyFormSchema = z.object({
  address: z.string().trim(),
  city: z.string().trim(),
  state: z.string().trim(),
  zip: z.string().trim(),
  price: optionalNumber('Price'),
  bedrooms: optionalNumber('Bedrooms', { int: true }),
  bathrooms: optionalNumber('Bathrooms'),
  square_feet: optionalNumber('Square feet', { int: true }),
  property_type: z.enum(propertyTypes),
  status: z.enum(propertyStatuses),
  description: z.string().trim(),
  features: z.string().transform((v) =>
    v
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
  ),
});
export type PropertyFormValues = z.input<typeof propertyFormSchema>;
export type PropertyBody = z.output<typeof propertyFormSchema>;

export const createProperty = (body: PropertyBody) =>
  apiRequest('/properties/', { method: 'POST', body, schema: propertySchema });

export const updateProperty = (id: number, body: PropertyBody) =>
  apiRequest(`/properties/${id}`, { method: 'PUT', body, schema: propertySchema });

export function useSaveProperty(id: number | undefined) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: PropertyBody) => (id === undefined ? createProperty(body) : updateProperty(id, body)),
    onSuccess: (saved) => {
      queryClient.setQueryData(['properties', 'detail', String(saved.id)], saved);
      return queryClient.invalidateQueries({ queryKey: ['properties', 'list'] });
    },
  });
}
