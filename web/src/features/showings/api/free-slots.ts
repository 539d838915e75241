import { queryOptions, useQuery } from '@tanstack/react-query';
import { z } from 'zod';
import { apiRequest } from '@/lib/api-client';

export const freeSlotsSchema = z.object({
  agent_id: z.number(),
  property_id: z.number(),
  time_zone: z.string(),
  duration_minutes: z.number(),
  slots: z.array(z.object({ starts_at: z.string(), ends_at: z.string() })),
});
export type FreeSlots = z.infer<typeof freeSlotsSchema>;

export type FreeSlotsParams = { agentId: number; propertyId: number; from: string; to: string; durationMinutes: number };

/** GET /showings/free-slots: the starts the voice agent would offer (agent's hours, agent and property both free). */
export const freeSlotsQueryOptions = (p: FreeSlotsParams) =>
  queryOptions({
    queryKey: ['showings', 'free-slots', p],
    queryFn: ({ signal }) => {
      const query = new URLSearchParams({
        agent_id: String(p.agentId), property_id: String(p.propertyId), from: p.from, to: p.to, duration_minutes: String(p.durationMinutes),
      });
      return apiRequest(`/showings/free-slots?${query}`, { schema: freeSlotsSchema, signal });
    },
  });

export const useFreeSlots = (p: FreeSlotsParams | null) =>
  useQuery({ ...freeSlotsQueryOptions(p ?? { agentId: 0, propertyId: 0, from: '', to: '', durationMinutes: 60 }), enabled: p !== null });
