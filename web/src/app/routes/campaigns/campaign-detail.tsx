import { Link, useParams } from 'react-router';
import { Card, DescriptionList, PageHeader } from '@/components/ui/card';
import { SelectField } from '@/components/ui/field';
import { Pagination } from '@/components/ui/pagination';
import { EmptyState, ErrorState, LoadingState } from '@/components/ui/states';
import { paths } from '@/config/paths';
import { campaignLeadStates, useCampaignLeads } from '@/features/campaigns/api/get-campaign-leads';
import { isLive, useCampaign, type Campaign } from '@/features/campaigns/api/get-campaigns';
import { CampaignActions } from '@/features/campaigns/components/campaign-actions';
import { CampaignLeadsTable } from '@/features/campaigns/components/campaign-leads-table';
import { CampaignProgress } from '@/features/campaigns/components/campaign-progress';
import { CampaignReport } from '@/features/campaigns/components/campaign-report';
import { useCampaignReport } from '@/features/campaigns/api/get-campaign-report';
import { BuiltInBadge, CampaignStateBadge } from '@/features/campaigns/components/campaign-state-badge';
import { can } from '@/lib/authorization';
import { formatDateTime, humanize } from '@/lib/format';
import { useSession } from '@/lib/session-store';
import { useUrlFilters } from '@/lib/use-url-filters';
import { useDocumentTitle } from '@/lib/use-document-title';

const leadsSummary = (c: Campaign) => {
  const f = c.leads;
  if (f.lead_ids?.length) return `${f.lead_ids.length} chosen leads`;
  const parts = [
    f.statuses?.length ? `status ${f.statuses.map(humanize).join(' or ')}` : null,
    f.intents?.length ? `intent ${f.intents.map(humanize).join(' or ')}` : null,
    f.sources?.length ? `source ${f.sources.map(humanize).join(' or ')}` : null,
    f.assigned_agent_ids?.length ? `${f.assigned_agent_ids.length} agents' leads` : null,
    f.areas?.length ? `areas ${f.areas.join(', ')}` : null,
    f.source_site ? `from ${f.source_site}` : null,
  ].filter(Boolean);
  return parts.length ? parts.join('; ') : 'All leads';
};

export default function CampaignDetailPage() {
  const { id } = useParams();
  const user = useSession((s) => s.user);
  const query = useCampaign(id);
  const report = useCampaignReport(id);
  useDocumentTitle(query.data?.name ?? 'Campaign');
  const { filters, page, pageSize, setFilters, setPage, setPageSize } = useUrlFilters(['state'] as const);
  const leads = useCampaignLeads(id, { state: filters.state, page, page_size: pageSize }, isLive(query.data?.state));
  if (query.isPending) return <LoadingState label="Loading campaign…" />;
  if (query.isError) return <ErrorState error={query.error} onRetry={() => query.refetch()} />;
  const c = query.data;
  const manager = can.manageCampaigns(user);
  return (
    <>
      <PageHeader
        title={c.name}
        actions={
          <>
            <Link className="btn btn-secondary" to={paths.campaigns}>
              All campaigns
            </Link>
            {manager && (c.state === 'draft' || c.state === 'paused') ? (
              <Link className="btn btn-secondary" to={paths.campaignEdit(c.id)}>
                Edit
              </Link>
            ) : null}
            {manager ? <CampaignActions campaign={c} /> : null}
          </>
        }
      >
        <p className="muted">
          <CampaignStateBadge state={c.state} />{' '}
          {c.built_in ? (
            <>
              <BuiltInBadge builtIn={c.built_in} />{' '}
            </>
          ) : null}
          {c.goal}
        </p>
      </PageHeader>
      <CampaignProgress progress={c.progress} />
      {report.data ? <CampaignReport report={report.data} /> : null}
      <Card title="Settings">
        <DescriptionList
          items={[
            ['Leads', leadsSummary(c)],
            ['Calling window', `${c.window_start}–${c.window_end} (${c.time_zone} unless the lead's own zone is known)`],
            ['Days', c.days.map(humanize).join(', ')],
            ['Attempts', `Up to ${c.max_attempts}, ${c.spacing_minutes} minutes apart`],
            ['Concurrent calls', String(c.max_concurrent_calls)],
            ['Caller ID', c.caller_id ?? 'Default number'],
            ['Voicemail message', c.voicemail_message ?? 'None'],
            ['Instructions', c.instructions ?? '—'],
            ['Started', c.started_at ? formatDateTime(c.started_at) : '—'],
            ['Ended', c.ended_at ? formatDateTime(c.ended_at) : '—'],
          ]}
        />
      </Card>
      <Card title="Leads">
        <div className="filters">
          <SelectField label="Lead state" value={filters.state} placeholder="Any" options={campaignLeadStates.map((s) => ({ value: s, label: humanize(s) }))} onChange={(e) => setFilters({ state: e.target.value })} />
        </div>
        {leads.isPending ? (
          <LoadingState label="Loading leads…" />
        ) : leads.isError ? (
          <ErrorState error={leads.error} onRetry={() => leads.refetch()} />
        ) : leads.data.items.length === 0 ? (
          <EmptyState title={c.state === 'draft' ? 'The leads are chosen when the campaign starts' : 'No leads in this state'} />
        ) : (
          <>
            <CampaignLeadsTable rows={leads.data.items} />
            <Pagination page={page} pageSize={pageSize} total={leads.data.total} onPageChange={setPage} onPageSizeChange={setPageSize} />
          </>
        )}
      </Card>
    </>
  );
}
