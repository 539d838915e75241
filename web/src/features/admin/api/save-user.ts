import { useMutation, useQueryClient } from '@tanstack/react-query';
import { z } from 'zod';
import { apiRequest } from '@/lib/api-client';
import { roleSchema, userSchema } from '@/types/api';

export const createUserSchema = z.object({
  email: z.string().trim(),
  name: z.string().trim(),
  role: roleSchema,
  password: z.string(),
  phone: z.string().trim().transform((v) => v || null),
});
export type CreateUserValues = z.input<typeof createUserSchema>;

export const updateUserSchema = z.object({
  name: z.string().trim(),
  role: roleSchema,
  phone: z.string().trim().transform((v) => v || null),
  is_active: z.boolean(),
  password: z.string().transform((v) => v || undefined),
});
export type UpdateUserValues = z.input<typeof updateUserSchema>;

export const createUser = (body: z.output<typeof createUserSchema>) =>
  apiRequest('/admin/users', { method: 'POST', body, schema: userSchema });

export const updateUser = (id: number, body: z.output<typeof updateUserSchema>) =>
  apiRequest(`/admin/users/${id}`, { method: 'PATCH', body, schema: userSchema });

export const deactivateUser = (id: number) => apiRequest(`/admin/users/${id}/deactivate`, { method: 'POST' });

const useInvalidateUsers = () => {
  const queryClient = useQueryClient();
  return () => queryClient.invalidateQueries({ queryKey: ['admin', 'users'] });
};

export function useCreateUser() {
  const onSuccess = useInvalidateUsers();
  return useMutation({ mutationFn: createUser, onSuccess });
}

export function useUpdateUser(id: number) {
  const onSuccess = useInvalidateUsers();
  return useMutation({ mutationFn: (body: z.output<typeof updateUserSchema>) => updateUser(id, body), onSuccess });
}

export function useDeactivateUser() {
  const onSuccess = useInvalidateUsers();
  return useMutation({ mutationFn: deactivateUser, onSuccess });
}
