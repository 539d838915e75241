import { useState, type FormEvent } from 'react';
import { Button } from '@/components/ui/button';
import { TextField } from '@/components/ui/field';
import { Alert } from '@/components/ui/states';
import { ApiError, errorMessage } from '@/lib/api-error';
import { loginInputSchema, useLogin } from '../api/login';

type Props = { onSuccess: () => void; notice?: string | null };

export function LoginForm({ onSuccess, notice }: Props) {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [fieldErrors, setFieldErrors] = useState<{ email?: string; password?: string }>({});
  const login = useLogin({ onSuccess });

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const parsed = loginInputSchema.safeParse({ email, password });
    if (!parsed.success) {
      const errs: { email?: string; password?: string } = {};
      for (const issue of parsed.error.issues) {
        const key = issue.path[0] as 'email' | 'password';
        errs[key] ??= issue.message;
      }
      setFieldErrors(errs);
      return;
    }
    setFieldErrors({});
    login.mutate(parsed.data);
  };

  const error = login.error;
  const apiFieldError = (f: string) => (error instanceof ApiError ? error.fieldError(f) : undefined);
  const message =
    error instanceof ApiError && error.status === 401
      ? 'Email or password is incorrect.'
      : error instanceof ApiError && error.status === 429
        ? 'Too many failed attempts. Wait a few minutes and try again.'
        : error
          ? errorMessage(error)
          : null;

  return (
    <form className="form login-form" onSubmit={submit} noValidate aria-label="Sign in">
      {notice && !error ? <Alert kind="info">{notice}</Alert> : null}
      {message ? <Alert>{message}</Alert> : null}
      <TextField
        label="Email"
        type="email"
        name="email"
        autoComplete="username"
        value={email}
        onChange={(e) => setEmail(e.target.value)}
        error={fieldErrors.email ?? apiFieldError('email')}
        autoFocus
      />
      <TextField
        label="Password"
        type="password"
        name="password"
        autoComplete="current-password"
        value={password}
        onChange={(e) => setPassword(e.target.value)}
        error={fieldErrors.password ?? apiFieldError('password')}
      />
      <Button type="submit" busy={login.isPending} className="btn-block">
        Sign in
      </Button>
    </form>
  );
}
