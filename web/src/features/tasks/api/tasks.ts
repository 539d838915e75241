import { keepPreviousData, useMutation, useQuery, useQueryClient, type QueryClient, type QueryKey } from '@tanstack/react-query';
import { z } from 'zod';
import { apiRequest } from '@/lib/api-client';
import { pageOf } from '@/types/api';

export const taskSchema = z.object({
  id: z.number(),
  title: z.string(),
  due_at: z.string().nullish(),
  overdue: z.boolean(),
  assignee_id: z.number().nullish(),
  assignee_name: z.string().nullish(),
  lead_id: z.number().nullish(),
  lead_name: z.string().nullish(),
  done: z.boolean(),
  done_at: z.string().nullish(),
  created_at: z.string(),
});
export type Task = z.infer<typeof taskSchema>;

export type TaskFilters = {
  mine?: boolean;
  assignee_id?: number;
  unassigned?: boolean;
  lead_id?: number;
  done?: boolean;
  page?: number;
  page_size?: number;
};

export const getTasks = (filters: TaskFilters, signal?: AbortSignal) =>
  apiRequest('/tasks/', { query: filters, schema: pageOf(taskSchema), signal });

export const useTasks = (filters: TaskFilters) =>
  useQuery({ queryKey: ['tasks', filters], queryFn: ({ signal }) => getTasks(filters, signal), placeholderData: keepPreviousData });

export type NewTask = { title: string; due_at?: string; assignee_id?: number; lead_id?: number };

export function useCreateTask() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (task: NewTask) => apiRequest('/tasks/', { method: 'POST', body: task, schema: taskSchema }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['tasks'] }),
  });
}

/** PATCH body: only the fields sent change; `clear_due_at` / `unassign` remove a value. */
export type TaskPatch = {
  title?: string;
  due_at?: string;
  clear_due_at?: boolean;
  assignee_id?: number;
  unassign?: boolean;
  done?: boolean;
};

type TaskPage = { items: Task[] };
type Snapshot = [QueryKey, TaskPage | undefined][];

/**
 * Applies a change to every cached task list at once (My tasks, the lead's panel and the team board may all hold the
 * same task) and returns what they held, so a failed request puts them back.
 */
async function changeCachedTasks(queryClient: QueryClient, change: (items: Task[]) => Task[]): Promise<Snapshot> {
  await queryClient.cancelQueries({ queryKey: ['tasks'] });
  const before = queryClient.getQueriesData<TaskPage>({ queryKey: ['tasks'] });
  queryClient.setQueriesData<TaskPage>({ queryKey: ['tasks'] }, (page) =>
    page && Array.isArray(page.items) ? { ...page, items: change(page.items) } : page,
  );
  return before;
}

const restore = (queryClient: QueryClient, snapshot: Snapshot | undefined) =>
  snapshot?.forEach(([key, data]) => queryClient.setQueryData(key, data));

/** What the list shows while the PATCH is on its way (the server's answer replaces it). */
function applyPatch(task: Task, patch: TaskPatch): Task {
  return {
    ...task,
    title: patch.title ?? task.title,
    due_at: patch.clear_due_at ? null : (patch.due_at ?? task.due_at),
    assignee_id: patch.unassign ? null : (patch.assignee_id ?? task.assignee_id),
    assignee_name: patch.unassign ? null : patch.assignee_id !== undefined && patch.assignee_id !== task.assignee_id ? '…' : task.assignee_name,
    done: patch.done ?? task.done,
  };
}

/** Edits a task, optimistically: the lists change at once and go back if the server says no. */
export function useUpdateTask() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, patch }: { id: number; patch: TaskPatch }) =>
      apiRequest(`/tasks/${id}`, { method: 'PATCH', body: patch, schema: taskSchema }),
    onMutate: ({ id, patch }) => changeCachedTasks(queryClient, (items) => items.map((t) => (t.id === id ? applyPatch(t, patch) : t))),
    onError: (_error, _vars, snapshot) => restore(queryClient, snapshot),
    onSettled: () => queryClient.invalidateQueries({ queryKey: ['tasks'] }),
  });
}

/** Deletes a task, optimistically: it leaves the lists at once and comes back if the server says no. */
export function useDeleteTask() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: number) => apiRequest(`/tasks/${id}`, { method: 'DELETE' }),
    onMutate: (id) => changeCachedTasks(queryClient, (items) => items.filter((t) => t.id !== id)),
    onError: (_error, _id, snapshot) => restore(queryClient, snapshot),
    onSettled: () => queryClient.invalidateQueries({ queryKey: ['tasks'] }),
  });
}

export const teamTaskCountSchema = z.object({
  assignee_id: z.number().nullable(),
  assignee_name: z.string().nullable(),
  open: z.number(),
  overdue: z.number(),
});
export type TeamTaskCount = z.infer<typeof teamTaskCountSchema>;

/** The team board's open and overdue counts per assignee (Managers and Admins). */
export const useTeamTaskCounts = () =>
  useQuery({
    queryKey: ['tasks', 'team-counts'],
    queryFn: ({ signal }) => apiRequest('/tasks/team', { schema: z.array(teamTaskCountSchema), signal }),
  });
