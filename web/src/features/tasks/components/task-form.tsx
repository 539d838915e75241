import { FormErrorSummary } from '@/components/ui/form-error-summary';
import { useState, type FormEvent } from 'react';
import { Button } from '@/components/ui/button';
import { TextField } from '@/components/ui/field';
import { formErrors } from '@/lib/form-errors';
import { useCreateTask } from '../api/tasks';

/** A new follow-up: on a lead (for the lead's agent, or the agent making it) or free-standing for oneself. */
export function TaskForm({ leadId }: { leadId?: number }) {
  const [title, setTitle] = useState('');
  const [dueAt, setDueAt] = useState('');
  const [clientErrors, setClientErrors] = useState<Record<string, string>>({});
  const create = useCreateTask();
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const errs: Record<string, string> = title.trim() ? {} : { title: 'Say what needs doing' };
    setClientErrors(errs);
    if (Object.keys(errs).length) return;
    create.mutate(
      { title: title.trim(), due_at: dueAt ? new Date(dueAt).toISOString() : undefined, lead_id: leadId },
      {
        onSuccess: () => {
          setTitle('');
          setDueAt('');
        },
      },
    );
  };
  const { fieldError, other, summary } = formErrors(clientErrors, create.error, ['title', 'due_at', 'lead_id', 'assignee_id']);
  return (
    <form className="form" onSubmit={submit} noValidate aria-label="New task">
      <FormErrorSummary summary={summary} other={other} />
      <div className="form-grid">
        <TextField label="Task" value={title} maxLength={200} onChange={(e) => setTitle(e.target.value)} error={fieldError('title')} />
        <TextField label="Due" type="datetime-local" value={dueAt} onChange={(e) => setDueAt(e.target.value)} error={fieldError('due_at')} />
      </div>
      <div className="form-actions">
        <Button type="submit" busy={create.isPending}>
          Add task
        </Button>
      </div>
    </form>
  );
}
