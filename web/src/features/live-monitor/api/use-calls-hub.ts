import { HubConnectionBuilder, HubConnectionState, LogLevel, type HubConnection } from '@microsoft/signalr';
import { useEffect, useRef, useState } from 'react';
import { env } from '@/config/env';
import { getToken } from '@/lib/session-store';
import type { HubEvent } from '../lib/live-transcripts';

export type HubStatus = 'connecting' | 'connected' | 'reconnecting' | 'disconnected' | 'unavailable';

/**
 * Subscribes to /hubs/calls (SignalR; the token travels as `access_token` on the query string because
 * WebSockets cannot carry an Authorization header) and forwards every event to `onEvent`.
 */
export function useCallsHub(onEvent: (event: HubEvent) => void): HubStatus {
  const [status, setStatus] = useState<HubStatus>('connecting');
  const handler = useRef(onEvent);
  useEffect(() => {
    handler.current = onEvent;
  }, [onEvent]);

  useEffect(() => {
    let stopped = false;
    const connection: HubConnection = new HubConnectionBuilder()
      .withUrl(`${env.apiUrl}/hubs/calls`, { accessTokenFactory: () => getToken() ?? '' })
      .withAutomaticReconnect([0, 1000, 3000, 5000, 10000])
      .configureLogging(LogLevel.Warning)
      .build();
    for (const type of ['callUpdated', 'transcript', 'toolCall'] as const) {
      connection.on(type, (payload: unknown) => handler.current({ type, payload }));
    }
    connection.onreconnecting(() => setStatus('reconnecting'));
    connection.onreconnected(() => setStatus('connected'));
    connection.onclose(() => !stopped && setStatus('disconnected'));
    connection
      .start()
      .then(() => !stopped && setStatus('connected'))
      .catch(() => !stopped && setStatus('unavailable'));
    return () => {
      stopped = true;
      if (connection.state !== HubConnectionState.Disconnected) void connection.stop();
    };
  }, []);
  return status;
}
