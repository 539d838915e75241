/** An RFC 7807 problem turned into something the UI can show: a message and per-field messages. */
export class ApiError extends Error {
  readonly status: number;
  readonly title: string;
  readonly detail: string | undefined;
  readonly type: string | undefined;
  readonly fieldErrors: Record<string, string[]>;

  constructor(init: {
    status: number;
    title: string;
    detail?: string;
    type?: string;
    fieldErrors?: Record<string, string[]>;
  }) {
    super(init.detail || init.title);
    this.name = 'ApiError';
    this.status = init.status;
    this.title = init.title;
    this.detail = init.detail;
    this.type = init.type;
    this.fieldErrors = init.fieldErrors ?? {};
  }

  /** First message for a form field; accepts snake_case or the PascalCase/camelCase names .NET sometimes emits. */
  fieldError(field: string): string | undefined {
    const wanted = normaliseKey(field);
    for (const [key, messages] of Object.entries(this.fieldErrors)) {
      if (normaliseKey(key) === wanted && messages.length > 0) return messages[0];
    }
    return undefined;
  }
}

const normaliseKey = (key: string) => key.replace(/^\$\./, '').replace(/[_\s]/g, '').toLowerCase();

const statusTitles: Record<number, string> = {
  400: 'The request was not valid',
  401: 'Please sign in again',
  403: 'You do not have access to this',
  404: 'Not found',
  409: 'This conflicts with existing data',
  422: 'Some fields need attention',
  429: 'Too many attempts; wait a moment and try again',
};

export async function problemFromResponse(response: Response): Promise<ApiError> {
  let body: unknown = undefined;
  const text = await response.text().catch(() => '');
  if (text) {
    try {
      body = JSON.parse(text);
    } catch {
      body = undefined;
    }
  }
  const problem = (body && typeof body === 'object' ? body : {}) as Record<string, unknown>;
  const fieldErrors: Record<string, string[]> = {};
  const errors = problem.errors;
  if (errors && typeof errors === 'object' && !Array.isArray(errors)) {
    for (const [key, value] of Object.entries(errors as Record<string, unknown>)) {
      const messages = Array.isArray(value) ? value.map(String) : [String(value)];
      fieldErrors[key] = messages;
    }
  }
  const title =
    typeof problem.title === 'string' && problem.title
      ? problem.title
      : (statusTitles[response.status] ?? `Request failed (${response.status})`);
  return new ApiError({
    status: response.status,
    title,
    detail: typeof problem.detail === 'string' ? problem.detail : undefined,
    type: typeof problem.type === 'string' ? problem.type : undefined,
    fieldErrors,
  });
}

export const isApiError = (error: unknown): error is ApiError => error instanceof ApiError;

/** A sentence for an error banner, whatever was thrown. */
export function errorMessage(error: unknown): string {
  if (error instanceof ApiError) return error.detail ? `${error.title}: ${error.detail}` : error.title;
  if (error instanceof Error) return error.message;
  return 'Something went wrong';
}
