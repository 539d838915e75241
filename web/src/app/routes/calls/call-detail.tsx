import { Link, useParams } from 'react-router';
import { Card, PageHeader } from '@/components/ui/card';
import { EmptyState, ErrorState, LoadingState } from '@/components/ui/states';
import { paths } from '@/config/paths';
import { useCall } from '@/features/calls/api/get-call';
import { CallAnalysisPanel } from '@/features/calls/components/call-analysis-panel';
import { PlaybackProvider } from '@/features/calls/components/call-playback';
import { CallSummary } from '@/features/calls/components/call-summary';
import { CallTranscript } from '@/features/calls/components/call-transcript';
import { callerLabel } from '@/features/calls/components/calls-table';
import { RecordingPlayer } from '@/features/calls/components/recording-player';
import { RecordingStatus } from '@/features/calls/components/recording-status';
import { useDocumentTitle } from '@/lib/use-document-title';

export default function CallDetailPage() {
  const { id } = useParams();
  const query = useCall(id);
  useDocumentTitle(query.data ? `Call with ${callerLabel(query.data)}` : 'Call');

  if (query.isPending) return <LoadingState label="Loading call…" />;
  if (query.isError) return <ErrorState error={query.error} onRetry={() => query.refetch()} />;
  const c = query.data;
  const turns = c.turns ?? [];
  return (
    <PlaybackProvider key={c.id} enabled={Boolean(c.has_recording || c.recording_url)}>
      <PageHeader
        title={`Call with ${callerLabel(c)}`}
        actions={
          <Link className="btn btn-secondary" to={paths.calls}>
            All calls
          </Link>
        }
      />
      <div className="grid grid-2">
        <div>
          <CallSummary call={c} />
          <CallAnalysisPanel callId={c.id} leadId={c.lead_id} analysis={c.analysis} />
          <Card title="Recording">
            {c.has_recording || c.recording_url ? (
              <RecordingPlayer callId={c.id} recordingUrl={c.recording_url} durationSeconds={c.recording_duration_seconds ?? c.duration_seconds} />
            ) : (
              <EmptyState title="No recording for this call" />
            )}
            <RecordingStatus status={c.recording_status} reason={c.recording_status_reason} />
          </Card>
        </div>
        <Card title="Transcript">
          {turns.length > 0 ? (
            <CallTranscript turns={turns} />
          ) : c.transcript_text ? (
            <p className="pre-wrap">{c.transcript_text}</p>
          ) : (
            <EmptyState title="No transcript" />
          )}
        </Card>
      </div>
    </PlaybackProvider>
  );
}
