import { queryOptions, useQuery } from '@tanstack/react-query';
import { z } from 'zod';
import { apiRequest } from '@/lib/api-client';
import { callSchema } from '@/types/api';
import { callAnalysisSchema } from './call-analysis';

export const latencySchema = z.object({
  stt_ms: z.number().nullish(),
  llm_first_token_ms: z.number().nullish(),
  tts_first_byte_ms: z.number().nullish(),
  first_audio_ms: z.number().nullish(),
});

export const turnSchema = z.object({
  sequence: z.number(),
  speaker: z.string(),
  text: z.string(),
  start_ms: z.number().nullish(),
  end_ms: z.number().nullish(),
  tool_calls: z.array(z.unknown()).nullish(),
  interrupted: z.boolean().nullish(),
  latency: latencySchema.nullish(),
});
export type Turn = z.infer<typeof turnSchema>;

export const callDetailSchema = callSchema.extend({
  transcript_text: z.string().nullish(),
  recording_url: z.string().nullish(),
  recording_duration_seconds: z.number().nullish(),
  recording_status: z.string().nullish(),
  recording_status_reason: z.string().nullish(),
  reception_status: z.string().nullish(),
  failure_reason: z.string().nullish(),
  purpose: z.string().nullish(),
  turns: z.array(turnSchema).nullish(),
  sentiment: z.string().nullish(),
  analysis: callAnalysisSchema.nullish(),
});
export type CallDetail = z.infer<typeof callDetailSchema>;

export const getCall = (id: number | string, signal?: AbortSignal) =>
  apiRequest(`/calls/${id}`, { schema: callDetailSchema, signal });

export const callQueryOptions = (id: number | string) =>
  queryOptions({ queryKey: ['calls', 'detail', String(id)], queryFn: ({ signal }) => getCall(id, signal) });

const liveStatuses = new Set(['queued', 'ringing', 'in_progress']);

/**
 * A call still in progress is re-read every few seconds so its transcript grows on screen; a finished one while
 * its analysis is pending, so the summary appears without a reload.
 */
export const useCall = (id: number | string | undefined) =>
  useQuery({
    ...callQueryOptions(id ?? ''),
    enabled: id !== undefined && id !== '',
    refetchInterval: (query) =>
      liveStatuses.has(query.state.data?.status ?? '') ? 3000 : query.state.data?.analysis?.status === 'pending' ? 2000 : false,
  });
