import { useCallback, useState } from 'react';
import { Link } from 'react-router';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { Alert } from '@/components/ui/states';
import { paths } from '@/config/paths';
import { errorMessage } from '@/lib/api-error';
import { formatDateTime, humanize } from '@/lib/format';
import type { Showing } from '@/types/api';
import { useCancelShowing } from '../api/cancel-showing';
import { downloadInvite, useChangeShowingStatus, useRestoreShowing } from '../api/showing-moves';
import { RescheduleDialog } from './reschedule-dialog';
import { UndoToast } from './undo-toast';

/** Statuses that still hold the slot: the showing is ahead and can be confirmed, moved or canceled. */
const active = new Set(['scheduled', 'confirmed', 'rescheduled']);

export function ShowingsTable({ items, showLead = true }: { items: Showing[]; showLead?: boolean }) {
  const cancel = useCancelShowing();
  const move = useChangeShowingStatus();
  const restore = useRestoreShowing();
  const [undoable, setUndoable] = useState<Showing | null>(null);
  const [inviteError, setInviteError] = useState<unknown>(null);
  const [moving, setMoving] = useState<Showing | null>(null);
  const dismiss = useCallback(() => setUndoable(null), []);
  const started = (s: Showing) => new Date(s.starts_at).getTime() <= Date.now();

  const confirmCancel = (s: Showing) => {
    if (!window.confirm(`Cancel the showing on ${formatDateTime(s.starts_at)}${s.lead_name ? ` with ${s.lead_name}` : ''}?`)) return;
    restore.reset();
    cancel.mutate(s.id, { onSuccess: () => setUndoable(s) });
  };
  const undo = (s: Showing) => restore.mutate(s.id, { onSettled: () => setUndoable(null) });
  const invite = (s: Showing) => {
    setInviteError(null);
    downloadInvite(s.id).catch(setInviteError);
  };
  const failure = cancel.error ?? move.error ?? restore.error ?? inviteError;

  return (
    <div className="table-wrap table-cards">
      {failure ? <Alert>{errorMessage(failure)}</Alert> : null}
      {undoable ? (
        <UndoToast message={`Showing on ${formatDateTime(undoable.starts_at)} canceled.`} busy={restore.isPending} onUndo={() => undo(undoable)} onDismiss={dismiss} />
      ) : null}
      {moving ? <RescheduleDialog showing={moving} onClose={() => setMoving(null)} /> : null}
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
              <td className="row-actions">
                {active.has(s.status) && s.status !== 'confirmed' && !started(s) ? (
                  <Button variant="ghost" busy={move.isPending && move.variables?.id === s.id} onClick={() => move.mutate({ id: s.id, status: 'confirmed' })}>
                    Confirm
                  </Button>
                ) : null}
                {active.has(s.status) && started(s) ? (
                  <>
                    <Button variant="ghost" onClick={() => move.mutate({ id: s.id, status: 'completed' })}>
                      Completed
                    </Button>
                    <Button variant="ghost" onClick={() => move.mutate({ id: s.id, status: 'no_show' })}>
                      No-show
                    </Button>
                  </>
                ) : null}
                {active.has(s.status) && !started(s) ? (
                  <Button variant="ghost" onClick={() => setMoving(s)} aria-label={`Reschedule showing on ${formatDateTime(s.starts_at)}`}>
                    Reschedule
                  </Button>
                ) : null}
                {active.has(s.status) ? (
                  <Button
                    variant="ghost"
                    busy={cancel.isPending && cancel.variables === s.id}
                    onClick={() => confirmCancel(s)}
                    aria-label={`Cancel showing on ${formatDateTime(s.starts_at)}`}
                  >
                    Cancel
                  </Button>
                ) : null}
                <Button variant="ghost" onClick={() => invite(s)} aria-label={`Download invite for the showing on ${formatDateTime(s.starts_at)}`}>
                  Invite (.ics)
                </Button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
