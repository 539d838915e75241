import { useQuery } from '@tanstack/react-query';
import { z } from 'zod';
import { apiRequest } from '@/lib/api-client';

export const voiceEnginesSchema = z.object({
  speech_to_text: z.string(),
  text_to_speech: z.string(),
  agent: z.string(),
  missing: z.array(z.string()).nullish(),
});
export type VoiceEngines = z.infer<typeof voiceEnginesSchema>;

const names: Record<string, string> = {
  deepgram: 'Deepgram',
  local: 'local (offline)',
  espeak: 'eSpeak (local)',
  'azure-openai': 'Azure OpenAI',
};

/** A provider's name as people know it ("deepgram" → "Deepgram"); an unknown one as the server gave it. */
export const engineName = (provider: string) => names[provider] ?? provider;

export const useVoiceEngines = () =>
  useQuery({
    queryKey: ['voice', 'engines'],
    queryFn: ({ signal }) => apiRequest('/voice/engines', { schema: voiceEnginesSchema, signal }),
    staleTime: 5 * 60_000,
  });
