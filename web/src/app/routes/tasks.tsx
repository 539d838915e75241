import { useState } from 'react';
import { Card, PageHeader } from '@/components/ui/card';
import { Pagination } from '@/components/ui/pagination';
import { EmptyState, ErrorState, LoadingState } from '@/components/ui/states';
import { useTasks } from '@/features/tasks/api/tasks';
import { TaskForm } from '@/features/tasks/components/task-form';
import { TasksList } from '@/features/tasks/components/tasks-list';
import { useDocumentTitle } from '@/lib/use-document-title';

/** The signed-in user's follow-ups: open ones, overdue first, then by due date; done ones on request. */
export default function MyTasksPage() {
  useDocumentTitle('My tasks');
  const [showDone, setShowDone] = useState(false);
  const [page, setPage] = useState(1);
  const [pageSize, setPageSize] = useState(20);
  const tasks = useTasks({ mine: true, done: showDone ? undefined : false, page, page_size: pageSize });
  return (
    <>
      <PageHeader title="My tasks" />
      <Card title="New task">
        <TaskForm />
      </Card>
      <Card
        title="Follow-ups"
        actions={
          <label className="inline-label">
            <input type="checkbox" checked={showDone} onChange={(e) => { setShowDone(e.target.checked); setPage(1); }} /> Show done
          </label>
        }
      >
        {tasks.isPending ? (
          <LoadingState label="Loading tasks…" />
        ) : tasks.isError ? (
          <ErrorState error={tasks.error} onRetry={() => tasks.refetch()} />
        ) : tasks.data.items.length === 0 ? (
          <EmptyState title="No open tasks: you are all caught up" />
        ) : (
          <>
            <TasksList items={tasks.data.items} />
            <Pagination page={page} pageSize={pageSize} total={tasks.data.total} onPageChange={setPage} onPageSizeChange={setPageSize} />
          </>
        )}
      </Card>
    </>
  );
}
