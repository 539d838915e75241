/** yyyy-mm-dd of a local date, for <input type="date"> values. */
export function toDateInput(d: Date): string {
  const y = d.getFullYear();
  const m = String(d.getMonth() + 1).padStart(2, '0');
  const day = String(d.getDate()).padStart(2, '0');
  return `${y}-${m}-${day}`;
}

/** yyyy-mm-ddThh:mm in local time, the value a datetime-local input takes. */
export function toDateTimeInput(iso: string): string {
  const d = new Date(iso);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

export const addDays = (d: Date, days: number) => {
  const copy = new Date(d);
  copy.setDate(copy.getDate() + days);
  return copy;
};

export const startOfDay = (d: Date) => new Date(d.getFullYear(), d.getMonth(), d.getDate());

/** Monday of the week containing d (ISO weeks). */
export const startOfWeek = (d: Date) => {
  const day = (d.getDay() + 6) % 7;
  return addDays(startOfDay(d), -day);
};

/** Local-day boundary as an ISO UTC instant, so "today" means the user's today. */
export const dayStartIso = (dateInput: string) => new Date(`${dateInput}T00:00:00`).toISOString();
export const dayEndIso = (dateInput: string) => new Date(`${dateInput}T23:59:59.999`).toISOString();
