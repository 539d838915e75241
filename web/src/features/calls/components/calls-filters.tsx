import { useState, type FormEvent } from 'react';
import { Button } from '@/components/ui/button';
import { CheckboxField, SelectField, TextField } from '@/components/ui/field';
import { humanize } from '@/lib/format';
import { callOutcomes, callSentiments, callStatuses, type AgentRef } from '@/types/api';

export type CallFilterValues = {
  q: string;
  status: string;
  direction: string;
  outcome: string;
  sentiment: string;
  agent_id: string;
  from: string;
  to: string;
  sort: string;
  include_tests: string;
};

type Props = {
  value: CallFilterValues;
  onChange: (patch: Partial<CallFilterValues>) => void;
  onClear: () => void;
  agents?: AgentRef[];
  errors?: Partial<Record<keyof CallFilterValues, string>>;
};

export function CallsFilters({ value, onChange, onClear, agents, errors = {} }: Props) {
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
  const select = (k: keyof CallFilterValues) => (e: { target: { value: string } }) => onChange({ [k]: e.target.value });
  return (
    <form className="filters" onSubmit={submit} role="search" aria-label="Filter calls">
      <TextField label="Search" type="search" placeholder="Words said, number, name…" value={q} onChange={(e) => setQ(e.target.value)} />
      <SelectField label="Status" value={value.status} placeholder="Any" onChange={select('status')} options={callStatuses.map((s) => ({ value: s, label: humanize(s) }))} />
      <SelectField label="Direction" value={value.direction} placeholder="Any" onChange={select('direction')} options={[{ value: 'inbound', label: 'Inbound' }, { value: 'outbound', label: 'Outbound' }]} />
      <SelectField label="Outcome" value={value.outcome} placeholder="Any" onChange={select('outcome')} options={callOutcomes.map((s) => ({ value: s, label: humanize(s) }))} />
      {agents ? (
        <SelectField label="Agent" value={value.agent_id} placeholder="Anyone" onChange={select('agent_id')} options={agents.map((a) => ({ value: String(a.id), label: a.name }))} />
      ) : null}
      <SelectField label="Sentiment" value={value.sentiment} placeholder="Any" onChange={select('sentiment')} options={callSentiments.map((s) => ({ value: s, label: humanize(s) }))} />
      <TextField label="From" type="date" value={value.from} max={value.to || undefined} onChange={select('from')} error={errors.from} />
      <TextField label="To" type="date" value={value.to} min={value.from || undefined} onChange={select('to')} error={errors.to} />
      <CheckboxField
        label="Show test calls"
        checked={value.include_tests === 'true'}
        onChange={(e) => onChange({ include_tests: e.target.checked ? 'true' : '' })}
      />
      <div className="form-actions">
        <Button type="submit">Apply</Button>
        <Button variant="ghost" onClick={onClear}>
          Clear
        </Button>
      </div>
    </form>
  );
}
