import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
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

export type TaskFilters = { mine?: boolean; lead_id?: number; done?: boolean; page?: number; page_size?: number };

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

export function useSetTaskDone() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, done }: { id: number; done: boolean }) =>
      apiRequest(`/tasks/${id}`, { method: 'PATCH', body: { done }, schema: taskSchema }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['tasks'] }),
  });
}
