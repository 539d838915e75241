import { callSchema, type Call } from '@/types/api';

export type LiveLine = { sequence: number; speaker: string; text: string; isFinal: boolean };
export type ToolEvent = { name: string; arguments: unknown; result: unknown; at: number };
/** What the monitor knows of a call: the REST list item, or just id and status from a pushed event. */
export type LiveCall = Partial<Call> & { id: number; status: string };
export type LiveState = {
  calls: Record<number, LiveCall>;
  lines: Record<number, LiveLine[]>;
  tools: Record<number, ToolEvent[]>;
};

export type HubEvent =
  | { type: 'callUpdated'; payload: unknown }
  | { type: 'transcript'; payload: unknown }
  | { type: 'toolCall'; payload: unknown }
  | { type: 'seed'; callId: number; lines: LiveLine[] };

export const emptyLiveState: LiveState = { calls: {}, lines: {}, tools: {} };

/** Tool arguments and results may arrive as JSON text; show them as data when they parse. */
const jsonOrText = (v: unknown) => {
  if (typeof v !== 'string') return v;
  try {
    return JSON.parse(v) as unknown;
  } catch {
    return v;
  }
};

const num = (v: unknown) => (typeof v === 'number' ? v : typeof v === 'string' && v !== '' ? Number(v) : NaN);

/**
 * Folds hub events into per-call transcripts. Interim (non-final) text for a turn is replaced by later text for
 * the same sequence number, so a sentence grows in place instead of repeating.
 */
export function liveReducer(state: LiveState, event: HubEvent): LiveState {
  switch (event.type) {
    case 'callUpdated': {
      // The hub sends { call }: the call exactly as GET /calls/{id} returns it.
      const parsed = callSchema.safeParse((event.payload as { call?: unknown } | null)?.call);
      if (!parsed.success) return state;
      return { ...state, calls: { ...state.calls, [parsed.data.id]: parsed.data } };
    }
    case 'transcript': {
      const p = (event.payload ?? {}) as Record<string, unknown>;
      const callId = num(p.call_id ?? p.callId);
      if (Number.isNaN(callId) || typeof p.text !== 'string') return state;
      const existing = state.lines[callId] ?? [];
      const sequence = Number.isNaN(num(p.sequence)) ? existing.length : num(p.sequence);
      // A transcript for a call the monitor has not heard of means that call is live.
      const calls = state.calls[callId] ? state.calls : { ...state.calls, [callId]: { id: callId, status: 'in_progress' } };
      const line: LiveLine = {
        sequence,
        speaker: String(p.speaker ?? 'caller'),
        text: p.text,
        isFinal: p.is_final !== false && p.isFinal !== false,
      };
      return { ...state, calls, lines: { ...state.lines, [callId]: mergeLines(existing, [line]) } };
    }
    case 'toolCall': {
      const p = (event.payload ?? {}) as Record<string, unknown>;
      const callId = num(p.call_id ?? p.callId);
      if (Number.isNaN(callId)) return state;
      const tool: ToolEvent = { name: String(p.name ?? 'tool'), arguments: jsonOrText(p.arguments), result: jsonOrText(p.result), at: Date.now() };
      return { ...state, tools: { ...state.tools, [callId]: [...(state.tools[callId] ?? []), tool] } };
    }
    case 'seed':
      return { ...state, lines: { ...state.lines, [event.callId]: mergeLines(event.lines, state.lines[event.callId] ?? []) } };
  }
}

/** Later lines win for the same (sequence, speaker); the result is ordered by sequence. */
export function mergeLines(base: LiveLine[], incoming: LiveLine[]): LiveLine[] {
  const byKey = new Map<string, LiveLine>();
  for (const l of [...base, ...incoming]) byKey.set(`${l.sequence}:${l.speaker}`, l);
  return [...byKey.values()].sort((a, b) => a.sequence - b.sequence);
}
