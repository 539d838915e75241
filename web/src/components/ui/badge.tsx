import { humanize } from '@/lib/format';

const tones: Record<string, string> = {
  active: 'green', completed: 'green', won: 'green', showing_booked: 'green', processed: 'green', scheduled: 'blue',
  in_progress: 'blue', ringing: 'blue', queued: 'gray', qualified: 'blue', showing: 'blue', offer: 'purple',
  contacted: 'gray', new: 'gray', pending: 'amber', transferred: 'purple', information_provided: 'gray',
  confirmed: 'green', rescheduled: 'amber', failed: 'red', busy: 'amber', no_answer: 'amber', canceled: 'gray', lost: 'red', sold: 'purple',
  off_market: 'gray', not_interested: 'gray', do_not_call: 'red', voicemail: 'amber', abandoned: 'amber', transfer_failed: 'amber', wrong_number: 'gray',
  no_show: 'red', ignored: 'gray', admin: 'purple', manager: 'blue', agent: 'gray', inbound: 'blue', outbound: 'purple',
  positive: 'green', neutral: 'gray', negative: 'red', built_in: 'blue',
};

export function Badge({ value, label }: { value: string | null | undefined; label?: string }) {
  if (!value) return <span className="muted">—</span>;
  return <span className={`badge badge-${tones[value] ?? 'gray'}`}>{label ?? humanize(value)}</span>;
}
