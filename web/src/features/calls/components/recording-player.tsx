import { useState } from 'react';
import { Button } from '@/components/ui/button';
import { ErrorState, LoadingState } from '@/components/ui/states';
import { formatDuration } from '@/lib/format';
import { useRecording } from '../api/get-recording';
import { usePlayback } from './call-playback';

type Props = { callId: number; recordingUrl?: string | null; durationSeconds?: number | null };

/**
 * Loads the audio only when asked (the button, or a transcript turn clicked), so opening a call detail does not
 * download every recording. Inside a PlaybackProvider the transcript drives and follows it.
 */
export function RecordingPlayer({ callId, recordingUrl, durationSeconds }: Props) {
  const playback = usePlayback();
  const [ownRequest, setOwnRequest] = useState(false);
  const requested = playback?.requested ?? ownRequest;
  const recording = useRecording(callId, recordingUrl, requested);
  if (!requested) {
    return (
      <Button variant="secondary" onClick={() => (playback ? playback.request() : setOwnRequest(true))}>
        Load recording{durationSeconds ? ` (${formatDuration(durationSeconds)})` : ''}
      </Button>
    );
  }
  if (recording.isPending) return <LoadingState label="Loading recording…" />;
  if (recording.isError) return <ErrorState error={recording.error} onRetry={() => recording.refetch()} />;
  return (
    <audio ref={playback?.attach} controls preload="auto" src={recording.data} data-testid="call-recording" autoPlay={false}>
      Your browser cannot play this recording.
    </audio>
  );
}
