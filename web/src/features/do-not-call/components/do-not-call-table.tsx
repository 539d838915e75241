import { Link } from 'react-router';
import { Button } from '@/components/ui/button';
import { Alert } from '@/components/ui/states';
import { paths } from '@/config/paths';
import { errorMessage } from '@/lib/api-error';
import { formatDateTime, humanize } from '@/lib/format';
import { useRemoveDoNotCall, type DoNotCallEntry } from '../api/do-not-call';
import { TableWrap } from '@/components/ui/table-wrap';

export function DoNotCallTable({ entries }: { entries: DoNotCallEntry[] }) {
  const remove = useRemoveDoNotCall();
  const confirmRemove = (e: DoNotCallEntry) => {
    if (window.confirm(`Remove ${e.phone} from the do-not-call list? Campaigns and the agent may call it again.`)) remove.mutate(e.id);
  };
  return (
    <TableWrap label="Do-not-call numbers">
      {remove.isError ? <Alert>{errorMessage(remove.error)}</Alert> : null}
      <table aria-label="Do-not-call numbers">
        <thead>
          <tr>
            <th>Number</th>
            <th>Source</th>
            <th>Reason</th>
            <th>Added by</th>
            <th>Added</th>
            <th>
              <span className="sr-only">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {entries.map((e) => (
            <tr key={e.id}>
              <td>{e.phone}</td>
              <td>{humanize(e.source)}</td>
              <td className="summary-cell">{e.reason ?? ''}</td>
              <td>{e.added_by ?? (e.lead_id != null ? <Link to={paths.lead(e.lead_id)}>Lead #{e.lead_id}</Link> : '—')}</td>
              <td>{formatDateTime(e.added_at)}</td>
              <td>
                <Button variant="secondary" busy={remove.isPending && remove.variables === e.id} onClick={() => confirmRemove(e)} aria-label={`Remove ${e.phone}`}>
                  Remove
                </Button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableWrap>
  );
}
