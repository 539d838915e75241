import { useState } from 'react';
import { Link } from 'react-router';
import { Button } from '@/components/ui/button';
import { Alert } from '@/components/ui/states';
import { paths } from '@/config/paths';
import { errorMessage } from '@/lib/api-error';
import { can } from '@/lib/authorization';
import { formatDateTime } from '@/lib/format';
import { useSession } from '@/lib/session-store';
import { useDeleteTask, useUpdateTask, type Task } from '../api/tasks';
import { TaskEditDialog } from './task-edit-dialog';

/**
 * Tasks with a done checkbox, an edit dialog and a delete that asks first; overdue ones say so. Changes show at
 * once and are undone, with the server's reason, if the server refuses. `showLead` off on a lead's own page.
 */
export function TasksList({ items, showLead = true, showAssignee = false }: { items: Task[]; showLead?: boolean; showAssignee?: boolean }) {
  const user = useSession((s) => s.user);
  const setDone = useUpdateTask();
  const remove = useDeleteTask();
  const [editing, setEditing] = useState<Task | null>(null);
  const confirmDelete = (t: Task) => {
    if (window.confirm(`Delete the task "${t.title}"? This cannot be undone.`)) remove.mutate(t.id);
  };
  const failed = setDone.error ?? remove.error;
  return (
    <>
      {failed ? <Alert>{errorMessage(failed)}</Alert> : null}
      <div className="table-wrap table-cards">
        <table aria-label="Tasks">
          <thead>
            <tr>
              <th>Done</th>
              <th>Task</th>
              <th>Due</th>
              {showLead ? <th>Lead</th> : null}
              {showAssignee ? <th>Assignee</th> : null}
              <th>
                <span className="sr-only">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {items.map((t) => (
              <tr key={t.id} className={t.done ? 'muted' : undefined}>
                <td>
                  <input
                    type="checkbox"
                    aria-label={`Done: ${t.title}`}
                    checked={t.done}
                    disabled={setDone.isPending && setDone.variables?.id === t.id}
                    onChange={(e) => setDone.mutate({ id: t.id, patch: { done: e.target.checked } })}
                  />
                </td>
                <td className="cell-title cell-text" title={t.title}>
                  {t.title}
                </td>
                <td className="nowrap" data-label="Due">
                  {t.due_at ? formatDateTime(t.due_at) : '—'} {t.overdue && !t.done ? <span className="badge badge-red">Overdue</span> : null}
                </td>
                {showLead ? (
                  <td data-label="Lead">{t.lead_id ? <Link to={paths.lead(t.lead_id)}>{t.lead_name}</Link> : <span className="muted">—</span>}</td>
                ) : null}
                {showAssignee ? <td data-label="Assignee">{t.assignee_name ?? <span className="muted">Unassigned</span>}</td> : null}
                <td className="nowrap">
                  <Button variant="ghost" onClick={() => setEditing(t)} aria-label={`Edit: ${t.title}`}>
                    Edit
                  </Button>
                  <Button variant="ghost" onClick={() => confirmDelete(t)} aria-label={`Delete: ${t.title}`}>
                    Delete
                  </Button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {editing ? <TaskEditDialog task={editing} canAssign={can.assignTasks(user)} onClose={() => setEditing(null)} /> : null}
    </>
  );
}
