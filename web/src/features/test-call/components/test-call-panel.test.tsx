import { act, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { userByRole } from '@/testing/data';
import { FakeSocket } from '@/testing/fake-socket';
import { renderApp, signInAs } from '@/testing/render-app';

class FakeAudioContext {
  currentTime = 0;
  state = 'running';
  destination = {};
  createBuffer(_channels: number, length: number, rate: number) {
    return { duration: length / rate, getChannelData: () => new Float32Array(length) };
  }
  createBufferSource() {
    return { buffer: null, connect() {}, start() {}, stop() {}, onended: null };
  }
  resume() {
    return Promise.resolve();
  }
  close() {
    return Promise.resolve();
  }
  // The microphone graph (no audioWorklet here, so the ScriptProcessor path).
  sampleRate = 48000;
  createMediaStreamSource() {
    return { connect() {}, disconnect() {} };
  }
  createScriptProcessor() {
    const node = { connect() {}, disconnect() {}, onaudioprocess: null as null | ((e: unknown) => void) };
    FakeAudioContext.processor = node;
    return node;
  }
  createGain() {
    return { gain: { value: 1 }, connect() {}, disconnect() {} };
  }
  static processor: { onaudioprocess: null | ((e: unknown) => void) } | null = null;
}

/** A granted microphone whose one track records whether it was stopped. */
function fakeMicrophone() {
  const track = { stop: vi.fn() };
  vi.stubGlobal('navigator', { ...navigator, mediaDevices: { getUserMedia: vi.fn(async () => ({ getTracks: () => [track] })) } });
  return track;
}

describe('test call page', () => {
  beforeEach(() => {
    vi.stubGlobal('WebSocket', FakeSocket);
    vi.stubGlobal('AudioContext', FakeAudioContext);
  });
  afterEach(() => vi.unstubAllGlobals());

  it('shows a typed message once, says the engines in use and links to the saved call when it ends', async () => {
    signInAs(userByRole('agent'));
    await renderApp('/test-call');
    expect(await screen.findByTestId('voice-engines', undefined, { timeout: 5000 })).toHaveTextContent('Speech recognition: Deepgram · Voice: eSpeak (local) · Agent: local (offline)');

    await userEvent.click(screen.getByRole('button', { name: 'Start without microphone' }));
    const socket = FakeSocket.last;
    act(() => {
      socket.serverSends({ event: 'call', call_id: 42 });
      socket.open();
    });
    await userEvent.type(screen.getByLabelText('Type a message'), 'Hello there');
    await userEvent.click(screen.getByRole('button', { name: 'Send' }));
    expect(socket.sent.at(-1)).toMatchObject({ event: 'text', text: 'Hello there' });
    // The server echoes the typed words as the caller's line.
    act(() => socket.serverSends({ event: 'transcript', speaker: 'caller', text: 'Hello there', is_final: true }));

    const conversation = await screen.findByRole('list', { name: 'Conversation' }, { timeout: 5000 });
    expect(within(conversation).getAllByText('Hello there')).toHaveLength(1);
    expect(screen.queryByRole('link', { name: 'View the call' })).not.toBeInTheDocument();

    act(() => socket.serverSends({ event: 'stop' }));
    expect(await screen.findByRole('link', { name: 'View the call' }, { timeout: 5000 })).toHaveAttribute('href', '/calls/42');
  }, 20_000);

  it('takes the mic meter away and releases the microphone when the server ends the call', async () => {
    const track = fakeMicrophone();
    signInAs(userByRole('agent'));
    await renderApp('/test-call');
    await userEvent.click(await screen.findByRole('button', { name: 'Start call' }, { timeout: 5000 }));
    act(() => FakeSocket.last.open());
    const meter = await screen.findByRole('meter', { name: 'Microphone level' });
    act(() => FakeAudioContext.processor!.onaudioprocess!({ inputBuffer: { getChannelData: () => new Float32Array(960).fill(0.5) } }));
    expect(meter).toHaveAttribute('aria-valuenow', '50');

    act(() => FakeSocket.last.serverSends({ event: 'stop' }));
    expect(await screen.findByText('Call ended')).toBeInTheDocument();
    await waitFor(() => expect(screen.queryByRole('meter', { name: 'Microphone level' })).not.toBeInTheDocument());
    expect(track.stop).toHaveBeenCalled();
  }, 20_000);
});

