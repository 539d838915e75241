import { useMutation } from '@tanstack/react-query';
import { z } from 'zod';
import { apiRequest } from '@/lib/api-client';
import { useSession } from '@/lib/session-store';
import { userSchema } from '@/types/api';

export const loginInputSchema = z.object({
  email: z.string().trim().min(1, 'Enter your email').email('Enter a valid email address'),
  password: z.string().min(1, 'Enter your password'),
});
export type LoginInput = z.infer<typeof loginInputSchema>;

export const loginResponseSchema = z.object({
  access_token: z.string(),
  token_type: z.string(),
  expires_in: z.number(),
  user: userSchema,
});
export type LoginResponse = z.infer<typeof loginResponseSchema>;

export const login = (input: LoginInput) =>
  apiRequest('/auth/login', { method: 'POST', body: input, schema: loginResponseSchema, anonymous: true });

export function useLogin(options: { onSuccess?: (data: LoginResponse) => void } = {}) {
  const signIn = useSession((s) => s.signIn);
  return useMutation({
    mutationFn: login,
    onSuccess: (data) => {
      signIn(data.access_token, data.expires_in, data.user);
      options.onSuccess?.(data);
    },
  });
}
