import { TextField } from '@/components/ui/field';
import { addDays, toDateInput } from '@/lib/dates';

export type DateRange = { from: string; to: string };

const presets: [string, number][] = [
  ['Last 7 days', 6],
  ['Last 30 days', 29],
  ['Last 90 days', 89],
];

export function DateRangePicker({ value, onChange, today = new Date(), errors = {} }: {
  value: DateRange;
  onChange: (range: DateRange) => void;
  today?: Date;
  errors?: Partial<Record<keyof DateRange, string>>;
}) {
  return (
    <div className="filters" role="group" aria-label="Date range">
      <TextField label="From" type="date" value={value.from} max={value.to} onChange={(e) => e.target.value && onChange({ ...value, from: e.target.value })} error={errors.from} />
      <TextField label="To" type="date" value={value.to} min={value.from} onChange={(e) => e.target.value && onChange({ ...value, to: e.target.value })} error={errors.to} />
      <div className="form-actions presets">
        {presets.map(([label, days]) => (
          <button
            key={label}
            type="button"
            className="btn btn-secondary"
            onClick={() => onChange({ from: toDateInput(addDays(today, -days)), to: toDateInput(today) })}
          >
            {label}
          </button>
        ))}
      </div>
    </div>
  );
}
