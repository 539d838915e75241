import { useState } from 'react';
import { Link } from 'react-router';
import { Button } from '@/components/ui/button';
import { EmptyState, ErrorState, LoadingState } from '@/components/ui/states';
import { paths } from '@/config/paths';
import { formatDateTime } from '@/lib/format';
import { useLeadTimeline, type TimelineItem } from '../api/lead-timeline';

const kindLabels: Record<string, string> = {
  call: 'Call',
  campaign_attempt: 'Campaign',
  showing: 'Showing',
  note: 'Note',
  created: 'Created',
  status_change: 'Status',
  assignment: 'Assignment',
};

function Entry({ item }: { item: TimelineItem }) {
  return (
    <li className="timeline-item">
      <div className="timeline-meta">
        <span className="badge badge-gray">{kindLabels[item.kind] ?? item.kind}</span>{' '}
        <time dateTime={item.at}>{formatDateTime(item.at)}</time>
        {item.actor_name ? <span className="muted"> · {item.actor_name}</span> : null}
      </div>
      <div className="timeline-title">
        {item.call_id ? <Link to={paths.call(item.call_id)}>{item.title}</Link> : item.title}
      </div>
      {item.detail ? <p className="timeline-detail">{item.detail}</p> : null}
    </li>
  );
}

/** Everything that happened to the lead, newest first, twenty at a time. */
export function LeadTimeline({ leadId }: { leadId: number }) {
  const [page, setPage] = useState(1);
  const timeline = useLeadTimeline(leadId, page);
  if (timeline.isPending) return <LoadingState label="Loading timeline…" />;
  if (timeline.isError) return <ErrorState error={timeline.error} onRetry={() => timeline.refetch()} />;
  const { items, total, page_size } = timeline.data;
  if (total === 0) return <EmptyState title="Nothing has happened on this lead yet" />;
  return (
    <>
      <ol className="timeline" aria-label="Lead timeline">
        {items.map((item, i) => (
          <Entry key={`${item.kind}-${item.at}-${i}`} item={item} />
        ))}
      </ol>
      {total > page_size ? (
        <div className="form-actions">
          <Button variant="secondary" disabled={page === 1} onClick={() => setPage(page - 1)}>
            Newer
          </Button>
          <Button variant="secondary" disabled={page * page_size >= total} onClick={() => setPage(page + 1)}>
            Older
          </Button>
        </div>
      ) : null}
    </>
  );
}
