import { http, HttpResponse } from 'msw';
import { callDetail, calls, leads, properties, reportSummary, showings, speedToLead, users } from './data';

export const tokenFor = (userId: number) => `test-token-${userId}`;

const currentUser = (request: Request) => {
  const m = /^Bearer test-token-(\d+)$/.exec(request.headers.get('Authorization') ?? '');
  return m ? users.find((u) => u.id === Number(m[1])) : undefined;
};

export const problem = (status: number, title: string, errors?: Record<string, string[]>, detail?: string) =>
  HttpResponse.json(
    { type: `https://httpstatuses.io/${status}`, title, status, detail, errors },
    { status, headers: { 'Content-Type': 'application/problem+json' } },
  );

const unauthorized = () => problem(401, 'Unauthorized');

function paged<T>(items: T[], url: URL) {
  const page = Number(url.searchParams.get('page') ?? '1');
  const pageSize = Math.min(100, Number(url.searchParams.get('page_size') ?? '20'));
  return { items: items.slice((page - 1) * pageSize, page * pageSize), total: items.length, page, page_size: pageSize };
}

/** An in-memory imitation of the agreed REST API, enough for component tests to run real requests. */
export const handlers = [
  http.post('*/auth/login', async ({ request }) => {
    const body = (await request.json()) as { email: string; password: string };
    const user = users.find((u) => u.email === body.email);
    if (!user || body.password !== 'password') return problem(401, 'Invalid credentials', undefined, 'Email or password is incorrect.');
    return HttpResponse.json({ access_token: tokenFor(user.id), token_type: 'bearer', expires_in: 3600, user });
  }),
  // The notification bell: nothing unread, and no live hub (it falls back to refetching).
  http.get('*/notifications/', ({ request }) =>
    currentUser(request) ? HttpResponse.json({ items: [], total: 0, page: 1, page_size: 20, unread: 0 }) : unauthorized(),
  ),
  http.post('*/hubs/calls/negotiate', () => problem(404, 'Not Found')),
  http.get('*/admin/lead-routing/', () => HttpResponse.json({ mode: 'off', areas: [] })),
  http.get('*/auth/me', ({ request }) => {
    const user = currentUser(request);
    return user ? HttpResponse.json(user) : unauthorized();
  }),
  http.get('*/properties/', ({ request }) => {
    if (!currentUser(request)) return unauthorized();
    const url = new URL(request.url);
    const city = url.searchParams.get('city');
    const filtered = properties.filter((p) => !city || p.city.toLowerCase() === city.toLowerCase());
    return HttpResponse.json(paged(filtered, url));
  }),
  http.get('*/properties/:id', ({ request, params }) => {
    if (!currentUser(request)) return unauthorized();
    const p = properties.find((x) => x.id === Number(params.id));
    return p ? HttpResponse.json(p) : problem(404, 'Not found');
  }),
  http.get('*/leads/', ({ request }) => {
    const user = currentUser(request);
    if (!user) return unauthorized();
    const url = new URL(request.url);
    const status = url.searchParams.get('status');
    const mine = user.role === 'agent' ? leads.filter((l) => l.assigned_agent_id === user.id) : leads;
    return HttpResponse.json(paged(mine.filter((l) => !status || l.status === status), url));
  }),
  http.get('*/leads/:id', ({ request, params }) => {
    if (!currentUser(request)) return unauthorized();
    const l = leads.find((x) => x.id === Number(params.id));
    return l ? HttpResponse.json(l) : problem(404, 'Not found');
  }),
  http.get('*/users/agents', ({ request }) =>
    currentUser(request)
      ? HttpResponse.json(users.filter((u) => u.role === 'agent').map((u) => ({ id: u.id, name: u.name })))
      : unauthorized(),
  ),
  http.get('*/calls/', ({ request }) => {
    if (!currentUser(request)) return unauthorized();
    const url = new URL(request.url);
    const status = url.searchParams.get('status');
    return HttpResponse.json(paged(calls.filter((c) => !status || c.status === status), url));
  }),
  http.get('*/voice/engines', ({ request }) =>
    currentUser(request) ? HttpResponse.json({ speech_to_text: 'deepgram', text_to_speech: 'espeak', agent: 'local', missing: [] }) : unauthorized(),
  ),
  http.get('*/calls/:id', ({ request, params }) =>
    currentUser(request) ? HttpResponse.json(callDetail(Number(params.id))) : unauthorized(),
  ),
  http.put('*/calls/:id/analysis/', async ({ request, params }) => {
    if (!currentUser(request)) return unauthorized();
    const body = (await request.json()) as Record<string, unknown>;
    if (!body.summary) return HttpResponse.json({ title: 'Validation failed', status: 400, errors: { summary: ['The summary is required.'] } }, { status: 400, headers: { 'Content-Type': 'application/problem+json' } });
    return HttpResponse.json({ ...callDetail(Number(params.id)).analysis, ...body, source: 'staff' });
  }),
  http.post('*/calls/:id/analysis/apply-to-lead', ({ request, params }) =>
    currentUser(request)
      ? HttpResponse.json({ ...callDetail(Number(params.id)).analysis, applied_to_lead_at: '2026-11-25T15:05:00Z' })
      : unauthorized(),
  ),
  http.get('*/showings/', ({ request }) =>
    currentUser(request) ? HttpResponse.json(paged(showings, new URL(request.url))) : unauthorized(),
  ),
  // Agents' calendars: an Agent only their own (403 for another's), as the server decides.
  http.get('*/agents/:id/working-hours', ({ request, params }) => {
    const user = currentUser(request);
    if (!user) return unauthorized();
    if (user.role === 'agent' && user.id !== Number(params.id)) return problem(403, 'Forbidden');
    return HttpResponse.json({ agent_id: Number(params.id), time_zone: 'America/Chicago', days: [{ day: 'monday', starts: '09:00', ends: '17:00' }] });
  }),
  http.put('*/agents/:id/working-hours', async ({ request, params }) => {
    if (!currentUser(request)) return unauthorized();
    const body = (await request.json()) as { days: { day: string; starts: string; ends: string }[] };
    return HttpResponse.json({ agent_id: Number(params.id), time_zone: 'America/Chicago', days: body.days });
  }),
  http.get('*/agents/:id/calendar', ({ request, params }) => {
    const user = currentUser(request);
    if (!user) return unauthorized();
    if (user.role === 'agent' && user.id !== Number(params.id)) return problem(403, 'Forbidden');
    const url = new URL(request.url);
    const from = url.searchParams.get('from') ?? '';
    const to = url.searchParams.get('to') ?? '';
    const agent = users.find((u) => u.id === Number(params.id));
    return HttpResponse.json({
      agent_id: Number(params.id),
      agent_name: agent?.name ?? 'Agent',
      time_zone: 'America/Chicago',
      working_hours: [{ day: 'monday', starts: '09:00', ends: '17:00' }],
      showings: showings.filter((s) => s.agent_id === Number(params.id) && s.starts_at >= from && s.starts_at < to),
    });
  }),
  // Free times: 10:00 and 14:00 (local) on the day asked for.
  http.get('*/showings/free-slots', ({ request }) => {
    if (!currentUser(request)) return unauthorized();
    const url = new URL(request.url);
    const day = new Date(url.searchParams.get('from') ?? '');
    const minutes = Number(url.searchParams.get('duration_minutes') ?? 60);
    const at = (hour: number) => {
      const start = new Date(day);
      start.setHours(hour, 0, 0, 0);
      return { starts_at: start.toISOString(), ends_at: new Date(start.getTime() + minutes * 60000).toISOString() };
    };
    return HttpResponse.json({
      agent_id: Number(url.searchParams.get('agent_id')), property_id: Number(url.searchParams.get('property_id')),
      time_zone: 'America/Chicago', duration_minutes: minutes, slots: [at(10), at(14)],
    });
  }),
  http.post('*/showings/:id/reschedule', async ({ request, params }) => {
    if (!currentUser(request)) return unauthorized();
    const body = (await request.json()) as { starts_at: string };
    const showing = showings.find((s) => s.id === Number(params.id));
    return showing ? HttpResponse.json({ ...showing, starts_at: body.starts_at, status: 'rescheduled' }) : problem(404, 'Not Found');
  }),
  http.get('*/leads/:id/timeline', ({ request }) =>
    currentUser(request) ? HttpResponse.json(paged([], new URL(request.url))) : unauthorized(),
  ),
  http.get('*/leads/:id/notes', ({ request }) =>
    currentUser(request) ? HttpResponse.json(paged([], new URL(request.url))) : unauthorized(),
  ),
  http.get('*/tasks/', ({ request }) => (currentUser(request) ? HttpResponse.json(paged([], new URL(request.url))) : unauthorized())),
  http.get('*/tasks/team', ({ request }) => (currentUser(request) ? HttpResponse.json([]) : unauthorized())),
  http.get('*/reports/summary', ({ request }) => (currentUser(request) ? HttpResponse.json(reportSummary) : unauthorized())),
  http.get('*/campaigns/:id/report', ({ request, params }) =>
    currentUser(request)
      ? HttpResponse.json({ campaign_id: Number(params.id), leads: 0, dialed: 0, contacted: 0, qualified: 0, showings_booked: 0, opted_out: 0 })
      : unauthorized(),
  ),
  http.get('*/reports/speed-to-lead', ({ request }) => (currentUser(request) ? HttpResponse.json(speedToLead) : unauthorized())),
  http.get('*/admin/users', ({ request }) => {
    const user = currentUser(request);
    if (!user) return unauthorized();
    if (user.role !== 'admin') return problem(403, 'Forbidden');
    return HttpResponse.json(paged(users, new URL(request.url)));
  }),
];
