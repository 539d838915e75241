import { useState, type FormEvent } from 'react';
import { Button } from '@/components/ui/button';
import { CheckboxField, TextField } from '@/components/ui/field';
import { Alert } from '@/components/ui/states';
import { ApiError } from '@/lib/api-error';
import { humanize } from '@/lib/format';
import { useSetWorkingHours, weekdays, type Weekday, type WorkingDay, type WorkingHours } from '../api/agent-calendar';

type DayRow = { off: boolean; starts: string; ends: string };
type Week = Record<Weekday, DayRow>;

const toWeek = (days: WorkingDay[]): Week =>
  Object.fromEntries(
    weekdays.map((d) => {
      const set = days.find((x) => x.day === d);
      return [d, set ? { off: false, starts: set.starts, ends: set.ends } : { off: true, starts: '09:00', ends: '17:00' }];
    }),
  ) as Week;

/**
 * The agent's week: start and end per day, or off. Saving sends only the working days; the server takes the whole
 * week at once. Its field errors name days by index (`days[2].ends`), so they are mapped back to the day sent there.
 */
export function WorkingHoursForm({ hours }: { hours: WorkingHours }) {
  const [week, setWeek] = useState<Week>(() => toWeek(hours.days));
  const [clientErrors, setClientErrors] = useState<Record<string, string>>({});
  const [sent, setSent] = useState<string[]>([]);
  const save = useSetWorkingHours();
  const notSet = hours.days.length === 0;

  const update = (day: Weekday, patch: Partial<DayRow>) => setWeek((w) => ({ ...w, [day]: { ...w[day], ...patch } }));

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const errs: Record<string, string> = {};
    for (const d of weekdays) {
      const row = week[d];
      if (row.off) continue;
      if (!row.starts) errs[`${d}.starts`] = 'Enter a start time';
      if (!row.ends) errs[`${d}.ends`] = 'Enter an end time';
      else if (row.starts && row.ends <= row.starts) errs[`${d}.ends`] = 'End must be after start';
    }
    setClientErrors(errs);
    if (Object.keys(errs).length) return;
    const days = weekdays.filter((d) => !week[d].off).map((d) => ({ day: d, starts: week[d].starts, ends: week[d].ends }));
    setSent(days.map((d) => d.day));
    save.mutate({ agentId: hours.agent_id, days });
  };

  const api = save.error instanceof ApiError ? save.error : null;
  const serverError = (day: string, field: 'starts' | 'ends' | 'day') => {
    const i = sent.indexOf(day);
    return i < 0 ? undefined : api?.fieldError(`days[${i}].${field}`);
  };
  const fieldError = (day: string, field: 'starts' | 'ends') =>
    clientErrors[`${day}.${field}`] ?? serverError(day, field) ?? (field === 'ends' ? serverError(day, 'day') : undefined);

  return (
    <form className="form" onSubmit={submit} noValidate aria-label="Working hours">
      {api && !Object.keys(api.fieldErrors).length ? <Alert>{api.detail ?? api.title}</Alert> : null}
      {save.isSuccess ? <Alert kind="success">Working hours saved.</Alert> : null}
      <p className="field-hint">
        Times are in {hours.time_zone}.{notSet ? ' No hours set yet: showings can be booked at any time.' : ''}
      </p>
      {weekdays.map((d) => (
        <fieldset key={d} className="form-grid" aria-label={humanize(d)}>
          <legend>{humanize(d)}</legend>
          <CheckboxField label={`${humanize(d)} off`} checked={week[d].off} onChange={(e) => update(d, { off: e.target.checked })} />
          {week[d].off ? null : (
            <>
              <TextField label={`${humanize(d)} starts`} type="time" value={week[d].starts} onChange={(e) => update(d, { starts: e.target.value })} error={fieldError(d, 'starts')} />
              <TextField label={`${humanize(d)} ends`} type="time" value={week[d].ends} onChange={(e) => update(d, { ends: e.target.value })} error={fieldError(d, 'ends')} />
            </>
          )}
        </fieldset>
      ))}
      <div className="form-actions">
        <Button type="submit" busy={save.isPending}>
          Save working hours
        </Button>
      </div>
    </form>
  );
}
