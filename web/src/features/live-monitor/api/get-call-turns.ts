import { queryOptions, useQuery } from '@tanstack/react-query';
import { z } from 'zod';
import { apiRequest } from '@/lib/api-client';

const callTurnsSchema = z.object({
  id: z.number(),
  turns: z
    .array(z.object({ sequence: z.number(), speaker: z.string(), text: z.string() }))
    .nullish()
    .transform((t) => t ?? []),
});

/** Turns already written before the monitor opened the call; live events are appended on top. */
export const getCallTurns = (id: number, signal?: AbortSignal) =>
  apiRequest(`/calls/${id}`, { schema: callTurnsSchema, signal });

export const callTurnsQueryOptions = (id: number) =>
  queryOptions({ queryKey: ['live-monitor', 'turns', id], queryFn: ({ signal }) => getCallTurns(id, signal), staleTime: 0 });

export const useCallTurns = (id: number | null) =>
  useQuery({ ...callTurnsQueryOptions(id ?? 0), enabled: id !== null });
