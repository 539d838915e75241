import { useEffect, useRef } from 'react';
import { humanize, formatMs } from '@/lib/format';
import type { Turn } from '../api/get-call';
import { turnAt, usePlayback } from './call-playback';

const offset = (ms: number | null | undefined) => {
  if (ms == null) return null;
  const s = Math.floor(ms / 1000);
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
};

const toolCallText = (call: unknown) => {
  if (call && typeof call === 'object') {
    const c = call as Record<string, unknown>;
    const name = typeof c.name === 'string' ? c.name : 'tool';
    const args = c.arguments ?? c.args;
    const result = c.result;
    return `${name}(${args === undefined ? '' : JSON.stringify(args)})${result === undefined ? '' : ` → ${JSON.stringify(result)}`}`;
  }
  return JSON.stringify(call);
};

/** Latency is a figure of the agent's reply to a caller: other turns never show one, and missing figures are left out. */
function LatencyBreakdown({ turn }: { turn: Turn }) {
  const l = turn.latency;
  if (turn.speaker !== 'agent' || !l) return null;
  const figures = [
    ['STT', l.stt_ms],
    ['LLM first token', l.llm_first_token_ms],
    ['TTS first byte', l.tts_first_byte_ms],
    ['First audio', l.first_audio_ms],
  ].filter(([, ms]) => ms != null) as [string, number][];
  if (figures.length === 0) return null;
  return (
    <div className="latency" aria-label="Latency breakdown">
      {figures.map(([label, ms]) => (
        <span key={label}>
          {label} {formatMs(ms)}
        </span>
      ))}
    </div>
  );
}

/**
 * Turn-by-turn view: who spoke, when, barge-ins, the tools the agent used and where each turn's time went. With a
 * recording (a PlaybackProvider around it), a turn clicked plays from its offset and the turn playing is highlighted.
 */
export function CallTranscript({ turns }: { turns: Turn[] }) {
  const sorted = [...turns].sort((a, b) => a.sequence - b.sequence);
  const playback = usePlayback();
  const playing = playback ? turnAt(sorted, playback.positionMs) : undefined;
  const playingRef = useRef<HTMLLIElement | null>(null);
  useEffect(() => {
    const el = playingRef.current;
    if (el && typeof el.scrollIntoView === 'function') el.scrollIntoView({ block: 'nearest', behavior: 'smooth' });
  }, [playing?.sequence]);
  return (
    <ol className="transcript" aria-label="Transcript">
      {sorted.map((t) => {
        const isPlaying = playing?.sequence === t.sequence;
        const seekable = playback != null && t.start_ms != null;
        return (
          <li
            key={t.sequence}
            ref={isPlaying ? playingRef : undefined}
            aria-current={isPlaying ? 'true' : undefined}
            className={`turn turn-${t.speaker} ${t.interrupted ? 'turn-interrupted' : ''} ${isPlaying ? 'turn-playing' : ''} ${seekable ? 'turn-seekable' : ''}`}
          >
            <div className="turn-meta">
              <strong>{t.speaker === 'agent' ? 'Agent' : humanize(t.speaker)}</strong>
              {seekable ? (
                <button
                  type="button"
                  className="turn-play"
                  aria-label={`Play from ${offset(t.start_ms)}`}
                  onClick={() => playback.playFrom(t.start_ms ?? 0)}
                >
                  ▶ {offset(t.start_ms)}
                </button>
              ) : offset(t.start_ms) ? (
                <span>{offset(t.start_ms)}</span>
              ) : null}
              {t.interrupted ? <span className="badge badge-amber">Interrupted</span> : null}
            </div>
            <div>{t.text}</div>
            {t.tool_calls?.map((call, i) => (
              <div key={i} className="tool-call" aria-label="Tool call">
                <span className="tool-label">Tool</span> {toolCallText(call)}
              </div>
            ))}
            <LatencyBreakdown turn={t} />
          </li>
        );
      })}
    </ol>
  );
}
