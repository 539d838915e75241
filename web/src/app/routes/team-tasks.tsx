import { useState } from 'react';
import { Button } from '@/components/ui/button';
import { Card, PageHeader } from '@/components/ui/card';
import { Pagination } from '@/components/ui/pagination';
import { EmptyState, ErrorState, LoadingState } from '@/components/ui/states';
import { useTasks, useTeamTaskCounts, type TaskFilters } from '@/features/tasks/api/tasks';
import { TasksList } from '@/features/tasks/components/tasks-list';
import { useDocumentTitle } from '@/lib/use-document-title';

/** Whose open tasks the board shows: everyone's, one person's, or nobody's yet. */
type Who = { kind: 'all' } | { kind: 'person'; id: number } | { kind: 'unassigned' };

const filtersFor = (who: Who): TaskFilters =>
  who.kind === 'person' ? { assignee_id: who.id } : who.kind === 'unassigned' ? { unassigned: true } : {};

/**
 * The team board (Managers and Admins): every open task of the team, overdue first, with open and overdue counts per
 * person; choosing a person narrows the list to theirs.
 */
export default function TeamTasksPage() {
  useDocumentTitle('Team tasks');
  const [who, setWho] = useState<Who>({ kind: 'all' });
  const [page, setPage] = useState(1);
  const [pageSize, setPageSize] = useState(20);
  const counts = useTeamTaskCounts();
  const tasks = useTasks({ ...filtersFor(who), done: false, page, page_size: pageSize });
  const choose = (next: Who) => {
    setWho(next);
    setPage(1);
  };
  const isChosen = (c: { assignee_id: number | null }) =>
    c.assignee_id === null ? who.kind === 'unassigned' : who.kind === 'person' && who.id === c.assignee_id;
  return (
    <>
      <PageHeader title="Team tasks" />
      <Card title="Open tasks per person">
        {counts.isPending ? (
          <LoadingState label="Loading counts…" />
        ) : counts.isError ? (
          <ErrorState error={counts.error} onRetry={() => counts.refetch()} />
        ) : counts.data.length === 0 ? (
          <EmptyState title="No open tasks on the team" />
        ) : (
          <div className="table-wrap table-cards">
            <table aria-label="Open tasks per person">
              <thead>
                <tr>
                  <th>Person</th>
                  <th>Open</th>
                  <th>Overdue</th>
                  <th>
                    <span className="sr-only">Show</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {counts.data.map((c) => {
                  const name = c.assignee_name ?? 'Unassigned';
                  return (
                    <tr key={c.assignee_id ?? 'none'}>
                      <td className="cell-title">{name}</td>
                      <td data-label="Open">{c.open}</td>
                      <td data-label="Overdue">{c.overdue > 0 ? <span className="badge badge-red">{c.overdue}</span> : 0}</td>
                      <td>
                        <Button
                          variant={isChosen(c) ? 'primary' : 'ghost'}
                          aria-pressed={isChosen(c)}
                          onClick={() => choose(isChosen(c) ? { kind: 'all' } : c.assignee_id === null ? { kind: 'unassigned' } : { kind: 'person', id: c.assignee_id })}
                        >
                          {c.assignee_id === null ? 'Show unassigned tasks' : `Show tasks of ${name}`}
                        </Button>
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        )}
      </Card>
      <Card
        title="Open tasks"
        actions={
          who.kind !== 'all' ? (
            <Button variant="ghost" onClick={() => choose({ kind: 'all' })}>
              Show everyone
            </Button>
          ) : null
        }
      >
        {tasks.isPending ? (
          <LoadingState label="Loading tasks…" />
        ) : tasks.isError ? (
          <ErrorState error={tasks.error} onRetry={() => tasks.refetch()} />
        ) : tasks.data.items.length === 0 ? (
          <EmptyState title="No open tasks here" />
        ) : (
          <>
            <TasksList items={tasks.data.items} showAssignee />
            <Pagination page={page} pageSize={pageSize} total={tasks.data.total} onPageChange={setPage} onPageSizeChange={setPageSize} />
          </>
        )}
      </Card>
    </>
  );
}
