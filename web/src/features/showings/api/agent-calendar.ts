import { keepPreviousData, queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { z } from 'zod';
import { apiRequest } from '@/lib/api-client';
import { showingSchema } from '@/types/api';

/** Monday first, as the server answers and agencies write a week. */
export const weekdays = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'] as const;
export type Weekday = (typeof weekdays)[number];

export const workingDaySchema = z.object({ day: z.string(), starts: z.string(), ends: z.string() });
export type WorkingDay = z.infer<typeof workingDaySchema>;

export const workingHoursSchema = z.object({ agent_id: z.number(), time_zone: z.string(), days: z.array(workingDaySchema) });
export type WorkingHours = z.infer<typeof workingHoursSchema>;

export const agentCalendarSchema = z.object({
  agent_id: z.number(),
  agent_name: z.string(),
  time_zone: z.string(),
  working_hours: z.array(workingDaySchema),
  showings: z.array(showingSchema),
});
export type AgentCalendar = z.infer<typeof agentCalendarSchema>;

export const getWorkingHours = (agentId: number, signal?: AbortSignal) =>
  apiRequest(`/agents/${agentId}/working-hours`, { schema: workingHoursSchema, signal });

export const useWorkingHours = (agentId: number | undefined) =>
  useQuery({
    queryKey: ['agents', agentId, 'working-hours'],
    queryFn: ({ signal }) => getWorkingHours(agentId!, signal),
    enabled: agentId !== undefined,
  });

/** Replaces the whole week: a day left out is a day off. */
export const setWorkingHours = ({ agentId, days }: { agentId: number; days: WorkingDay[] }) =>
  apiRequest(`/agents/${agentId}/working-hours`, { method: 'PUT', body: { days }, schema: workingHoursSchema });

export function useSetWorkingHours() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: setWorkingHours,
    onSuccess: (_, { agentId }) => queryClient.invalidateQueries({ queryKey: ['agents', agentId] }),
  });
}

export const agentCalendarQueryOptions = (agentId: number, from: string, to: string) =>
  queryOptions({
    queryKey: ['agents', agentId, 'calendar', from, to],
    queryFn: ({ signal }) => apiRequest(`/agents/${agentId}/calendar`, { query: { from, to }, schema: agentCalendarSchema, signal }),
    placeholderData: keepPreviousData,
  });

export const useAgentCalendar = (agentId: number | undefined, from: string, to: string) =>
  useQuery({ ...agentCalendarQueryOptions(agentId ?? 0, from, to), enabled: agentId !== undefined });

export type RescheduleBody = { id: number; starts_at: string };

export const rescheduleShowing = ({ id, starts_at }: RescheduleBody) =>
  apiRequest(`/showings/${id}/reschedule`, { method: 'POST', body: { starts_at }, schema: showingSchema });

export function useRescheduleShowing() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: rescheduleShowing,
    onSuccess: () => Promise.all([queryClient.invalidateQueries({ queryKey: ['showings'] }), queryClient.invalidateQueries({ queryKey: ['agents'] })]),
  });
}
