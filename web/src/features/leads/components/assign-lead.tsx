import { useState, type FormEvent } from 'react';
import { Button } from '@/components/ui/button';
import { SelectField } from '@/components/ui/field';
import { Alert } from '@/components/ui/states';
import { errorMessage } from '@/lib/api-error';
import type { AgentRef, Lead } from '@/types/api';
import { useAssignLead } from '../api/assign-lead';

export function AssignLead({ lead, agents }: { lead: Lead; agents: AgentRef[] }) {
  const [agentId, setAgentId] = useState(lead.assigned_agent_id ? String(lead.assigned_agent_id) : '');
  const assign = useAssignLead(lead.id);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (agentId) assign.mutate(Number(agentId));
  };
  return (
    <form className="form" onSubmit={submit} aria-label="Assign lead">
      {assign.isError ? <Alert>{errorMessage(assign.error)}</Alert> : null}
      {assign.isSuccess ? <Alert kind="success">Lead assigned.</Alert> : null}
      <SelectField
        label="Assigned agent"
        name="agent_id"
        value={agentId}
        placeholder="Choose an agent"
        options={agents.map((a) => ({ value: String(a.id), label: a.name }))}
        onChange={(e) => setAgentId(e.target.value)}
      />
      <div className="form-actions">
        <Button type="submit" busy={assign.isPending} disabled={!agentId || agentId === String(lead.assigned_agent_id ?? '')}>
          Assign
        </Button>
      </div>
    </form>
  );
}
