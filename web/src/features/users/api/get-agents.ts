import { queryOptions, useQuery } from '@tanstack/react-query';
import { z } from 'zod';
import { apiRequest } from '@/lib/api-client';
import { agentRefSchema } from '@/types/api';

export const agentsSchema = z.array(agentRefSchema);

export const getAgents = (signal?: AbortSignal) => apiRequest('/users/agents', { schema: agentsSchema, signal });

export const agentsQueryOptions = () =>
  queryOptions({ queryKey: ['users', 'agents'], queryFn: ({ signal }) => getAgents(signal), staleTime: 5 * 60_000 });

/** Agents for pickers and filters; only Managers and Admins may ask, so callers pass `enabled`. */
export const useAgents = (enabled = true) => useQuery({ ...agentsQueryOptions(), enabled });
