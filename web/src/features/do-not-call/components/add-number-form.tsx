import { FormErrorSummary } from '@/components/ui/form-error-summary';
import { useState, type FormEvent } from 'react';
import { Button } from '@/components/ui/button';
import { TextField } from '@/components/ui/field';
import { Alert } from '@/components/ui/states';
import { formErrors } from '@/lib/form-errors';
import { useAddDoNotCall } from '../api/do-not-call';

export function AddNumberForm() {
  const [phone, setPhone] = useState('');
  const [reason, setReason] = useState('');
  const [added, setAdded] = useState<string | null>(null);
  const add = useAddDoNotCall();
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setAdded(null);
    add.mutate(
      { phone: phone.trim(), reason: reason.trim() || null },
      {
        onSuccess: (entry) => {
          setAdded(entry.phone);
          setPhone('');
          setReason('');
        },
      },
    );
  };
  const { fieldError, summary } = formErrors({}, add.error, ['phone', 'reason']);
  return (
    <form className="form" onSubmit={submit} noValidate aria-label="Add a number">
      <FormErrorSummary summary={fieldError('phone') ? null : summary} />
      {added ? <Alert kind="success">{added} will not be called.</Alert> : null}
      <div className="form-grid">
        <TextField label="Phone number" type="tel" value={phone} onChange={(e) => setPhone(e.target.value)} error={fieldError('phone')} />
        <TextField label="Reason" value={reason} maxLength={300} onChange={(e) => setReason(e.target.value)} error={fieldError('reason')} />
      </div>
      <div className="form-actions">
        <Button type="submit" busy={add.isPending}>
          Add number
        </Button>
      </div>
    </form>
  );
}
