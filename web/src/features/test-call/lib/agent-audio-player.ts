import { mulawToFloat } from './mulaw';

/**
 * Plays the agent's mu-law audio gap-free in arrival order and honours marks the way Twilio does: a mark is
 * echoed back when the audio queued before it has finished playing, or at once when `clear` drops that audio.
 */
export class AgentAudioPlayer {
  private readonly context: AudioContext;
  private playhead = 0;
  private sources = new Set<AudioBufferSourceNode>();
  private pendingMarks: { name: string; timer: ReturnType<typeof setTimeout> }[] = [];

  constructor(
    private readonly onMarkPlayed: (name: string) => void,
    context?: AudioContext,
  ) {
    this.context = context ?? new AudioContext();
  }

  get isSpeaking() {
    return this.playhead > this.context.currentTime;
  }

  async resume() {
    if (this.context.state === 'suspended') await this.context.resume();
  }

  enqueue(mulaw: Uint8Array) {
    if (mulaw.length === 0) return;
    const samples = mulawToFloat(mulaw);
    const buffer = this.context.createBuffer(1, samples.length, 8000);
    buffer.getChannelData(0).set(samples);
    const source = this.context.createBufferSource();
    source.buffer = buffer;
    source.connect(this.context.destination);
    const startAt = Math.max(this.playhead, this.context.currentTime + 0.02);
    source.start(startAt);
    this.playhead = startAt + buffer.duration;
    this.sources.add(source);
    source.onended = () => this.sources.delete(source);
  }

  mark(name: string) {
    const delayMs = Math.max(0, (this.playhead - this.context.currentTime) * 1000);
    const entry = { name, timer: setTimeout(() => this.fireMark(entry), delayMs) };
    this.pendingMarks.push(entry);
  }

  /** Barge-in: stop what is playing and drop what is queued. */
  clear() {
    for (const s of this.sources) {
      try {
        s.stop();
      } catch {
        /* already stopped */
      }
    }
    this.sources.clear();
    this.playhead = this.context.currentTime;
    for (const m of [...this.pendingMarks]) {
      clearTimeout(m.timer);
      this.fireMark(m);
    }
  }

  private fireMark(entry: { name: string; timer: ReturnType<typeof setTimeout> }) {
    this.pendingMarks = this.pendingMarks.filter((m) => m !== entry);
    this.onMarkPlayed(entry.name);
  }

  async close() {
    for (const m of this.pendingMarks) clearTimeout(m.timer);
    this.pendingMarks = [];
    this.clear();
    await this.context.close().catch(() => undefined);
  }
}
