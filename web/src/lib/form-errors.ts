import { useCallback, useState } from 'react';
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
 * form does not show are returned in `other` so they are never silently lost. A field in `changed` shows no
 * message: it was about a value the user has since replaced.
 */
export function formErrors(
  client: ClientErrors,
  serverError: unknown,
  fields: readonly string[],
  changed: ReadonlySet<string> = noneChanged,
) {
  const api = serverError instanceof ApiError ? serverError : null;
  const fieldError = (field: string) => (changed.has(field) ? undefined : (client[field] ?? api?.fieldError(field)));
  const normalise = (k: string) => k.replace(/^\$\./, '').replace(/[_\s]/g, '').toLowerCase();
  const known = new Set(fields.map(normalise));
  const other = api
    ? Object.entries(api.fieldErrors)
        .filter(([k]) => !known.has(normalise(k)))
        .flatMap(([k, msgs]) => msgs.map((m) => (k && k !== '_' ? `${k}: ${m}` : m)))
    : [];
  return { fieldError, other, summary: api ? (api.detail ?? api.title) : null };
}

const noneChanged: ReadonlySet<string> = new Set();

/**
 * The fields edited since the last submit. Their "is required" / "must be a number" messages describe a value
 * that is gone, so `formErrors` hides them until the next submit checks again.
 */
export function useChangedSinceSubmit() {
  const [changed, setChanged] = useState<ReadonlySet<string>>(noneChanged);
  const markChanged = useCallback(
    (field: string) => setChanged((s) => (s.has(field) ? s : new Set(s).add(field))),
    [],
  );
  const resetChanged = useCallback(() => setChanged(noneChanged), []);
  return { changed, markChanged, resetChanged };
}
