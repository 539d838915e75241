import { base64ToBytes, bytesToBase64, floatToMulaw8k, FrameAssembler, linearToMulaw, mulawToLinear } from './mulaw';
import { TwilioMessageWriter } from './twilio-messages';

describe('mu-law codec', () => {
  it('matches G.711 reference values', () => {
    expect(linearToMulaw(0)).toBe(0xff);
    expect(linearToMulaw(-1)).toBe(0x7f);
    expect(linearToMulaw(32767)).toBe(0x80);
    expect(linearToMulaw(-32768)).toBe(0x00);
    expect(mulawToLinear(0xff)).toBe(0);
    expect(mulawToLinear(0x80)).toBe(32124);
    expect(mulawToLinear(0x00)).toBe(-32124);
  });

  it('round-trips within the codec step size', () => {
    for (const v of [-30000, -1000, -100, 50, 800, 12000, 31000]) {
      const back = mulawToLinear(linearToMulaw(v));
      expect(Math.abs(back - v)).toBeLessThanOrEqual(Math.max(8, Math.abs(v) * 0.07));
    }
  });

  it('downsamples 48 kHz to 8 kHz (6:1)', () => {
    const input = new Float32Array(960).fill(0.5);
    const out = floatToMulaw8k(input, 48000);
    expect(out).toHaveLength(160);
    expect(mulawToLinear(out[0]!)).toBeGreaterThan(15000);
  });

  it('emits exact 160-byte frames and keeps the remainder', () => {
    const assembler = new FrameAssembler(160);
    expect(assembler.push(new Uint8Array(100))).toHaveLength(0);
    const frames = assembler.push(new Uint8Array(250));
    expect(frames.map((f) => f.length)).toEqual([160, 160]);
    expect(assembler.push(new Uint8Array(129))).toHaveLength(0);
    expect(assembler.push(new Uint8Array(1))).toHaveLength(1);
  });

  it('base64 round-trips raw bytes', () => {
    const bytes = new Uint8Array([0, 1, 127, 128, 255]);
    expect(base64ToBytes(bytesToBase64(bytes))).toEqual(bytes);
  });
});

describe('TwilioMessageWriter', () => {
  it('writes Twilio-shaped messages with string sequence numbers', () => {
    const w = new TwilioMessageWriter(1000, () => 0.5);
    expect(w.connected()).toEqual({ event: 'connected', protocol: 'Call', version: '1.0.0' });
    const start = w.start();
    expect(start).toMatchObject({
      event: 'start',
      sequenceNumber: '1',
      streamSid: w.streamSid,
      start: { tracks: ['inbound'], mediaFormat: { encoding: 'audio/x-mulaw', sampleRate: 8000, channels: 1 } },
    });
    expect(w.streamSid).toMatch(/^MZ[0-9a-f]{32}$/);
    expect(w.media('AAAA', 1040)).toEqual({
      event: 'media',
      sequenceNumber: '2',
      streamSid: w.streamSid,
      media: { track: 'inbound', chunk: '1', timestamp: '40', payload: 'AAAA' },
    });
    expect(w.mark('m1')).toMatchObject({ event: 'mark', sequenceNumber: '3', mark: { name: 'm1' } });
    expect(w.text('hello')).toMatchObject({ event: 'text', text: 'hello' });
    expect(w.stop()).toMatchObject({ event: 'stop', stop: { callSid: w.callSid } });
  });
});
