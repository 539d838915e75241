import { act, fireEvent, render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { Turn } from '../api/get-call';
import { PlaybackProvider, turnAt, usePlayback } from './call-playback';
import { CallTranscript } from './call-transcript';

const turns: Turn[] = [
  { sequence: 1, speaker: 'agent', text: 'Thanks for calling.', start_ms: 0, end_ms: 1800, latency: null },
  { sequence: 2, speaker: 'caller', text: 'A three bedroom in Austin?', start_ms: 2100, end_ms: 4000, latency: { stt_ms: 140 } },
  { sequence: 3, speaker: 'agent', text: 'I found two homes.', start_ms: 5600, end_ms: 8000, latency: { stt_ms: 150, llm_first_token_ms: 300, tts_first_byte_ms: null, first_audio_ms: 610 } },
];

function Audio() {
  const playback = usePlayback();
  return <audio data-testid="audio" ref={playback?.attach} />;
}

describe('recording tied to the transcript', () => {
  beforeEach(() => {
    vi.spyOn(HTMLMediaElement.prototype, 'readyState', 'get').mockReturnValue(4);
    vi.spyOn(HTMLMediaElement.prototype, 'play').mockResolvedValue(undefined);
  });
  afterEach(() => vi.restoreAllMocks());

  it('a turn clicked seeks the audio to its offset, plays it and is highlighted; the highlight follows the audio', async () => {
    render(
      <PlaybackProvider enabled>
        <Audio />
        <CallTranscript turns={turns} />
      </PlaybackProvider>,
    );
    const audio = screen.getByTestId<HTMLAudioElement>('audio');
    const items = within(screen.getByRole('list', { name: 'Transcript' })).getAllByRole('listitem');

    await userEvent.click(screen.getByRole('button', { name: 'Play from 0:05' }));

    expect(audio.currentTime).toBeCloseTo(5.6);
    expect(HTMLMediaElement.prototype.play).toHaveBeenCalled();
    expect(items[2]).toHaveAttribute('aria-current', 'true');

    act(() => {
      audio.currentTime = 2.5;
      fireEvent.timeUpdate(audio);
    });
    expect(items[1]).toHaveAttribute('aria-current', 'true');
    expect(items[2]).not.toHaveAttribute('aria-current');
  });

  it('without a recording the turns are plain text', () => {
    render(
      <PlaybackProvider enabled={false}>
        <CallTranscript turns={turns} />
      </PlaybackProvider>,
    );
    expect(screen.queryByRole('button', { name: /Play from/ })).not.toBeInTheDocument();
  });

  it('latency shows only on agent replies and only the figures measured', () => {
    render(<CallTranscript turns={turns} />);
    const items = within(screen.getByRole('list', { name: 'Transcript' })).getAllByRole('listitem');
    expect(within(items[1]!).queryByLabelText('Latency breakdown')).not.toBeInTheDocument();
    expect(within(items[0]!).queryByLabelText('Latency breakdown')).not.toBeInTheDocument();
    const latency = within(items[2]!).getByLabelText('Latency breakdown');
    expect(latency).toHaveTextContent('First audio 610 ms');
    expect(latency).not.toHaveTextContent('TTS first byte');
  });

  it('finds the turn playing at a position', () => {
    expect(turnAt(turns, null)).toBeUndefined();
    expect(turnAt(turns, 2099)?.sequence).toBe(1);
    expect(turnAt(turns, 9000)?.sequence).toBe(3);
  });
});
