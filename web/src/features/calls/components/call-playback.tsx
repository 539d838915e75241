import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';

/**
 * Ties the call's recording to its transcript: a turn clicked seeks the audio to the turn's offset and plays it, and
 * the transcript follows the audio (the turn being played is highlighted). Turn offsets and the recording both count
 * from the start of the call.
 */
type Playback = {
  /** The recording has been asked for (the player loads it only then). */
  requested: boolean;
  request: () => void;
  /** Where the audio is, in ms from the call's start; null before it plays. */
  positionMs: number | null;
  /** Seeks to the offset and plays, loading the recording first if needed. */
  playFrom: (ms: number) => void;
  /** The player hands its audio element over (null when it goes). */
  attach: (audio: HTMLAudioElement | null) => void;
};

const PlaybackContext = createContext<Playback | null>(null);

export const usePlayback = () => useContext(PlaybackContext);

/** `enabled` false (a call without a recording): nothing to play, the transcript is plain text. */
export function PlaybackProvider({ enabled, children }: { enabled: boolean; children: ReactNode }) {
  const [requested, setRequested] = useState(false);
  const [positionMs, setPositionMs] = useState<number | null>(null);
  const [audio, setAudio] = useState<HTMLAudioElement | null>(null);
  // A seek asked for before the audio could take it (still loading): done once its metadata is in.
  const pendingSeek = useRef<number | null>(null);

  const seek = useCallback((element: HTMLAudioElement, ms: number) => {
    element.currentTime = ms / 1000;
    setPositionMs(ms);
    void element.play()?.catch(() => undefined);
  }, []);

  useEffect(() => {
    if (!audio) return;
    const onTime = () => setPositionMs(Math.round(audio.currentTime * 1000));
    const onReady = () => {
      if (pendingSeek.current == null) return;
      const ms = pendingSeek.current;
      pendingSeek.current = null;
      seek(audio, ms);
    };
    audio.addEventListener('timeupdate', onTime);
    audio.addEventListener('seeked', onTime);
    audio.addEventListener('loadedmetadata', onReady);
    if (audio.readyState >= 1) onReady();
    return () => {
      audio.removeEventListener('timeupdate', onTime);
      audio.removeEventListener('seeked', onTime);
      audio.removeEventListener('loadedmetadata', onReady);
    };
  }, [audio, seek]);

  const playFrom = useCallback(
    (ms: number) => {
      setRequested(true);
      if (audio && audio.readyState >= 1) seek(audio, ms);
      else {
        pendingSeek.current = ms;
        setPositionMs(ms);
      }
    },
    [audio, seek],
  );

  const value = useMemo<Playback>(
    () => ({ requested, request: () => setRequested(true), positionMs, playFrom, attach: setAudio }),
    [requested, positionMs, playFrom],
  );
  return <PlaybackContext.Provider value={enabled ? value : null}>{children}</PlaybackContext.Provider>;
}

type TimedTurn = { sequence: number; start_ms?: number | null };

/** The turn playing at `ms`: the last one that started at or before it. */
export function turnAt<T extends TimedTurn>(turns: T[], ms: number | null): T | undefined {
  if (ms == null) return undefined;
  let found: T | undefined;
  for (const t of turns) {
    if (t.start_ms != null && t.start_ms <= ms) found = t;
  }
  return found;
}
