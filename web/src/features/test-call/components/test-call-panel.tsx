import { useEffect, useRef, useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import { Button } from '@/components/ui/button';
import { Card } from '@/components/ui/card';
import { TextField } from '@/components/ui/field';
import { Alert, EmptyState } from '@/components/ui/states';
import { paths } from '@/config/paths';
import { getToken } from '@/lib/session-store';
import { engineName, useVoiceEngines } from '../api/get-voice-engines';
import { BrowserCall, type TranscriptLine } from '../lib/browser-call';

type Status = 'idle' | 'connecting' | 'live' | 'ended' | 'failed';

export function TestCallPanel() {
  const call = useRef<BrowserCall | null>(null);
  const [status, setStatus] = useState<Status>('idle');
  const [detail, setDetail] = useState<string | null>(null);
  const [mic, setMic] = useState<'on' | 'off' | 'unavailable'>('off');
  const [micDetail, setMicDetail] = useState<string | null>(null);
  const [level, setLevel] = useState(0);
  const [lines, setLines] = useState<TranscriptLine[]>([]);
  const [text, setText] = useState('');
  const [callId, setCallId] = useState<number | null>(null);
  const engines = useVoiceEngines();

  useEffect(() => () => call.current?.hangUp(), []);

  const start = (withMicrophone: boolean) => {
    const token = getToken();
    if (!token) return;
    setLines([]);
    setDetail(null);
    setCallId(null);
    const c = new BrowserCall({
      onStatus: (s, d) => {
        setStatus(s);
        setDetail(d ?? null);
      },
      onTranscript: (line) =>
        setLines((prev) => {
          const i = prev.findIndex((l) => l.key === line.key);
          if (i < 0) return [...prev, line];
          const next = [...prev];
          next[i] = line;
          return next;
        }),
      onLevel: setLevel,
      onCall: setCallId,
      onMicrophone: (state, d) => {
        setMic(state);
        setMicDetail(d ?? null);
      },
    });
    call.current = c;
    c.start(token, withMicrophone);
  };

  const hangUp = () => {
    call.current?.hangUp();
    call.current = null;
    setStatus('ended');
    setMic('off');
    setLevel(0);
  };

  const send = (e: FormEvent) => {
    e.preventDefault();
    const t = text.trim();
    if (!t || !call.current) return;
    // The server echoes the typed words as the caller's transcript line: that line is the one shown (adding it
    // here as well showed every typed message twice).
    call.current.sendText(t);
    setText('');
  };

  const live = status === 'live';
  return (
    <div className="grid grid-2">
      <Card title="Call the agent">
        <p className="muted">
          Talk to your voice agent from this browser. It runs the same pipeline as a phone call, so what you hear is
          what callers hear. No microphone? Type instead.
        </p>
        {detail && status === 'failed' ? <Alert>{detail}</Alert> : null}
        {micDetail && mic === 'unavailable' ? (
          <Alert kind="info">Microphone unavailable: {micDetail} You can still type your side of the call.</Alert>
        ) : null}
        {engines.data ? (
          <p className="muted" data-testid="voice-engines">
            Speech recognition: {engineName(engines.data.speech_to_text)} · Voice: {engineName(engines.data.text_to_speech)} · Agent:{' '}
            {engineName(engines.data.agent)}
          </p>
        ) : null}
        <p role="status" data-testid="call-status">
          Status: <strong>{{ idle: 'Not connected', connecting: 'Connecting…', live: 'Connected', ended: 'Call ended', failed: 'Call failed' }[status]}</strong>
          {status === 'ended' && callId != null ? (
            <>
              {' '}
              <Link to={paths.call(callId)}>View the call</Link>
            </>
          ) : null}
        </p>
        <div className="form-actions">
          {live || status === 'connecting' ? (
            <>
              <Button variant="danger" onClick={hangUp}>
                Hang up
              </Button>
              {mic === 'on' ? (
                <Button variant="secondary" onClick={() => void call.current?.disableMicrophone()}>
                  Mute microphone
                </Button>
              ) : (
                <Button variant="secondary" disabled={!live} onClick={() => void call.current?.enableMicrophone()}>
                  Use microphone
                </Button>
              )}
            </>
          ) : (
            <>
              <Button onClick={() => start(true)}>Start call</Button>
              <Button variant="secondary" onClick={() => start(false)}>
                Start without microphone
              </Button>
            </>
          )}
        </div>
        {mic === 'on' && live ? (
          <div className="field">
            <span className="muted">Microphone level</span>
            <div className="level-meter" role="meter" aria-label="Microphone level" aria-valuemin={0} aria-valuemax={100} aria-valuenow={Math.round(level * 100)}>
              <span style={{ width: `${Math.min(100, Math.round(level * 140))}%` }} />
            </div>
          </div>
        ) : null}
        <form className="form" onSubmit={send} aria-label="Type to the agent">
          <TextField label="Type a message" value={text} disabled={!live} onChange={(e) => setText(e.target.value)} placeholder="e.g. I'm looking for a 3 bedroom house in Austin" />
          <div className="form-actions">
            <Button type="submit" disabled={!live || !text.trim()}>
              Send
            </Button>
          </div>
        </form>
      </Card>
      <Card title="Conversation">
        {lines.length === 0 ? (
          <EmptyState title={live ? 'The agent will greet you in a moment…' : 'Start a call to see the conversation'} />
        ) : (
          <ol className="transcript" aria-label="Conversation" aria-live="polite" data-testid="test-call-transcript">
            {lines.map((l) => (
              <li key={l.key} className={`turn turn-${l.speaker} ${l.isFinal ? '' : 'turn-partial'}`}>
                <div className="turn-meta">
                  <strong>{l.speaker === 'agent' ? 'Agent' : 'You'}</strong>
                </div>
                {l.text}
              </li>
            ))}
          </ol>
        )}
      </Card>
    </div>
  );
}
