const currency = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD', maximumFractionDigits: 0 });
const integer = new Intl.NumberFormat('en-US');

export const formatMoney = (value: number | null | undefined) => (value == null ? '—' : currency.format(value));
export const formatNumber = (value: number | null | undefined) => (value == null ? '—' : integer.format(value));

export function formatDateTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return d.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}

export function formatDate(iso: string | null | undefined): string {
  if (!iso) return '—';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return d.toLocaleDateString(undefined, { dateStyle: 'medium' });
}

/** 75 -> "1:15", 3700 -> "1:01:40". */
export function formatDuration(seconds: number | null | undefined): string {
  if (seconds == null || Number.isNaN(seconds)) return '—';
  const total = Math.max(0, Math.round(seconds));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const mm = h > 0 ? String(m).padStart(2, '0') : String(m);
  return `${h > 0 ? `${h}:` : ''}${mm}:${String(s).padStart(2, '0')}`;
}

export const formatMs = (ms: number | null | undefined) => (ms == null ? '—' : `${Math.round(ms)} ms`);

/** snake_case enum value -> "Snake case" label. */
export const humanize = (value: string | null | undefined) =>
  value ? value.charAt(0).toUpperCase() + value.slice(1).replace(/_/g, ' ') : '—';

export const formatPercent = (ratio: number | null | undefined) =>
  ratio == null || Number.isNaN(ratio) ? '—' : `${Math.round(ratio * 100)}%`;
