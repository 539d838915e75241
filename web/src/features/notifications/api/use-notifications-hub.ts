import { HubConnectionBuilder, HubConnectionState, LogLevel } from '@microsoft/signalr';
import { useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { env } from '@/config/env';
import { getToken } from '@/lib/session-store';
import { notificationsKey } from './get-notifications';

/**
 * Listens for `notification` on /hubs/calls (each user's own group) and refetches the bell's list when one
 * arrives. A hub that cannot be reached is not an error: the list also refetches every minute.
 */
export function useNotificationsHub() {
  const queryClient = useQueryClient();
  useEffect(() => {
    let connection;
    try {
      connection = new HubConnectionBuilder()
        .withUrl(`${env.apiUrl}/hubs/calls`, { accessTokenFactory: () => getToken() ?? '' })
        .withAutomaticReconnect([0, 2000, 5000, 10000, 30000])
        .configureLogging(LogLevel.None)
        .build();
    } catch {
      return; // No URL to reach (e.g. a test document): the list's refetch is enough.
    }
    connection.on('notification', () => void queryClient.invalidateQueries({ queryKey: notificationsKey }));
    connection.start().catch(() => undefined);
    return () => {
      if (connection.state !== HubConnectionState.Disconnected) void connection.stop();
    };
  }, [queryClient]);
}
