import { humanize, formatMs } from '@/lib/format';
import type { Turn } from '../api/get-call';

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

/** Turn-by-turn view: who spoke, when, barge-ins, the tools the agent used and where each turn's time went. */
export function CallTranscript({ turns }: { turns: Turn[] }) {
  const sorted = [...turns].sort((a, b) => a.sequence - b.sequence);
  return (
    <ol className="transcript" aria-label="Transcript">
      {sorted.map((t) => (
        <li key={t.sequence} className={`turn turn-${t.speaker} ${t.interrupted ? 'turn-interrupted' : ''}`}>
          <div className="turn-meta">
            <strong>{t.speaker === 'agent' ? 'Agent' : humanize(t.speaker)}</strong>
            {offset(t.start_ms) ? <span>{offset(t.start_ms)}</span> : null}
            {t.interrupted ? <span className="badge badge-amber">Interrupted</span> : null}
          </div>
          <div>{t.text}</div>
          {t.tool_calls?.map((call, i) => (
            <div key={i} className="tool-call" aria-label="Tool call">
              <span className="tool-label">Tool</span> {toolCallText(call)}
            </div>
          ))}
          {t.latency ? (
            <div className="latency" aria-label="Latency breakdown">
              <span>STT {formatMs(t.latency.stt_ms)}</span>
              <span>LLM first token {formatMs(t.latency.llm_first_token_ms)}</span>
              <span>TTS first byte {formatMs(t.latency.tts_first_byte_ms)}</span>
              <span>First audio {formatMs(t.latency.first_audio_ms)}</span>
            </div>
          ) : null}
        </li>
      ))}
    </ol>
  );
}
