import { useState } from 'react';
import { Button } from '@/components/ui/button';
import { Card } from '@/components/ui/card';
import { Alert } from '@/components/ui/states';
import { errorMessage } from '@/lib/api-error';
import type { AgentRef } from '@/types/api';
import { type LeadRouting, useLeadRouting, useSaveLeadRouting } from '../api/lead-routing';

const modeLabels: Record<LeadRouting['mode'], string> = {
  off: 'Off (new leads stay unassigned)',
  round_robin: 'Round-robin over active agents',
  by_area: 'By area (ZIP prefix or city)',
};

/** Admin: how new unassigned leads (calls, website forms, imports without an assignee) get an agent. */
export function LeadRoutingSection({ agents }: { agents: AgentRef[] }) {
  const current = useLeadRouting();
  return (
    <Card title="Lead routing">
      {current.data ? <LeadRoutingForm initial={current.data} agents={agents} /> : null}
    </Card>
  );
}

function LeadRoutingForm({ initial, agents }: { initial: LeadRouting; agents: AgentRef[] }) {
  const save = useSaveLeadRouting();
  const [mode, setMode] = useState(initial.mode);
  const [areas, setAreas] = useState(initial.areas);
  const setArea = (i: number, change: Partial<LeadRouting['areas'][number]>) =>
    setAreas((all) => all.map((a, j) => (j === i ? { ...a, ...change } : a)));

  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        save.mutate({ mode, areas });
      }}
    >
      <label>
        Routing{' '}
        <select value={mode} onChange={(e) => setMode(e.target.value as LeadRouting['mode'])}>
          {Object.entries(modeLabels).map(([value, label]) => (
            <option key={value} value={value}>
              {label}
            </option>
          ))}
        </select>
      </label>
      {mode === 'by_area' && (
        <ul>
          {areas.map((area, i) => (
            <li key={i}>
              <input aria-label={`Area ${i + 1}`} value={area.match} onChange={(e) => setArea(i, { match: e.target.value })} />
              <select
                aria-label={`Agent for area ${i + 1}`}
                value={area.agent_id}
                onChange={(e) => setArea(i, { agent_id: Number(e.target.value) })}
              >
                {agents.map((a) => (
                  <option key={a.id} value={a.id}>
                    {a.name}
                  </option>
                ))}
              </select>
              <Button variant="ghost" onClick={() => setAreas((all) => all.filter((_, j) => j !== i))}>
                Remove
              </Button>
            </li>
          ))}
          <li>
            <Button variant="ghost" disabled={agents.length === 0} onClick={() => setAreas((all) => [...all, { match: '', agent_id: agents[0]!.id }])}>
              Add area
            </Button>
          </li>
        </ul>
      )}
      {save.isError ? <Alert>{errorMessage(save.error)}</Alert> : null}
      {save.isSuccess ? <Alert kind="success">Lead routing saved.</Alert> : null}
      <Button type="submit" disabled={save.isPending}>
        Save routing
      </Button>
    </form>
  );
}
