import { FormErrorSummary } from '@/components/ui/form-error-summary';
import { useState, type FormEvent } from 'react';
import { Button } from '@/components/ui/button';
import { SelectField, TextAreaField, TextField } from '@/components/ui/field';
import { formErrors, useChangedSinceSubmit, zodFieldErrors, type ClientErrors } from '@/lib/form-errors';
import { humanize } from '@/lib/format';
import { propertyStatuses, propertyTypes, type Property } from '@/types/api';
import { propertyFormSchema, useSaveProperty, type PropertyFormValues } from '../api/save-property';

const fields = [
  'address', 'city', 'state', 'zip', 'price', 'bedrooms', 'bathrooms', 'square_feet', 'property_type', 'status',
  'description', 'features',
] as const;

const toForm = (p?: Property): PropertyFormValues => ({
  address: p?.address ?? '',
  city: p?.city ?? '',
  state: p?.state ?? '',
  zip: p?.zip ?? '',
  price: p?.price != null ? String(p.price) : '',
  bedrooms: p?.bedrooms != null ? String(p.bedrooms) : '',
  bathrooms: p?.bathrooms != null ? String(p.bathrooms) : '',
  square_feet: p?.square_feet != null ? String(p.square_feet) : '',
  property_type: (propertyTypes as readonly string[]).includes(p?.property_type ?? '')
    ? (p!.property_type as PropertyFormValues['property_type'])
    : 'house',
  status: (propertyStatuses as readonly string[]).includes(p?.status ?? '')
    ? (p!.status as PropertyFormValues['status'])
    : 'active',
  description: p?.description ?? '',
  features: (p?.features ?? []).join(', '),
});

type Props = { property?: Property; onSaved: (saved: Property) => void; onCancel: () => void };

export function PropertyForm({ property, onSaved, onCancel }: Props) {
  const [values, setValues] = useState<PropertyFormValues>(() => toForm(property));
  const [clientErrors, setClientErrors] = useState<ClientErrors>({});
  const save = useSaveProperty(property?.id);
  const { changed, markChanged, resetChanged } = useChangedSinceSubmit();

  const set = (k: keyof PropertyFormValues) => (e: { target: { value: string } }) => {
    setValues((v) => ({ ...v, [k]: e.target.value }));
    markChanged(k);
  };

  const submit = (e: FormEvent) => {
    e.preventDefault();
    resetChanged();
    const parsed = propertyFormSchema.safeParse(values);
    if (!parsed.success) {
      setClientErrors(zodFieldErrors(parsed.error));
      return;
    }
    setClientErrors({});
    save.mutate(parsed.data, { onSuccess: (saved) => onSaved(saved) });
  };

  const { fieldError, other, summary } = formErrors(clientErrors, save.error, fields, changed);
  return (
    <form className="form" onSubmit={submit} noValidate aria-label={property ? 'Edit property' : 'New property'}>
      <FormErrorSummary title="Could not save the property." summary={summary} other={other} />
      <div className="form-grid">
        <TextField label="Address" name="address" value={values.address} onChange={set('address')} error={fieldError('address')} />
        <TextField label="City" name="city" value={values.city} onChange={set('city')} error={fieldError('city')} />
        <TextField label="State" name="state" value={values.state} onChange={set('state')} error={fieldError('state')} />
        <TextField label="ZIP" name="zip" value={values.zip} onChange={set('zip')} error={fieldError('zip')} />
        <TextField label="Price (USD)" name="price" type="number" inputMode="numeric" value={values.price} onChange={set('price')} error={fieldError('price')} />
        <TextField label="Bedrooms" name="bedrooms" type="number" value={values.bedrooms} onChange={set('bedrooms')} error={fieldError('bedrooms')} />
        <TextField label="Bathrooms" name="bathrooms" type="number" step="0.5" value={values.bathrooms} onChange={set('bathrooms')} error={fieldError('bathrooms')} />
        <TextField label="Square feet" name="square_feet" type="number" value={values.square_feet} onChange={set('square_feet')} error={fieldError('square_feet')} />
        <SelectField
          label="Type"
          name="property_type"
          value={values.property_type}
          onChange={set('property_type')}
          options={propertyTypes.map((t) => ({ value: t, label: humanize(t) }))}
          error={fieldError('property_type')}
        />
        <SelectField
          label="Status"
          name="status"
          value={values.status}
          onChange={set('status')}
          options={propertyStatuses.map((s) => ({ value: s, label: humanize(s) }))}
          error={fieldError('status')}
        />
      </div>
      <TextField
        label="Features"
        name="features"
        hint="Separate with commas, e.g. pool, garage, garden"
        value={values.features}
        onChange={set('features')}
        error={fieldError('features')}
      />
      <TextAreaField label="Description" name="description" value={values.description} onChange={set('description')} error={fieldError('description')} />
      <div className="form-actions">
        <Button type="submit" busy={save.isPending}>
          {property ? 'Save changes' : 'Create property'}
        </Button>
        <Button variant="secondary" onClick={onCancel}>
          Cancel
        </Button>
      </div>
    </form>
  );
}
