type Props = { status?: string | null; reason?: string | null };

/** Says whether and why a call we handled was recorded (recording_status and its reason); nothing for other calls. */
export function recordingStatusText(status?: string | null, reason?: string | null): string | null {
  const why = reason ? ` (${reason})` : '';
  switch (status) {
    case 'recorded':
      return `Recorded${why}`;
    case 'pending':
      return 'Recording is being stored…';
    case 'declined':
      return `Not recorded: ${reason ?? 'the caller declined'}`;
    case 'off':
      return 'Not recorded: recording is off';
    case 'failed':
      return `Recording failed${reason ? `: ${reason}` : ''}`;
    default:
      return null;
  }
}

export function RecordingStatus({ status, reason }: Props) {
  const text = recordingStatusText(status, reason);
  return text ? (
    <p className="muted" data-testid="recording-status">
      {text}
    </p>
  ) : null;
}
