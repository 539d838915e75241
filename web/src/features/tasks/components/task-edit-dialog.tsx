import { useState, type FormEvent } from 'react';
import { Button } from '@/components/ui/button';
import { CheckboxField, SelectField, TextField } from '@/components/ui/field';
import { Alert } from '@/components/ui/states';
import { useAgents } from '@/features/users/api/get-agents';
import { toDateTimeInput } from '@/lib/dates';
import { useDialog } from '@/lib/use-dialog';
import { formErrors, useChangedSinceSubmit } from '@/lib/form-errors';
import { useUpdateTask, type Task, type TaskPatch } from '../api/tasks';

const fields = ['title', 'due_at', 'assignee_id', 'done', 'unassign', 'clear_due_at'];

/**
 * Edits a task's title, due time, done state and (Managers and Admins) assignee. Only changed fields are sent; the
 * lists change at once and go back if the server refuses, with its field messages shown here on the field.
 */
export function TaskEditDialog({ task, canAssign, onClose }: { task: Task; canAssign: boolean; onClose: () => void }) {
  const [title, setTitle] = useState(task.title);
  const [dueAt, setDueAt] = useState(task.due_at ? toDateTimeInput(task.due_at) : '');
  const [assignee, setAssignee] = useState(task.assignee_id ? String(task.assignee_id) : '');
  const [done, setDone] = useState(task.done);
  const [clientErrors, setClientErrors] = useState<Record<string, string>>({});
  const { changed, markChanged, resetChanged } = useChangedSinceSubmit();
  const update = useUpdateTask();
  const agents = useAgents(canAssign);
  const form = useDialog<HTMLFormElement>(onClose);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const errs: Record<string, string> = {};
    if (!title.trim()) errs.title = 'Say what needs doing';
    const due = dueAt ? new Date(dueAt) : null;
    if (due && Number.isNaN(due.getTime())) errs.due_at = 'Choose a date and time';
    setClientErrors(errs);
    resetChanged();
    if (Object.keys(errs).length) return;
    const patch: TaskPatch = {};
    if (title.trim() !== task.title) patch.title = title.trim();
    if (!due && task.due_at) patch.clear_due_at = true;
    else if (due && (!task.due_at || toDateTimeInput(task.due_at) !== dueAt)) patch.due_at = due.toISOString();
    if (canAssign && assignee !== (task.assignee_id ? String(task.assignee_id) : '')) {
      if (assignee) patch.assignee_id = Number(assignee);
      else patch.unassign = true;
    }
    if (done !== task.done) patch.done = done;
    if (Object.keys(patch).length === 0) return onClose();
    update.mutate({ id: task.id, patch }, { onSuccess: onClose });
  };

  const { fieldError, other, summary } = formErrors(clientErrors, update.error, fields, changed);
  // The current assignee stays choosable even when they are not an agent (a manager's own task).
  const people = agents.data ?? [];
  const options = [
    ...(task.assignee_id && !people.some((a) => a.id === task.assignee_id)
      ? [{ value: String(task.assignee_id), label: task.assignee_name ?? `User #${task.assignee_id}` }]
      : []),
    ...people.map((a) => ({ value: String(a.id), label: a.name })),
  ];
  const headingId = `edit-task-${task.id}`;
  return (
    <div className="dialog-backdrop">
      <div className="dialog" role="dialog" aria-modal="true" aria-labelledby={headingId}>
        <h2 id={headingId}>Edit task</h2>
        <form ref={form} className="form" onSubmit={submit} noValidate aria-label="Edit task">
          {summary ? <Alert>{[summary, ...other].join(' ')}</Alert> : null}
          <TextField
            label="Task"
            value={title}
            maxLength={200}
            onChange={(e) => { setTitle(e.target.value); markChanged('title'); }}
            error={fieldError('title')}
          />
          <TextField
            label="Due"
            type="datetime-local"
            value={dueAt}
            onChange={(e) => { setDueAt(e.target.value); markChanged('due_at'); }}
            error={fieldError('due_at') ?? fieldError('clear_due_at')}
            hint="Leave empty for no due time"
          />
          {canAssign ? (
            <SelectField
              label="Assignee"
              value={assignee}
              placeholder="Unassigned"
              options={options}
              onChange={(e) => { setAssignee(e.target.value); markChanged('assignee_id'); }}
              error={fieldError('assignee_id') ?? fieldError('unassign')}
            />
          ) : null}
          <CheckboxField label="Done" checked={done} onChange={(e) => setDone(e.target.checked)} />
          <div className="form-actions">
            <Button type="submit" busy={update.isPending}>
              Save task
            </Button>
            <Button type="button" variant="ghost" onClick={onClose}>
              Cancel
            </Button>
          </div>
        </form>
      </div>
    </div>
  );
}
