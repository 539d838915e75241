import { FakeSocket } from '@/testing/fake-socket';
import { BrowserCall, voiceSocketUrl } from './browser-call';

// A stand-in AudioContext (and FakeSocket for the WebSocket): the test drives the server side of the protocol by hand.
class FakeAudioContext {
  currentTime = 0;
  state = 'running';
  destination = {};
  started: number[] = [];
  createBuffer(_channels: number, length: number, rate: number) {
    return { duration: length / rate, getChannelData: () => new Float32Array(length) };
  }
  createBufferSource() {
    const started = this.started;
    return { buffer: null, connect() {}, start(at: number) { started.push(at); }, stop() {}, onended: null };
  }
  resume() { return Promise.resolve(); }
  close() { return Promise.resolve(); }
  sampleRate = 48000;
  createMediaStreamSource() { return { connect() {}, disconnect() {} }; }
  createScriptProcessor() { return { connect() {}, disconnect() {}, onaudioprocess: null }; }
  createGain() { return { gain: { value: 1 }, connect() {}, disconnect() {} }; }
}

describe('BrowserCall', () => {
  beforeEach(() => {
    vi.stubGlobal('WebSocket', FakeSocket);
    vi.stubGlobal('AudioContext', FakeAudioContext);
  });
  afterEach(() => vi.unstubAllGlobals());

  const events = () => ({ onStatus: vi.fn(), onTranscript: vi.fn(), onLevel: vi.fn(), onMicrophone: vi.fn() });

  it('opens /voice/browser with the token and plays Twilio: connected, start, then text', () => {
    const e = events();
    const call = new BrowserCall(e);
    call.start('tok en', false);
    const socket = FakeSocket.last;
    expect(socket.url).toBe(voiceSocketUrl('tok en'));
    expect(socket.url).toMatch(/^ws:\/\/.+\/voice\/browser\?access_token=tok%20en$/);
    socket.open();
    expect(socket.sent.map((m) => m.event)).toEqual(['connected', 'start']);
    expect(e.onStatus).toHaveBeenLastCalledWith('live');

    call.sendText('three bedrooms in Austin');
    expect(socket.sent[2]).toMatchObject({ event: 'text', text: 'three bedrooms in Austin', streamSid: socket.sent[1]!.streamSid });
  });

  it('shows transcripts, updating interim lines in place', () => {
    const e = events();
    new BrowserCall(e).start('t', false);
    const socket = FakeSocket.last;
    socket.open();
    socket.serverSends({ event: 'transcript', speaker: 'caller', text: 'three bed', is_final: false, sequence: 2 });
    socket.serverSends({ event: 'transcript', speaker: 'caller', text: 'three bedrooms', is_final: true, sequence: 2 });
    expect(e.onTranscript.mock.calls.map((c) => c[0])).toEqual([
      { key: '2:caller', speaker: 'caller', text: 'three bed', isFinal: false },
      { key: '2:caller', speaker: 'caller', text: 'three bedrooms', isFinal: true },
    ]);
  });

  it('keeps interim turns of two speakers apart when the server sends no sequence numbers', () => {
    const e = events();
    new BrowserCall(e).start('t', false);
    const socket = FakeSocket.last;
    socket.open();
    socket.serverSends({ event: 'transcript', speaker: 'caller', text: 'I want', is_final: false });
    socket.serverSends({ event: 'transcript', speaker: 'agent', text: 'Hello!', is_final: true });
    socket.serverSends({ event: 'transcript', speaker: 'caller', text: 'I want a house', is_final: true });
    socket.serverSends({ event: 'transcript', speaker: 'caller', text: 'Thanks', is_final: true });
    const keys = e.onTranscript.mock.calls.map((c) => `${c[0].key}=${c[0].text}`);
    expect(keys).toEqual(['t0:caller=I want', 't1:agent=Hello!', 't0:caller=I want a house', 't2:caller=Thanks']);
  });

  it('treats the server closing a live call as the end of the call, and a refused socket as a failure', () => {
    const e = events();
    new BrowserCall(e).start('t', false);
    FakeSocket.last.open();
    FakeSocket.last.close(1006, '');
    expect(e.onStatus).toHaveBeenLastCalledWith('ended', 'connection closed (1006)');
    const refused = events();
    new BrowserCall(refused).start('t', false);
    FakeSocket.last.close(1006, '');
    expect(refused.onStatus).toHaveBeenLastCalledWith('failed', 'The voice service refused the call.');
  });

  it('returns a mark at once when clear drops the audio before it (barge-in)', () => {
    vi.useFakeTimers();
    try {
      new BrowserCall(events()).start('t', false);
      const socket = FakeSocket.last;
      socket.open();
      socket.serverSends({ event: 'media', media: { payload: btoa(String.fromCharCode(...new Uint8Array(8000).fill(0xff))) } });
      socket.serverSends({ event: 'mark', mark: { name: 'reply-1' } });
      expect(socket.sent.some((m) => m.event === 'mark')).toBe(false); // one second of audio still queued
      socket.serverSends({ event: 'clear' });
      expect(socket.sent.at(-1)).toMatchObject({ event: 'mark', mark: { name: 'reply-1' } });
    } finally {
      vi.useRealTimers();
    }
  });

  it('echoes a mark once the audio before it has played', () => {
    vi.useFakeTimers();
    try {
      new BrowserCall(events()).start('t', false);
      const socket = FakeSocket.last;
      socket.open();
      socket.serverSends({ event: 'media', media: { payload: btoa(String.fromCharCode(...new Uint8Array(1600).fill(0xff))) } });
      socket.serverSends({ event: 'mark', mark: { name: 'm' } });
      vi.advanceTimersByTime(150);
      expect(socket.sent.some((m) => m.event === 'mark')).toBe(false);
      vi.advanceTimersByTime(100); // 200 ms of audio + 20 ms lead-in
      expect(socket.sent.at(-1)).toMatchObject({ event: 'mark', mark: { name: 'm' } });
    } finally {
      vi.useRealTimers();
    }
  });

  it('sends stop and closes on hang-up', () => {
    const e = events();
    const call = new BrowserCall(e);
    call.start('t', false);
    const socket = FakeSocket.last;
    socket.open();
    call.hangUp();
    expect(socket.sent.at(-1)).toMatchObject({ event: 'stop' });
    expect(e.onStatus).toHaveBeenLastCalledWith('ended', undefined);
  });

  it('releases a microphone that was granted only after the call had ended', async () => {
    const track = { stop: vi.fn() };
    let grant: (stream: unknown) => void = () => undefined;
    vi.stubGlobal('navigator', { ...navigator, mediaDevices: { getUserMedia: () => new Promise((r) => (grant = r)) } });
    const e = events();
    const call = new BrowserCall(e);
    call.start('t', true);
    FakeSocket.last.open(); // asks for the microphone; the permission prompt is still up
    call.hangUp();
    grant({ getTracks: () => [track] });
    await vi.waitFor(() => expect(track.stop).toHaveBeenCalled());
    expect(e.onMicrophone).not.toHaveBeenCalledWith('on');
  });
});

