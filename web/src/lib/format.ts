const currency = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD', maximumFractionDigits: 0 });
const integer = new Intl.NumberFormat('en-US');

export const formatMoney = (value: number | null | undefined) => (value == null ? '—' : currency.format(value));
export const formatNumber = (value: number | null | undefined) => (value == null ? '—' : integer.format(value));

/**
 * An absolute time with its zone ("Jan 10, 2025, 6:00 AM CST"): agents, leads and the server are not always in
 * one zone, so a bare "6:00 AM" is ambiguous. The viewer's own zone unless `timeZone` (IANA) is given.
 */
export function formatDateTime(iso: string | null | undefined, timeZone?: string): string {
  if (!iso) return '—';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return d.toLocaleString(undefined, {
    year: 'numeric',
    month: 'short',
    day: 'numeric',
    hour: 'numeric',
    minute: '2-digit',
    timeZoneName: 'short',
    timeZone,
  });
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

// ITU country calling codes of two digits; 1 and 7 are the one-digit codes, every other code has three.
const twoDigitCodes = new Set([
  20, 27, 30, 31, 32, 33, 34, 36, 39, 40, 41, 43, 44, 45, 46, 47, 48, 49, 51, 52, 53, 54, 55, 56, 57, 58, 60, 61,
  62, 63, 64, 65, 66, 81, 82, 84, 86, 90, 91, 92, 93, 94, 95, 98,
]);

/**
 * An E.164 number for reading: US/Canada (+1, ten digits) as "(512) 555-0111", any other country as
 * "+44 7911123456" (the code set apart; grouping the rest needs per-country metadata the bundle does not carry).
 * Anything that is not E.164 (a browser test caller, a withheld number) is shown as given.
 */
export function formatPhone(value: string | null | undefined): string {
  if (!value) return '—';
  const nanp = /^\+1(\d{3})(\d{3})(\d{4})$/.exec(value);
  if (nanp) return `(${nanp[1]}) ${nanp[2]}-${nanp[3]}`;
  if (!/^\+[2-9]\d{6,14}$/.test(value)) return value;
  const digits = value.slice(1);
  const codeLength = digits.startsWith('7') ? 1 : twoDigitCodes.has(Number(digits.slice(0, 2))) ? 2 : 3;
  return `+${digits.slice(0, codeLength)} ${digits.slice(codeLength)}`;
}
