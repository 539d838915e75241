import { useState, type FormEvent } from 'react';
import { Button } from '@/components/ui/button';
import { SelectField, TextField } from '@/components/ui/field';
import { humanize } from '@/lib/format';
import { leadIntents, leadStatuses, type AgentRef } from '@/types/api';

export type LeadFilterValues = { q: string; status: string; intent: string; assigned_agent_id: string };

type Props = {
  value: LeadFilterValues;
  onChange: (next: Partial<LeadFilterValues>) => void;
  onClear: () => void;
  /** Only Managers/Admins get an agent filter; an Agent's list is already just theirs. */
  agents?: AgentRef[];
  showStatus?: boolean;
};

export function LeadsFilters({ value, onChange, onClear, agents, showStatus = true }: Props) {
  const [q, setQ] = useState(value.q);
  const [lastQ, setLastQ] = useState(value.q);
  if (lastQ !== value.q) {
    setLastQ(value.q);
    setQ(value.q);
  }
  const submit = (e: FormEvent) => {
    e.preventDefault();
    onChange({ q });
  };
  return (
    <form className="filters" onSubmit={submit} role="search" aria-label="Filter leads">
      <TextField label="Search" type="search" placeholder="Name, phone, email…" value={q} onChange={(e) => setQ(e.target.value)} />
      {showStatus ? (
        <SelectField
          label="Status"
          value={value.status}
          placeholder="Any"
          options={leadStatuses.map((s) => ({ value: s, label: humanize(s) }))}
          onChange={(e) => onChange({ status: e.target.value })}
        />
      ) : null}
      <SelectField
        label="Intent"
        value={value.intent}
        placeholder="Any"
        options={leadIntents.map((s) => ({ value: s, label: humanize(s) }))}
        onChange={(e) => onChange({ intent: e.target.value })}
      />
      {agents ? (
        <SelectField
          label="Agent"
          value={value.assigned_agent_id}
          placeholder="Anyone"
          options={agents.map((a) => ({ value: String(a.id), label: a.name }))}
          onChange={(e) => onChange({ assigned_agent_id: e.target.value })}
        />
      ) : null}
      <div className="form-actions">
        <Button type="submit">Apply</Button>
        <Button variant="ghost" onClick={onClear}>
          Clear
        </Button>
      </div>
    </form>
  );
}
