// The browser plays Twilio's part of the Media Streams protocol (JSON text frames; numbers as strings), so the
// server runs the very pipeline a phone call uses. `text` is our addition for typing instead of speaking.
export type ServerMessage =
  | { event: 'media'; media: { payload: string } }
  | { event: 'mark'; mark: { name: string } }
  | { event: 'clear' }
  | { event: 'transcript'; speaker?: string; text: string; is_final?: boolean; sequence?: number; call_id?: number }
  | { event: 'stop' }
  | { event: 'call'; call_id: number }
  | { event: string; [key: string]: unknown };

export class TwilioMessageWriter {
  private sequence = 0;
  private chunk = 0;
  readonly streamSid: string;
  readonly callSid: string;
  private readonly startedAt: number;

  constructor(now = Date.now(), random = () => Math.random()) {
    const id = () => Array.from({ length: 32 }, () => Math.floor(random() * 16).toString(16)).join('');
    this.streamSid = `MZ${id()}`;
    this.callSid = `CAbrowser${id().slice(0, 23)}`;
    this.startedAt = now;
  }

  private next() {
    this.sequence += 1;
    return String(this.sequence);
  }

  connected() {
    return { event: 'connected', protocol: 'Call', version: '1.0.0' };
  }

  start(customParameters: Record<string, string> = {}) {
    return {
      event: 'start',
      sequenceNumber: this.next(),
      streamSid: this.streamSid,
      start: {
        streamSid: this.streamSid,
        accountSid: 'browser',
        callSid: this.callSid,
        tracks: ['inbound'],
        customParameters: { source: 'browser', ...customParameters },
        mediaFormat: { encoding: 'audio/x-mulaw', sampleRate: 8000, channels: 1 },
      },
    };
  }

  media(payload: string, now = Date.now()) {
    this.chunk += 1;
    return {
      event: 'media',
      sequenceNumber: this.next(),
      streamSid: this.streamSid,
      media: { track: 'inbound', chunk: String(this.chunk), timestamp: String(now - this.startedAt), payload },
    };
  }

  mark(name: string) {
    return { event: 'mark', sequenceNumber: this.next(), streamSid: this.streamSid, mark: { name } };
  }

  text(text: string) {
    return { event: 'text', sequenceNumber: this.next(), streamSid: this.streamSid, text };
  }

  stop() {
    return {
      event: 'stop',
      sequenceNumber: this.next(),
      streamSid: this.streamSid,
      stop: { accountSid: 'browser', callSid: this.callSid },
    };
  }
}
