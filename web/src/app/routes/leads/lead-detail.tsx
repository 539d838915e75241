import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { Button } from '@/components/ui/button';
import { Card, PageHeader } from '@/components/ui/card';
import { EmptyState, ErrorState, LoadingState } from '@/components/ui/states';
import { paths } from '@/config/paths';
import { useCalls } from '@/features/calls/api/get-calls';
import { CallsTable } from '@/features/calls/components/calls-table';
import { OutboundCallButton } from '@/features/calls/components/outbound-call-button';
import { useLead } from '@/features/leads/api/get-lead';
import { AssignLead } from '@/features/leads/components/assign-lead';
import { LeadForm } from '@/features/leads/components/lead-form';
import { LeadNotes } from '@/features/leads/components/lead-notes';
import { LeadProfile } from '@/features/leads/components/lead-profile';
import { LeadTimeline } from '@/features/leads/components/lead-timeline';
import { useProperties } from '@/features/properties/api/get-properties';
import { useShowings } from '@/features/showings/api/get-showings';
import { ShowingForm } from '@/features/showings/components/showing-form';
import { ShowingsTable } from '@/features/showings/components/showings-table';
import { LeadTasks } from '@/features/tasks/components/lead-tasks';
import { useAgents } from '@/features/users/api/get-agents';
import { can } from '@/lib/authorization';
import { useSession } from '@/lib/session-store';
import { useDocumentTitle } from '@/lib/use-document-title';

export default function LeadDetailPage() {
  const { id } = useParams();
  const user = useSession((s) => s.user);
  const isManager = can.assignLeads(user);
  const [editing, setEditing] = useState(false);
  const lead = useLead(id);
  useDocumentTitle(lead.data?.name ?? 'Lead');
  const agents = useAgents(isManager);
  const calls = useCalls({ lead_id: id, page_size: 20 });
  const showings = useShowings({ lead_id: id });
  const properties = useProperties({ status: 'active', page_size: 100, sort: 'address' });

  if (lead.isPending) return <LoadingState label="Loading lead…" />;
  if (lead.isError) return <ErrorState error={lead.error} onRetry={() => lead.refetch()} />;
  const l = lead.data;
  const blocked = l.do_not_call
    ? 'This lead is on the do-not-call list'
    : !l.phone
      ? 'No phone number'
      : !l.consent_to_call
        ? 'The lead has not consented to be called'
        : null;

  return (
    <>
      <PageHeader
        title={l.name}
        actions={
          <>
            <Link className="btn btn-secondary" to={paths.leads}>
              All leads
            </Link>
            <OutboundCallButton leadId={l.id} leadName={l.name} phone={l.phone ?? ""} blockedReason={blocked} />
            {editing ? null : <Button onClick={() => setEditing(true)}>Edit</Button>}
          </>
        }
      />
      <div className="grid grid-2">
        <div>
          {editing ? (
            <Card title="Edit lead">
              <LeadForm lead={l} onDone={() => setEditing(false)} />
            </Card>
          ) : (
            <LeadProfile lead={l} />
          )}
          {isManager ? (
            <Card title="Assignment">
              {agents.isError ? <ErrorState error={agents.error} /> : <AssignLead lead={l} agents={agents.data ?? []} />}
            </Card>
          ) : null}
          <Card title="Tasks">
            <LeadTasks leadId={l.id} />
          </Card>
          <Card title="Notes">
            <LeadNotes leadId={l.id} />
          </Card>
        </div>
        <div>
          <Card title="Timeline">
            <LeadTimeline leadId={l.id} />
          </Card>
          <Card title="Call history">
            {calls.isPending ? (
              <LoadingState />
            ) : calls.isError ? (
              <ErrorState error={calls.error} onRetry={() => calls.refetch()} />
            ) : calls.data.items.length === 0 ? (
              <EmptyState title="No calls with this lead yet" />
            ) : (
              <CallsTable items={calls.data.items} compact />
            )}
          </Card>
          <Card title="Showings">
            {showings.isPending ? (
              <LoadingState />
            ) : showings.isError ? (
              <ErrorState error={showings.error} onRetry={() => showings.refetch()} />
            ) : showings.data.items.length === 0 ? (
              <EmptyState title="No showings booked" />
            ) : (
              <ShowingsTable items={showings.data.items} showLead={false} />
            )}
            <h3 className="subheading">Book a showing</h3>
            <ShowingForm
              leadId={l.id}
              agentId={l.assigned_agent_id}
              properties={(properties.data?.items ?? []).map((p) => ({ id: p.id, label: `${p.address}, ${p.city}` }))}
            />
          </Card>
        </div>
      </div>
    </>
  );
}
