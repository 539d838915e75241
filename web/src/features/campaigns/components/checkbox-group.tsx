import { useId } from 'react';
import { CheckboxField, type Option } from '@/components/ui/field';

/** A labelled set of checkboxes for a many-valued field; its error is announced like a single field's. */
export function CheckboxGroup({ legend, options, value, onChange, error, hint }: {
  legend: string;
  options: readonly Option[];
  value: string[];
  onChange: (next: string[]) => void;
  error?: string;
  hint?: string;
}) {
  const id = useId();
  const toggle = (v: string, on: boolean) => onChange(on ? [...value, v] : value.filter((x) => x !== v));
  return (
    <fieldset className={`field ${error ? 'field-invalid' : ''}`} aria-describedby={error ? `${id}-error` : undefined}>
      <legend>{legend}</legend>
      <div className="tags">
        {options.map((o) => (
          <CheckboxField key={o.value} label={o.label} checked={value.includes(o.value)} onChange={(e) => toggle(o.value, e.target.checked)} />
        ))}
      </div>
      {hint ? <p className="field-hint">{hint}</p> : null}
      {error ? (
        <p id={`${id}-error`} className="field-error" role="alert">
          {error}
        </p>
      ) : null}
    </fieldset>
  );
}
