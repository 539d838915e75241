import { useCallback, useEffect, useMemo, useReducer, useState } from 'react';
import { Link } from 'react-router';
import { Badge } from '@/components/ui/badge';
import { Card } from '@/components/ui/card';
import { Alert, EmptyState, LoadingState } from '@/components/ui/states';
import { errorMessage } from '@/lib/api-error';
import { paths } from '@/config/paths';
import { formatDateTime, formatPhone } from '@/lib/format';
import { useActiveCalls } from '../api/get-active-calls';
import { useCallTurns } from '../api/get-call-turns';
import { useCallsHub, type HubStatus } from '../api/use-calls-hub';
import { emptyLiveState, liveReducer, type HubEvent, type LiveCall } from '../lib/live-transcripts';

const activeStatuses = new Set(['queued', 'ringing', 'in_progress']);
const statusText: Record<HubStatus, string> = {
  connecting: 'Connecting…',
  connected: 'Live',
  reconnecting: 'Reconnecting…',
  disconnected: 'Disconnected',
  unavailable: 'Live updates unavailable — refreshing every 10 s',
};

const who = (c: LiveCall) => c.lead_name ?? c.caller_username ?? (c.from_number ? formatPhone(c.from_number) : `Call #${c.id}`);

export function LiveMonitor() {
  const [state, dispatch] = useReducer(liveReducer, emptyLiveState);
  const onEvent = useCallback((e: HubEvent) => dispatch(e), []);
  const hub = useCallsHub(onEvent);
  const active = useActiveCalls();
  const [selectedId, setSelectedId] = useState<number | null>(null);

  // Polled list + pushed updates; a pushed status change (e.g. completed) wins over the last poll.
  const calls = useMemo(() => {
    const byId = new Map<number, LiveCall>();
    for (const c of active.data ?? []) byId.set(c.id, c);
    for (const c of Object.values(state.calls)) byId.set(c.id, { ...byId.get(c.id), ...c });
    return [...byId.values()]
      .filter((c) => activeStatuses.has(c.status))
      .sort((a, b) => (b.started_at ?? '').localeCompare(a.started_at ?? ''));
  }, [active.data, state.calls]);

  const current = selectedId ?? calls[0]?.id ?? null;
  const turns = useCallTurns(current);
  useEffect(() => {
    if (current !== null && turns.data) {
      dispatch({
        type: 'seed',
        callId: current,
        lines: turns.data.turns.map((t) => ({ sequence: t.sequence, speaker: t.speaker, text: t.text, isFinal: true })),
      });
    }
  }, [current, turns.data]);

  const lines = current !== null ? (state.lines[current] ?? []) : [];
  const tools = current !== null ? (state.tools[current] ?? []) : [];
  const selected = calls.find((c) => c.id === current) ?? (current !== null ? state.calls[current] : undefined);

  return (
    <>
      <p className="muted" role="status" data-testid="hub-status">
        <span className={`dot dot-${hub}`} aria-hidden="true" /> {statusText[hub]}
      </p>
      <div className="live-grid">
        <Card title={`Active calls (${calls.length})`}>
          {active.isError ? (
            // The pushed events still list calls as they start; the polled list is only a safety net.
            <Alert kind="info">Could not load the call list ({errorMessage(active.error)}); showing calls as they report in.</Alert>
          ) : null}
          {active.isPending && calls.length === 0 ? (
            <LoadingState />
          ) : calls.length === 0 ? (
            <EmptyState title="No calls right now">
              <p>Calls appear here the moment they connect.</p>
            </EmptyState>
          ) : (
            <ul className="list-plain" aria-label="Active calls">
              {calls.map((c) => (
                <li key={c.id}>
                  <button type="button" className="list-button" aria-current={c.id === current} onClick={() => setSelectedId(c.id)}>
                    <strong>{who(c)}</strong> <Badge value={c.status} />
                    <div className="muted">
                      {[c.direction, c.started_at ? formatDateTime(c.started_at) : null].filter(Boolean).join(' · ') || 'Live now'}
                    </div>
                  </button>
                </li>
              ))}
            </ul>
          )}
        </Card>
        <Card
          title={selected ? `Transcript — ${who(selected)}` : 'Transcript'}
          actions={current !== null ? <Link to={paths.call(current)}>Call details</Link> : null}
        >
          {current === null ? (
            <EmptyState title="Select a call to follow its conversation" />
          ) : lines.length === 0 && tools.length === 0 ? (
            <EmptyState title="Waiting for someone to speak…" />
          ) : (
            <ol className="transcript" aria-label="Live transcript" aria-live="polite" data-testid="live-transcript">
              {lines.map((l) => (
                <li key={`${l.sequence}:${l.speaker}`} className={`turn turn-${l.speaker} ${l.isFinal ? '' : 'turn-partial'}`}>
                  <div className="turn-meta">
                    <strong>{l.speaker === 'agent' ? 'Agent' : l.speaker === 'caller' ? 'Caller' : l.speaker}</strong>
                  </div>
                  {l.text}
                </li>
              ))}
              {tools.map((t, i) => (
                <li key={`tool-${i}`} className="turn turn-system">
                  <div className="tool-call">
                    <span className="tool-label">Tool</span> {t.name}({JSON.stringify(t.arguments ?? {})}){t.result !== undefined ? ` → ${JSON.stringify(t.result)}` : ''}
                  </div>
                </li>
              ))}
            </ol>
          )}
        </Card>
      </div>
    </>
  );
}
