import { Link } from 'react-router';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { Alert } from '@/components/ui/states';
import { paths } from '@/config/paths';
import { errorMessage } from '@/lib/api-error';
import { formatDateTime } from '@/lib/format';
import { useRedeliverWebhook } from '../api/redeliver-webhook';
import type { WebhookDelivery } from '../api/get-webhook-deliveries';
import { TableWrap } from '@/components/ui/table-wrap';

const statusTone: Record<string, string> = { delivered: 'processed', pending: 'pending', failed: 'failed' };

export function WebhookDeliveriesTable({ deliveries }: { deliveries: WebhookDelivery[] }) {
  const redeliver = useRedeliverWebhook();
  return (
    <TableWrap label="Webhook deliveries">
      {redeliver.isError ? <Alert>{errorMessage(redeliver.error)}</Alert> : null}
      <table>
        <thead>
          <tr>
            <th>Created</th>
            <th>Event</th>
            <th>Call</th>
            <th>URL</th>
            <th>Status</th>
            <th className="num">Response</th>
            <th className="num">Attempts</th>
            <th>Last attempt</th>
            <th>Last error</th>
            <th>
              <span className="sr-only">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {deliveries.map((d) => (
            <tr key={d.id}>
              <td>{formatDateTime(d.created_at)}</td>
              <td>
                <code>{d.event_type}</code>
              </td>
              <td>{d.call_id != null ? <Link to={paths.call(d.call_id)}>#{d.call_id}</Link> : '—'}</td>
              <td className="summary-cell">
                <code>{d.url}</code>
              </td>
              <td>
                <Badge value={statusTone[d.status] ?? d.status} label={d.status === 'pending' && d.next_attempt_at ? `Retry ${formatDateTime(d.next_attempt_at)}` : statusLabel(d.status)} />
              </td>
              <td className="num">{d.last_response_code ?? '—'}</td>
              <td className="num">{d.attempts}</td>
              <td>{d.last_attempt_at ? formatDateTime(d.last_attempt_at) : '—'}</td>
              <td className="summary-cell">{d.last_error ?? ''}</td>
              <td>
                {d.status !== 'pending' ? (
                  <Button variant="secondary" busy={redeliver.isPending && redeliver.variables === d.id} onClick={() => redeliver.mutate(d.id)} aria-label={`Redeliver delivery ${d.id}`}>
                    Redeliver
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

const statusLabel = (status: string) => (status === 'delivered' ? 'Delivered' : status === 'failed' ? 'Failed' : 'Pending');
