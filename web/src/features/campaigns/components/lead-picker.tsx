import { useQueries } from '@tanstack/react-query';
import { useState } from 'react';
import { Button } from '@/components/ui/button';
import { TextField } from '@/components/ui/field';
import { leadQueryOptions } from '@/features/leads/api/get-lead';
import { useLeads } from '@/features/leads/api/get-leads';

/** Names fetched one lead at a time: a bound, so a campaign of hundreds does not open hundreds of requests. */
const maxNameLookups = 50;

/** Chooses leads one by one from the leads list (searched by name or phone); the chosen ones are listed to remove. */
export function LeadPicker({ value, onChange, error }: { value: number[]; onChange: (ids: number[]) => void; error?: string }) {
  const [q, setQ] = useState('');
  const [names, setNames] = useState<Record<number, string>>({});
  const leads = useLeads({ q: q.trim() || undefined, page_size: 10 });
  // A saved campaign comes back as ids only: look up the names of chosen leads not picked in this visit.
  const unknown = value.filter((id) => names[id] === undefined).slice(0, maxNameLookups);
  const looked = useQueries({ queries: unknown.map((id) => ({ ...leadQueryOptions(id), staleTime: 60_000 })) });
  const nameOf = (id: number) => names[id] ?? looked.find((r) => r.data?.id === id)?.data?.name;
  const add = (id: number, name: string) => {
    setNames((n) => ({ ...n, [id]: name }));
    if (!value.includes(id)) onChange([...value, id]);
  };
  return (
    <div className="field">
      <TextField label="Find leads" type="search" value={q} onChange={(e) => setQ(e.target.value)} hint="Name or phone" error={error} />
      {leads.data ? (
        <ul className="list-plain" aria-label="Leads found">
          {leads.data.items.map((l) => (
            <li key={l.id}>
              <Button variant="ghost" disabled={value.includes(l.id)} onClick={() => add(l.id, l.name)} aria-label={`Add ${l.name}`}>
                + {l.name} <span className="muted">{l.phone ?? ''}</span>
              </Button>
            </li>
          ))}
        </ul>
      ) : null}
      <p className="subheading">{value.length === 1 ? '1 lead chosen' : `${value.length} leads chosen`}</p>
      <ul className="tags" aria-label="Chosen leads">
        {value.map((id) => (
          <li key={id}>
            <Button variant="secondary" onClick={() => onChange(value.filter((x) => x !== id))} aria-label={`Remove ${nameOf(id) ?? `lead #${id}`}`}>
              {nameOf(id) ?? `Lead #${id}`} ×
            </Button>
          </li>
        ))}
      </ul>
    </div>
  );
}
