import { FormErrorSummary } from '@/components/ui/form-error-summary';
import { useState, type FormEvent } from 'react';
import { Button } from '@/components/ui/button';
import { TextAreaField } from '@/components/ui/field';
import { ErrorState, LoadingState } from '@/components/ui/states';
import { can } from '@/lib/authorization';
import { formErrors } from '@/lib/form-errors';
import { formatDateTime } from '@/lib/format';
import { useSession } from '@/lib/session-store';
import { useAddLeadNote, useDeleteLeadNote, useLeadNotes } from '../api/lead-notes';

/** Notes on the lead: anyone who sees the lead adds one; its author (or a manager/admin) deletes it. */
export function LeadNotes({ leadId }: { leadId: number }) {
  const user = useSession((s) => s.user);
  const notes = useLeadNotes(leadId);
  const add = useAddLeadNote(leadId);
  const remove = useDeleteLeadNote(leadId);
  const [body, setBody] = useState('');
  const [clientErrors, setClientErrors] = useState<Record<string, string>>({});
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const errs: Record<string, string> = body.trim() ? {} : { body: 'Write a note first' };
    setClientErrors(errs);
    if (Object.keys(errs).length) return;
    add.mutate(body.trim(), { onSuccess: () => setBody('') });
  };
  const { fieldError, other, summary } = formErrors(clientErrors, add.error, ['body']);
  return (
    <>
      <form className="form" onSubmit={submit} noValidate aria-label="Add a note">
        <FormErrorSummary summary={summary} other={other} />
        <TextAreaField label="Note" value={body} maxLength={4000} onChange={(e) => setBody(e.target.value)} error={fieldError('body')} />
        <div className="form-actions">
          <Button type="submit" busy={add.isPending}>
            Add note
          </Button>
        </div>
      </form>
      {remove.isError ? <ErrorState error={remove.error} /> : null}
      {notes.isPending ? (
        <LoadingState />
      ) : notes.isError ? (
        <ErrorState error={notes.error} onRetry={() => notes.refetch()} />
      ) : (
        <ul className="note-list" aria-label="Notes">
          {notes.data.items.map((n) => (
            <li key={n.id}>
              <p className="note-body">{n.body}</p>
              <div className="timeline-meta">
                {n.author_name ?? 'Unknown'} · {formatDateTime(n.created_at)}{' '}
                {can.assignLeads(user) || n.author_id === user?.id ? (
                  <Button variant="ghost" aria-label={`Delete note from ${formatDateTime(n.created_at)}`} busy={remove.isPending && remove.variables === n.id} onClick={() => remove.mutate(n.id)}>
                    Delete
                  </Button>
                ) : null}
              </div>
            </li>
          ))}
        </ul>
      )}
    </>
  );
}
