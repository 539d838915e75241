import { useState } from 'react';
import { Button } from '@/components/ui/button';
import { ErrorState, LoadingState } from '@/components/ui/states';
import { formatDuration } from '@/lib/format';
import { useRecording } from '../api/get-recording';

type Props = { callId: number; recordingUrl?: string | null; durationSeconds?: number | null };

/** Loads the audio only when asked, so opening a call detail does not download every recording. */
export function RecordingPlayer({ callId, recordingUrl, durationSeconds }: Props) {
  const [requested, setRequested] = useState(false);
  const recording = useRecording(callId, recordingUrl, requested);
  if (!requested) {
    return (
      <Button variant="secondary" onClick={() => setRequested(true)}>
        Load recording{durationSeconds ? ` (${formatDuration(durationSeconds)})` : ''}
      </Button>
    );
  }
  if (recording.isPending) return <LoadingState label="Loading recording…" />;
  if (recording.isError) return <ErrorState error={recording.error} onRetry={() => recording.refetch()} />;
  return (
    <audio controls preload="auto" src={recording.data} data-testid="call-recording" autoPlay={false}>
      Your browser cannot play this recording.
    </audio>
  );
}
