import { env } from '@/config/env';
import { AgentAudioPlayer } from './agent-audio-player';
import { startMicrophone, type MicrophoneCapture } from './microphone';
import { base64ToBytes, bytesToBase64 } from './mulaw';
import { TwilioMessageWriter, type ServerMessage } from './twilio-messages';

export type TranscriptLine = { key: string; speaker: string; text: string; isFinal: boolean };

export type BrowserCallEvents = {
  onStatus: (status: 'connecting' | 'live' | 'ended' | 'failed', detail?: string) => void;
  onTranscript: (line: TranscriptLine) => void;
  onLevel: (level: number) => void;
  onMicrophone: (state: 'on' | 'off' | 'unavailable', detail?: string) => void;
  /** The saved call this test call is (the server's first message), so the page can link to it. */
  onCall?: (callId: number) => void;
};

export function voiceSocketUrl(token: string, location: Location = window.location): string {
  const base = env.apiUrl || `${location.protocol}//${location.host}`;
  return `${base.replace(/^http/, 'ws')}/voice/browser?access_token=${encodeURIComponent(token)}`;
}

/** One test call: a WebSocket speaking the Media Streams protocol, the microphone in, the agent's voice out. */
export class BrowserCall {
  private socket: WebSocket | null = null;
  private readonly writer = new TwilioMessageWriter();
  private player: AgentAudioPlayer | null = null;
  private mic: MicrophoneCapture | null = null;
  private transcriptCount = 0;
  /** Per speaker, the key of a turn whose interim text is still growing (the server sends no sequence numbers). */
  private openTurn = new Map<string, string>();
  private wasLive = false;
  /** Set by teardown: a microphone granted after this (the prompt was still up) is released at once. */
  private ended = false;

  constructor(private readonly events: BrowserCallEvents) {}

  start(token: string, withMicrophone: boolean) {
    this.events.onStatus('connecting');
    this.player = new AgentAudioPlayer((name) => this.send(this.writer.mark(name)));
    // Created inside the click handler so the browser's autoplay policy lets the agent be heard.
    void this.player.resume();
    const socket = new WebSocket(voiceSocketUrl(token));
    this.socket = socket;
    socket.onopen = () => {
      this.send(this.writer.connected());
      this.send(this.writer.start());
      this.wasLive = true;
      this.events.onStatus('live');
      if (withMicrophone) void this.enableMicrophone();
    };
    socket.onmessage = (e) => this.receive(e.data);
    socket.onerror = () => this.events.onStatus('failed', 'The voice service could not be reached.');
    socket.onclose = (e) => {
      void this.teardown();
      // Once connected, the server ending the call is a normal end even without a clean close handshake.
      if (this.wasLive) this.events.onStatus('ended', e.code === 1000 || e.code === 1005 ? undefined : `connection closed (${e.code})`);
      else this.events.onStatus('failed', e.reason || 'The voice service refused the call.');
    };
  }

  async enableMicrophone() {
    if (this.mic) return;
    if (!navigator.mediaDevices?.getUserMedia) {
      this.events.onMicrophone('unavailable', 'This browser cannot use a microphone here (it needs https or localhost).');
      return;
    }
    try {
      const mic = await startMicrophone(
        (frame) => this.send(this.writer.media(bytesToBase64(frame))),
        (level) => {
          if (this.mic === mic) this.events.onLevel(level);
        },
      );
      if (this.ended) {
        await mic.stop();
        return;
      }
      this.mic = mic;
      this.events.onMicrophone('on');
    } catch (error) {
      this.events.onMicrophone('unavailable', (error as Error).message || 'Microphone permission was denied.');
    }
  }

  async disableMicrophone() {
    const mic = this.mic;
    this.mic = null;
    await mic?.stop();
    this.events.onMicrophone('off');
    this.events.onLevel(0);
  }

  sendText(text: string) {
    this.send(this.writer.text(text));
  }

  hangUp() {
    if (this.socket?.readyState === WebSocket.OPEN) {
      this.send(this.writer.stop());
      this.socket.close(1000, 'caller hung up');
    }
    void this.teardown();
  }

  private send(message: object) {
    if (this.socket?.readyState === WebSocket.OPEN) this.socket.send(JSON.stringify(message));
  }

  private receive(data: unknown) {
    if (typeof data !== 'string') return;
    let message: ServerMessage;
    try {
      message = JSON.parse(data) as ServerMessage;
    } catch {
      return;
    }
    const m = message as Record<string, unknown>;
    switch (message.event) {
      case 'media': {
        const payload = (m.media as { payload?: string } | undefined)?.payload;
        if (payload) this.player?.enqueue(base64ToBytes(payload));
        break;
      }
      case 'mark': {
        const name = (m.mark as { name?: string } | undefined)?.name;
        if (name) this.player?.mark(name);
        break;
      }
      case 'clear':
        this.player?.clear();
        break;
      case 'transcript': {
        const speaker = String(m.speaker ?? 'agent');
        const isFinal = m.is_final !== false;
        let key = m.sequence !== undefined ? `${String(m.sequence)}:${speaker}` : this.openTurn.get(speaker);
        if (!key) key = `t${this.transcriptCount++}:${speaker}`;
        // Interim lines for a turn share a key so they update in place; a final line closes the turn.
        if (isFinal) this.openTurn.delete(speaker);
        else if (m.sequence === undefined) this.openTurn.set(speaker, key);
        this.events.onTranscript({ key, speaker, text: String(m.text ?? ''), isFinal });
        break;
      }
      case 'stop':
        this.socket?.close(1000, 'call ended');
        break;
      case 'call':
        if (typeof m.call_id === 'number') this.events.onCall?.(m.call_id);
        break;
    }
  }

  /** Ends the audio both ways; the page is told the microphone is off so its meter goes away. */
  private async teardown() {
    const mic = this.mic;
    const player = this.player;
    this.ended = true;
    this.mic = null;
    this.player = null;
    if (mic) {
      this.events.onMicrophone('off');
      this.events.onLevel(0);
    }
    await mic?.stop();
    await player?.close();
  }
}
