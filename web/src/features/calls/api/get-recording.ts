import { queryOptions, useQuery } from '@tanstack/react-query';
import { apiBlob } from '@/lib/api-client';

/**
 * Recordings need the bearer token, which an <audio src> cannot send, so the file is fetched as a blob and
 * played from an object URL (fully seekable). A short-lived absolute URL (e.g. a SAS link) is used as is.
 */
export const getRecording = (callId: number, recordingUrl: string | null | undefined, signal?: AbortSignal) =>
  recordingUrl && /^https?:\/\//.test(recordingUrl) && !recordingUrl.startsWith(window.location.origin)
    ? Promise.resolve(recordingUrl)
    : apiBlob(`/calls/${callId}/recording`, signal).then((blob) => URL.createObjectURL(blob));

export const recordingQueryOptions = (callId: number, recordingUrl: string | null | undefined) =>
  queryOptions({
    queryKey: ['calls', 'recording', callId],
    queryFn: ({ signal }) => getRecording(callId, recordingUrl, signal),
    staleTime: Infinity,
    gcTime: 5 * 60_000,
  });

export const useRecording = (callId: number, recordingUrl: string | null | undefined, enabled: boolean) =>
  useQuery({ ...recordingQueryOptions(callId, recordingUrl), enabled });
