import { EmptyState, ErrorState, LoadingState } from '@/components/ui/states';
import { useTasks } from '../api/tasks';
import { TaskForm } from './task-form';
import { TasksList } from './tasks-list';

/** The tasks panel on a lead's page: its follow-ups (open first) and a form for a new one. */
export function LeadTasks({ leadId }: { leadId: number }) {
  const tasks = useTasks({ lead_id: leadId, page_size: 50 });
  return (
    <>
      {tasks.isPending ? (
        <LoadingState />
      ) : tasks.isError ? (
        <ErrorState error={tasks.error} onRetry={() => tasks.refetch()} />
      ) : tasks.data.items.length === 0 ? (
        <EmptyState title="No tasks on this lead" />
      ) : (
        <TasksList items={tasks.data.items} showLead={false} showAssignee />
      )}
      <h3 className="subheading">Add a task</h3>
      <TaskForm leadId={leadId} />
    </>
  );
}
