import { ApiError } from './api-error';

/**
 * A range whose end comes before its start, said on the end field. The page checks it before asking (the
 * server has the same rule and would answer 400), so a mistyped filter never replaces the page with an error.
 */
export const rangeError = {
  /** yyyy-mm-dd values compare as text. */
  dates: (from: string, to: string) => (from && to && to < from ? 'To must not be before From.' : undefined),
  prices: (min: string, max: string) =>
    min && max && Number(max) < Number(min) ? 'Max price must not be below min price.' : undefined,
};

/** The server's 400 message for one filter field, shown on that field while the page stays. */
export function filterFieldError(error: unknown, field: string): string | undefined {
  return error instanceof ApiError && error.status === 400 ? error.fieldError(field) : undefined;
}
