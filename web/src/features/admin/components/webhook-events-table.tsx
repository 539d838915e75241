import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { Alert } from '@/components/ui/states';
import { errorMessage } from '@/lib/api-error';
import { formatDateTime } from '@/lib/format';
import { useRetryWebhookEvent } from '../api/retry-webhook-event';
import type { WebhookEvent } from '../api/get-webhook-events';
import { TableWrap } from '@/components/ui/table-wrap';

const eventTime = (t: WebhookEvent['event_timestamp']) =>
  t == null ? '—' : typeof t === 'number' ? formatDateTime(new Date(t * 1000).toISOString()) : formatDateTime(t);

export function WebhookEventsTable({ events }: { events: WebhookEvent[] }) {
  const retry = useRetryWebhookEvent();
  return (
    <TableWrap label="ElevenLabs webhook events">
      {retry.isError ? <Alert>{errorMessage(retry.error)}</Alert> : null}
      <table>
        <thead>
          <tr>
            <th>Received</th>
            <th>Type</th>
            <th>Call SID</th>
            <th>Event time</th>
            <th>State</th>
            <th className="num">Attempts</th>
            <th>Last error</th>
            <th>
              <span className="sr-only">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {events.map((e) => (
            <tr key={e.id}>
              <td>{formatDateTime(e.received_at)}</td>
              <td>
                <code>{e.event_type}</code>
              </td>
              <td>
                <code>{e.call_sid ?? '—'}</code>
              </td>
              <td>{eventTime(e.event_timestamp)}</td>
              <td>
                <Badge value={e.processing_state} />
              </td>
              <td className="num">{e.attempts}</td>
              <td className="summary-cell">{e.last_error ?? ''}</td>
              <td>
                {e.processing_state === 'failed' || e.processing_state === 'pending' ? (
                  <Button variant="secondary" busy={retry.isPending && retry.variables === e.id} onClick={() => retry.mutate(e.id)} aria-label={`Retry event ${e.id}`}>
                    Retry
                  </Button>
                ) : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableWrap>
  );
}
