import { useNavigate } from 'react-router';
import { Card, PageHeader } from '@/components/ui/card';
import { paths } from '@/config/paths';
import { NewLeadForm } from '@/features/leads/components/new-lead-form';
import { useAgents } from '@/features/users/api/get-agents';
import { can } from '@/lib/authorization';
import { useSession } from '@/lib/session-store';
import { useDocumentTitle } from '@/lib/use-document-title';

export default function NewLeadPage() {
  useDocumentTitle('New lead');
  const user = useSession((s) => s.user);
  const isManager = can.assignLeads(user);
  const agents = useAgents(isManager);
  const navigate = useNavigate();
  return (
    <>
      <PageHeader title="New lead" />
      <Card>
        <NewLeadForm
          agents={isManager ? (agents.data ?? []) : undefined}
          onCreated={(lead) => navigate(paths.lead(lead.id))}
          onCancel={() => navigate(paths.leads)}
        />
      </Card>
    </>
  );
}
