import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { addDays, toDateInput } from '@/lib/dates';
import { humanize } from '@/lib/format';
import type { Showing } from '@/types/api';
import { weekdays, type AgentCalendar } from '../api/agent-calendar';

// Showings are placed and timed in the agency's zone, the one the working hours are written in.
const time = (iso: string, timeZone: string) => new Date(iso).toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit', timeZone });
const dateIn = (iso: string, timeZone: string) =>
  new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date(iso));
const dayTitle = (d: Date) => d.toLocaleDateString(undefined, { weekday: 'long', day: 'numeric', month: 'short' });

/** One week of an agent's showings, a list per day (Monday first), with the day's working hours beside its title. */
export function AgentWeek({ calendar, weekStart, onReschedule }: { calendar: AgentCalendar; weekStart: Date; onReschedule?: (s: Showing) => void }) {
  const zone = calendar.time_zone;
  return (
    <div aria-label={`Week of ${calendar.agent_name}`}>
      <p className="field-hint">Times are in {zone}.</p>
      {weekdays.map((weekday, i) => {
        const day = addDays(weekStart, i);
        const key = toDateInput(day);
        const hours = calendar.working_hours.find((h) => h.day === weekday);
        const items = calendar.showings.filter((s) => dateIn(s.starts_at, zone) === key);
        const today = key === toDateInput(new Date());
        return (
          <section key={key} className="week-day" aria-label={dayTitle(day)}>
            <h3>
              {dayTitle(day)}
              {today ? ' (today)' : ''}{' '}
              <small className="muted">{calendar.working_hours.length === 0 ? '' : hours ? `${hours.starts}–${hours.ends}` : 'Off'}</small>
            </h3>
            {items.length === 0 ? (
              <p className="muted">No showings</p>
            ) : (
              <ul>
                {items.map((s) => (
                  <li key={s.id}>
                    {time(s.starts_at, zone)}
                    {s.ends_at ? `–${time(s.ends_at, zone)}` : ''} {s.property_address ?? `Property ${s.property_id ?? ''}`}
                    {s.lead_name ? ` · ${s.lead_name}` : ''} <Badge value={s.status} />
                    {onReschedule && ['scheduled', 'confirmed', 'rescheduled'].includes(s.status) ? (
                      <Button variant="ghost" onClick={() => onReschedule(s)} aria-label={`Reschedule ${humanize(s.status)} showing at ${time(s.starts_at, zone)}`}>
                        Reschedule
                      </Button>
                    ) : null}
                  </li>
                ))}
              </ul>
            )}
          </section>
        );
      })}
    </div>
  );
}
