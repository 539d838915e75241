import type { z } from 'zod';
import { ApiError } from './api-error';

export type ClientErrors = Record<string, string>;

export function zodFieldErrors(error: z.ZodError): ClientErrors {
  const out: ClientErrors = {};
  for (const issue of error.issues) {
    const key = String(issue.path[0] ?? '_');
    out[key] ??= issue.message;
  }
  return out;
}

/**
 * Merges the form's own checks with the server's ProblemDetails field errors. Server messages for fields the
 * form does not show are returned in `other` so they are never silently lost.
 */
export function formErrors(client: ClientErrors, serverError: unknown, fields: readonly string[]) {
  const api = serverError instanceof ApiError ? serverError : null;
  const fieldError = (field: string) => client[field] ?? api?.fieldError(field);
  const normalise = (k: string) => k.replace(/^\$\./, '').replace(/[_\s]/g, '').toLowerCase();
  const known = new Set(fields.map(normalise));
  const other = api
    ? Object.entries(api.fieldErrors)
        .filter(([k]) => !known.has(normalise(k)))
        .flatMap(([k, msgs]) => msgs.map((m) => (k && k !== '_' ? `${k}: ${m}` : m)))
    : [];
  return { fieldError, other, summary: api ? (api.detail ?? api.title) : null };
}
