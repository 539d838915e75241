import { Link } from 'react-router';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { paths } from '@/config/paths';
import { errorMessage } from '@/lib/api-error';
import { formatDateTime, humanize } from '@/lib/format';
import type { Showing } from '@/types/api';
import { useCancelShowing } from '../api/cancel-showing';

export function ShowingsTable({ items, showLead = true }: { items: Showing[]; showLead?: boolean }) {
  const cancel = useCancelShowing();
  return (
    <div className="table-wrap table-cards">
      {cancel.isError ? <div className="alert alert-error">{errorMessage(cancel.error)}</div> : null}
      <table>
        <thead>
          <tr>
            <th>When</th>
            {showLead ? <th>Lead</th> : null}
            <th>Property</th>
            <th>Agent</th>
            <th>Status</th>
            <th>Booked by</th>
            <th>
              <span className="sr-only">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {items.map((s) => (
            <tr key={s.id}>
              <td className="cell-title">{formatDateTime(s.starts_at)}</td>
              {showLead ? <td data-label="Lead">{s.lead_id ? <Link to={paths.lead(s.lead_id)}>{s.lead_name ?? `Lead ${s.lead_id}`}</Link> : '—'}</td> : null}
              <td className="cell-wide">{s.property_id ? <Link to={paths.property(s.property_id)}>{s.property_address ?? `Property ${s.property_id}`}</Link> : '—'}</td>
              <td data-label="Agent">{s.agent_name ?? '—'}</td>
              <td>
                <Badge value={s.status} />
              </td>
              <td data-label="Booked by">{s.source === 'voice_agent' ? 'Voice agent' : humanize(s.source)}</td>
              <td>
                {s.status === 'scheduled' ? (
                  <Button
                    variant="ghost"
                    busy={cancel.isPending && cancel.variables === s.id}
                    onClick={() => cancel.mutate(s.id)}
                    aria-label={`Cancel showing on ${formatDateTime(s.starts_at)}`}
                  >
                    Cancel
                  </Button>
                ) : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
