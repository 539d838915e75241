import { useState, type FormEvent } from 'react';
import { Button } from '@/components/ui/button';
import { SelectField, TextField } from '@/components/ui/field';
import { humanize } from '@/lib/format';
import { propertyStatuses } from '@/types/api';

export type PropertyFilterValues = {
  q: string;
  city: string;
  min_price: string;
  max_price: string;
  bedrooms: string;
  status: string;
};

type Props = {
  value: PropertyFilterValues;
  onChange: (next: PropertyFilterValues) => void;
  onClear: () => void;
  errors?: Partial<Record<keyof PropertyFilterValues, string>>;
};

/** Text inputs apply on submit (Enter) so typing does not fire a request per keystroke; selects apply at once. */
export function PropertyFilters({ value, onChange, onClear, errors = {} }: Props) {
  const [draft, setDraft] = useState(value);
  const [lastValue, setLastValue] = useState(value);
  if (lastValue !== value) {
    setLastValue(value);
    setDraft(value);
  }
  const set = (k: keyof PropertyFilterValues) => (e: { target: { value: string } }) =>
    setDraft((d) => ({ ...d, [k]: e.target.value }));
  const submit = (e: FormEvent) => {
    e.preventDefault();
    onChange(draft);
  };
  return (
    <form className="filters" onSubmit={submit} role="search" aria-label="Filter properties">
      <TextField label="Search" type="search" placeholder="Address, description…" value={draft.q} onChange={set('q')} />
      <TextField label="City" value={draft.city} onChange={set('city')} />
      <TextField label="Min price" type="number" min={0} step={1000} value={draft.min_price} onChange={set('min_price')} error={errors.min_price} />
      <TextField label="Max price" type="number" min={0} step={1000} value={draft.max_price} onChange={set('max_price')} error={errors.max_price} />
      <SelectField
        label="Bedrooms"
        value={draft.bedrooms}
        placeholder="Any"
        options={[1, 2, 3, 4, 5].map((n) => ({ value: String(n), label: `${n}+` }))}
        onChange={(e) => onChange({ ...draft, bedrooms: e.target.value })}
      />
      <SelectField
        label="Status"
        value={draft.status}
        placeholder="Any"
        options={propertyStatuses.map((s) => ({ value: s, label: humanize(s) }))}
        onChange={(e) => onChange({ ...draft, status: e.target.value })}
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
