import { Link } from 'react-router';
import { paths } from '@/config/paths';
import { formatDateTime } from '@/lib/format';
import { useSetTaskDone, type Task } from '../api/tasks';

/** Tasks with a done checkbox; overdue ones say so. `showLead` off on a lead's own page. */
export function TasksList({ items, showLead = true, showAssignee = false }: { items: Task[]; showLead?: boolean; showAssignee?: boolean }) {
  const setDone = useSetTaskDone();
  return (
    <div className="table-wrap table-cards">
      <table aria-label="Tasks">
        <thead>
          <tr>
            <th>Done</th>
            <th>Task</th>
            <th>Due</th>
            {showLead ? <th>Lead</th> : null}
            {showAssignee ? <th>Assignee</th> : null}
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
                  onChange={(e) => setDone.mutate({ id: t.id, done: e.target.checked })}
                />
              </td>
              <td className="cell-title cell-text" title={t.title}>
                {t.title}
              </td>
              <td className="nowrap" data-label="Due">
                {t.due_at ? formatDateTime(t.due_at) : '—'} {t.overdue ? <span className="badge badge-red">Overdue</span> : null}
              </td>
              {showLead ? (
                <td data-label="Lead">{t.lead_id ? <Link to={paths.lead(t.lead_id)}>{t.lead_name}</Link> : <span className="muted">—</span>}</td>
              ) : null}
              {showAssignee ? <td data-label="Assignee">{t.assignee_name ?? <span className="muted">Unassigned</span>}</td> : null}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
