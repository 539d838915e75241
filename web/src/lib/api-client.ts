import type { z } from 'zod';
import { env } from '@/config/env';
import { ApiError, problemFromResponse } from './api-error';
import { getToken, useSession } from './session-store';

export type QueryValue = string | number | boolean | null | undefined;
export type QueryParams = Record<string, QueryValue | QueryValue[]>;

type RequestOptions<S extends z.ZodTypeAny | undefined> = {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  query?: QueryParams;
  body?: unknown;
  schema?: S;
  signal?: AbortSignal;
  /** Login must not trigger the "session expired" logout on 401. */
  anonymous?: boolean;
};

/** Builds `path?query` leaving out empty values, so filters that are unset never reach the server. */
export function buildUrl(path: string, query?: QueryParams): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query ?? {})) {
    const values = Array.isArray(value) ? value : [value];
    for (const v of values) {
      if (v === undefined || v === null || v === '') continue;
      params.append(key, String(v));
    }
  }
  const qs = params.toString();
  return `${env.apiUrl}${path}${qs ? `?${qs}` : ''}`;
}

export async function apiRequest<S extends z.ZodTypeAny | undefined = undefined>(
  path: string,
  options: RequestOptions<S> = {},
): Promise<S extends z.ZodTypeAny ? z.infer<S> : unknown> {
  const { method = 'GET', query, body, schema, signal, anonymous } = options;
  const headers: Record<string, string> = { Accept: 'application/json' };
  const token = anonymous ? null : getToken();
  if (token) headers.Authorization = `Bearer ${token}`;
  // FormData (file uploads) sets its own multipart Content-Type with the boundary.
  const form = body instanceof FormData;
  if (body !== undefined && !form) headers['Content-Type'] = 'application/json';

  let response: Response;
  try {
    response = await fetch(buildUrl(path, query), {
      method,
      headers,
      body: body === undefined ? undefined : form ? body : JSON.stringify(body),
      signal,
    });
  } catch (error) {
    if ((error as Error).name === 'AbortError') throw error;
    throw new ApiError({ status: 0, title: 'Cannot reach the server', detail: 'Check your connection and try again.' });
  }

  if (!response.ok) {
    const problem = await problemFromResponse(response);
    // A 401 on an authenticated request means the token expired or was revoked: end the session so the
    // route guard sends the user to the login page.
    if (response.status === 401 && !anonymous) useSession.getState().signOut('unauthorized');
    throw problem;
  }
  if (response.status === 204) return undefined as never;
  const text = await response.text();
  const data: unknown = text ? JSON.parse(text) : undefined;
  if (!schema) return data as never;
  const parsed = schema.safeParse(data);
  if (!parsed.success) {
    console.error(`Unexpected response shape from ${method} ${path}`, parsed.error.issues);
    throw new ApiError({
      status: response.status,
      title: 'The server answered in an unexpected format',
      detail: parsed.error.issues
        .slice(0, 3)
        .map((i) => `${i.path.join('.')}: ${i.message}`)
        .join('; '),
    });
  }
  return parsed.data as never;
}

/** Fetches a binary resource (recordings) with the bearer token, for use as an object URL. */
export async function apiBlob(path: string, signal?: AbortSignal, query?: QueryParams): Promise<Blob> {
  const token = getToken();
  const response = await fetch(buildUrl(path, query), {
    headers: token ? { Authorization: `Bearer ${token}` } : {},
    signal,
  });
  if (!response.ok) {
    const problem = await problemFromResponse(response);
    if (response.status === 401) useSession.getState().signOut('unauthorized');
    throw problem;
  }
  return response.blob();
}
