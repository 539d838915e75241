import { useState } from 'react';
import { useSearchParams } from 'react-router';
import { Button } from '@/components/ui/button';
import { Card, PageHeader } from '@/components/ui/card';
import { SelectField } from '@/components/ui/field';
import { EmptyState, ErrorState, LoadingState } from '@/components/ui/states';
import { useAgentCalendar, useWorkingHours } from '@/features/showings/api/agent-calendar';
import { AgentWeek } from '@/features/showings/components/agent-week';
import { RescheduleDialog } from '@/features/showings/components/reschedule-dialog';
import { WorkingHoursForm } from '@/features/showings/components/working-hours-form';
import { useAgents } from '@/features/users/api/get-agents';
import { can } from '@/lib/authorization';
import { addDays, startOfWeek, toDateInput } from '@/lib/dates';
import { useSession } from '@/lib/session-store';
import { useDocumentTitle } from '@/lib/use-document-title';
import type { Showing } from '@/types/api';

/** An agent's week (showings per day) and working hours. Managers and Admins pick any agent; an Agent sees their own. */
export default function AgentCalendarPage() {
  useDocumentTitle('Calendar');
  const user = useSession((s) => s.user);
  const picksAgent = can.assignLeads(user);
  const agents = useAgents(picksAgent);
  const [params, setParams] = useSearchParams();
  const [moving, setMoving] = useState<Showing | null>(null);

  const chosen = Number(params.get('agent')) || undefined;
  const agentId = picksAgent ? (chosen ?? agents.data?.[0]?.id) : user?.id;
  const weekParam = params.get('week');
  const weekStart = startOfWeek(weekParam ? new Date(`${weekParam}T00:00:00`) : new Date());
  const from = weekStart.toISOString();
  const to = addDays(weekStart, 7).toISOString();
  const calendar = useAgentCalendar(agentId, from, to);
  const hours = useWorkingHours(agentId);

  const set = (patch: Record<string, string | undefined>) =>
    setParams((p) => {
      const next = new URLSearchParams(p);
      for (const [k, v] of Object.entries(patch)) if (v) next.set(k, v); else next.delete(k);
      return next;
    });
  const goWeek = (d: Date | undefined) => set({ week: d ? toDateInput(startOfWeek(d)) : undefined });

  return (
    <>
      <PageHeader title="Calendar" />
      <Card>
        <div className="filters week-nav">
          {picksAgent ? (
            <SelectField
              label="Agent"
              value={agentId ? String(agentId) : ''}
              placeholder={agents.isPending ? 'Loading…' : 'Choose…'}
              options={(agents.data ?? []).map((a) => ({ value: String(a.id), label: a.name }))}
              onChange={(e) => set({ agent: e.target.value })}
            />
          ) : null}
          <Button variant="ghost" onClick={() => goWeek(addDays(weekStart, -7))}>
            Previous week
          </Button>
          <Button variant="ghost" onClick={() => goWeek(undefined)}>
            Today
          </Button>
          <Button variant="ghost" onClick={() => goWeek(addDays(weekStart, 7))}>
            Next week
          </Button>
          <strong>Week of {weekStart.toLocaleDateString(undefined, { day: 'numeric', month: 'long', year: 'numeric' })}</strong>
        </div>
        {agentId === undefined ? (
          agents.isError ? <ErrorState error={agents.error} onRetry={() => agents.refetch()} /> : <EmptyState title="Choose an agent" />
        ) : calendar.isPending ? (
          <LoadingState label="Loading the calendar…" />
        ) : calendar.isError ? (
          <ErrorState error={calendar.error} onRetry={() => calendar.refetch()} />
        ) : (
          <AgentWeek calendar={calendar.data} weekStart={weekStart} onReschedule={setMoving} />
        )}
      </Card>
      {agentId !== undefined ? (
        <Card title="Working hours">
          {hours.isPending ? (
            <LoadingState label="Loading working hours…" />
          ) : hours.isError ? (
            <ErrorState error={hours.error} onRetry={() => hours.refetch()} />
          ) : (
            <WorkingHoursForm key={agentId} hours={hours.data} />
          )}
        </Card>
      ) : null}
      {moving ? <RescheduleDialog showing={moving} onClose={() => setMoving(null)} /> : null}
    </>
  );
}
