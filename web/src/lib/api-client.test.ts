import { http, HttpResponse } from 'msw';
import { z } from 'zod';
import { problem } from '@/testing/handlers';
import { server } from '@/testing/msw-server';
import { apiRequest, buildUrl } from './api-client';
import { ApiError } from './api-error';
import { useSession } from './session-store';

const user = { id: 3, email: 'a@example.com', name: 'A', role: 'agent' as const, phone: null, is_active: true, created_at: null };

describe('apiRequest', () => {
  beforeEach(() => useSession.getState().signIn('tok', 3600, user));

  it('sends the bearer token and parses the body with the schema', async () => {
    let auth: string | null = null;
    server.use(
      http.get('*/thing', ({ request }) => {
        auth = request.headers.get('Authorization');
        return HttpResponse.json({ id: 7, extra: 'ignored' });
      }),
    );
    const data = await apiRequest('/thing', { schema: z.object({ id: z.number() }) });
    expect(data).toEqual({ id: 7 });
    expect(auth).toBe('Bearer tok');
  });

  it('turns a ProblemDetails response into an ApiError with field errors', async () => {
    server.use(
      http.post('*/properties/', () =>
        problem(400, 'One or more validation errors occurred.', { address: ['Address is required'], Price: ['Price must be positive'] }),
      ),
    );
    const error = await apiRequest('/properties/', { method: 'POST', body: {} }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    const apiError = error as ApiError;
    expect(apiError.status).toBe(400);
    expect(apiError.title).toBe('One or more validation errors occurred.');
    expect(apiError.fieldError('address')).toBe('Address is required');
    // .NET may emit PascalCase keys; the form asks with snake_case.
    expect(apiError.fieldError('price')).toBe('Price must be positive');
  });

  it('gives a readable title when the error body is not JSON', async () => {
    server.use(http.get('*/boom', () => new HttpResponse('upstream exploded', { status: 502 })));
    const error = (await apiRequest('/boom').catch((e: unknown) => e)) as ApiError;
    expect(error.status).toBe(502);
    expect(error.title).toBe('Request failed (502)');
  });

  it('ends the session on 401 so the guard sends the user to the login page', async () => {
    server.use(http.get('*/leads/', () => problem(401, 'Unauthorized')));
    await expect(apiRequest('/leads/')).rejects.toBeInstanceOf(ApiError);
    expect(useSession.getState().token).toBeNull();
    expect(useSession.getState().lastLogoutReason).toBe('unauthorized');
  });

  it('does not send a token that has already expired, and signs out', async () => {
    useSession.getState().signIn('old', 10, user, Date.now() - 60_000);
    let auth: string | null = 'unset';
    server.use(
      http.get('*/open', ({ request }) => {
        auth = request.headers.get('Authorization');
        return HttpResponse.json({});
      }),
    );
    await apiRequest('/open');
    expect(auth).toBeNull();
    expect(useSession.getState().lastLogoutReason).toBe('expired');
  });

  it('reports an unexpected response shape as an ApiError instead of passing bad data on', async () => {
    vi.spyOn(console, 'error').mockImplementation(() => undefined);
    server.use(http.get('*/shape', () => HttpResponse.json({ id: 'not-a-number' })));
    const error = (await apiRequest('/shape', { schema: z.object({ id: z.number() }) }).catch((e: unknown) => e)) as ApiError;
    expect(error.title).toBe('The server answered in an unexpected format');
    expect(error.detail).toContain('id');
  });

  it('reports a network failure as status 0', async () => {
    server.use(http.get('*/down', () => HttpResponse.error()));
    const error = (await apiRequest('/down').catch((e: unknown) => e)) as ApiError;
    expect(error.status).toBe(0);
    expect(error.title).toBe('Cannot reach the server');
  });
});

describe('buildUrl', () => {
  it('drops empty filters and repeats arrays', () => {
    expect(buildUrl('/calls/', { status: '', q: 'maria lopez', page: 2, lead_id: undefined, tag: ['a', 'b'] })).toBe(
      '/calls/?q=maria+lopez&page=2&tag=a&tag=b',
    );
  });
});
