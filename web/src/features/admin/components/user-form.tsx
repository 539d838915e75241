import { FormErrorSummary } from '@/components/ui/form-error-summary';
import { useState, type FormEvent } from 'react';
import { Button } from '@/components/ui/button';
import { CheckboxField, SelectField, TextField } from '@/components/ui/field';
import { formErrors, useChangedSinceSubmit, zodFieldErrors, type ClientErrors } from '@/lib/form-errors';
import { humanize } from '@/lib/format';
import type { Role, User } from '@/types/api';
import {
  createUserSchema,
  updateUserSchema,
  useCreateUser,
  useUpdateUser,
  type CreateUserValues,
  type UpdateUserValues,
} from '../api/save-user';

const roleOptions = (['agent', 'manager', 'admin'] as Role[]).map((r) => ({ value: r, label: humanize(r) }));

export function CreateUserForm({ onDone }: { onDone: (user: User) => void }) {
  const [values, setValues] = useState<CreateUserValues>({ email: '', name: '', role: 'agent', password: '', phone: '' });
  const [clientErrors, setClientErrors] = useState<ClientErrors>({});
  const create = useCreateUser();
  const { changed, markChanged, resetChanged } = useChangedSinceSubmit();
  const set = (k: keyof CreateUserValues) => (e: { target: { value: string } }) => {
    setValues((v) => ({ ...v, [k]: e.target.value }));
    markChanged(k);
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    resetChanged();
    const parsed = createUserSchema.safeParse(values);
    if (!parsed.success) return setClientErrors(zodFieldErrors(parsed.error));
    setClientErrors({});
    create.mutate(parsed.data, { onSuccess: (created) => onDone(created) });
  };
  const { fieldError, other, summary } = formErrors(clientErrors, create.error, ['email', 'name', 'role', 'password', 'phone'], changed);
  return (
    <form className="form" onSubmit={submit} noValidate aria-label="New user">
      <FormErrorSummary summary={summary} other={other} />
      <div className="form-grid">
        <TextField label="Name" name="name" value={values.name} onChange={set('name')} error={fieldError('name')} />
        <TextField label="Email" name="email" type="email" autoComplete="off" value={values.email} onChange={set('email')} error={fieldError('email')} />
        <SelectField label="Role" name="role" value={values.role} onChange={set('role')} options={roleOptions} error={fieldError('role')} />
        <TextField label="Phone" name="phone" type="tel" value={values.phone} onChange={set('phone')} error={fieldError('phone')} />
        <TextField label="Initial password" name="password" type="password" autoComplete="new-password" value={values.password} onChange={set('password')} error={fieldError('password')} />
      </div>
      <div className="form-actions">
        <Button type="submit" busy={create.isPending}>
          Create user
        </Button>
      </div>
    </form>
  );
}

export function EditUserForm({ user, onDone }: { user: User; onDone: () => void }) {
  const [values, setValues] = useState<UpdateUserValues>({
    name: user.name,
    role: user.role,
    phone: user.phone ?? '',
    is_active: user.is_active,
    password: '',
  });
  const [clientErrors, setClientErrors] = useState<ClientErrors>({});
  const update = useUpdateUser(user.id);
  const { changed, markChanged, resetChanged } = useChangedSinceSubmit();
  const set = (k: keyof UpdateUserValues) => (e: { target: { value: string } }) => {
    setValues((v) => ({ ...v, [k]: e.target.value }));
    markChanged(k);
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    resetChanged();
    const parsed = updateUserSchema.safeParse(values);
    if (!parsed.success) return setClientErrors(zodFieldErrors(parsed.error));
    setClientErrors({});
    update.mutate(parsed.data, { onSuccess: () => onDone() });
  };
  const { fieldError, other, summary } = formErrors(clientErrors, update.error, ['name', 'role', 'phone', 'is_active', 'password'], changed);
  return (
    <form className="form" onSubmit={submit} noValidate aria-label={`Edit ${user.email}`}>
      <FormErrorSummary summary={summary} other={other} />
      <div className="form-grid">
        <TextField label="Name" value={values.name} onChange={set('name')} error={fieldError('name')} />
        <SelectField label="Role" value={values.role} onChange={set('role')} options={roleOptions} error={fieldError('role')} />
        <TextField label="Phone" type="tel" value={values.phone} onChange={set('phone')} error={fieldError('phone')} />
        <TextField label="New password" type="password" autoComplete="new-password" hint="Leave empty to keep the current one" value={values.password} onChange={set('password')} error={fieldError('password')} />
      </div>
      <CheckboxField label="Active" checked={values.is_active} onChange={(e) => setValues((v) => ({ ...v, is_active: e.target.checked }))} />
      <div className="form-actions">
        <Button type="submit" busy={update.isPending}>
          Save
        </Button>
        <Button variant="secondary" onClick={onDone}>
          Cancel
        </Button>
      </div>
    </form>
  );
}
