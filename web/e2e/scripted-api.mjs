// A scripted stand-in for the REST API, the /hubs/calls SignalR hub and the /voice/browser socket, served inside
// Chromium with Playwright's request and WebSocket routing. It lets the browser flows exercise pages whose server
// side is not built yet; the real-server flows in the other files remain the authority.
import { fixtureMp3 } from './recordings.mjs';

const roles = { 'admin@example.com': 'admin', 'manager@example.com': 'manager', 'agent@example.com': 'agent', 'agent2@example.com': 'agent' };
const users = Object.entries(roles).map(([email, role], i) => ({
  id: i + 1, email, role, name: ['Ada Admin', 'Max Manager', 'Alice Agent', 'Bob Agent'][i], phone: null, is_active: true, created_at: '2026-01-01T00:00:00Z',
}));
const day = (offset, hour = 10) => new Date(Date.now() - offset * 86_400_000).toISOString().slice(0, 10) + `T${String(hour).padStart(2, '0')}:00:00Z`;

const properties = Array.from({ length: 24 }, (_, i) => ({
  id: i + 1, address: `${100 + i} ${['Oak', 'Elm', 'Pine', 'Cedar'][i % 4]} Street`, city: ['Austin', 'Dallas', 'Houston'][i % 3], state: 'TX', zip: '78701',
  price: 285_000 + i * 17_500, bedrooms: (i % 4) + 1, bathrooms: 1 + (i % 3), square_feet: 1200 + i * 45, property_type: ['house', 'condo', 'townhouse'][i % 3],
  status: i % 6 === 0 ? 'pending' : 'active', description: 'Bright home close to schools and parks.', features: ['garage', 'garden'],
  listing_agent_id: 3, listing_agent_name: 'Alice Agent', created_at: day(30), updated_at: day(2),
}));
const leadStatuses = ['new', 'contacted', 'qualified', 'showing', 'offer', 'won', 'lost'];
const leadNames = ['Maria Lopez', 'John Smith', 'Priya Patel', 'Chen Wei', 'Sara Jones', 'Omar Haddad', 'Lena Fischer', 'Tom Brown', 'Ana Silva', 'Kofi Mensah'];
const leads = leadNames.map((name, i) => ({
  id: i + 1, name, phone: `+1512555${String(100 + i).padStart(4, '0')}`, email: `${name.split(' ')[0].toLowerCase()}@example.com`, source: 'inbound_call',
  status: leadStatuses[i % 7], intent: ['buy', 'sell', 'rent'][i % 3], budget_min: 250_000, budget_max: 450_000 + i * 10_000, pre_approved: i % 2 === 0,
  timeline: '3 months', preferred_areas: ['Austin'], bedrooms: 3, notes: null, assigned_agent_id: i % 2 ? 4 : 3, assigned_agent_name: i % 2 ? 'Bob Agent' : 'Alice Agent',
  consent_to_call: true, do_not_call: i === 1, time_zone: 'America/Chicago', created_at: day(i), updated_at: null,
}));
const outcomes = ['qualified', 'showing_booked', 'information_provided', 'transferred', 'not_interested'];
const makeCall = (id) => ({
  id, call_sid: `CA${String(id).padStart(32, '0')}`, direction: id % 4 === 0 ? 'outbound' : 'inbound', from_number: '+15125550100', to_number: '+15125550000',
  status: 'completed', started_at: new Date(Date.now() - id * 3_600_000).toISOString(), answered_at: null, ended_at: null, duration_seconds: 45 + (id % 200),
  outcome: outcomes[id % 5], lead_id: (id % 10) + 1, lead_name: leadNames[id % 10], agent_id: 3, agent_name: 'Alice Agent', caller_username: null,
  transcript_summary: 'Buyer asked about 3-bedroom homes in Austin under $500k.', has_recording: true,
});
const calls = Array.from({ length: 1000 }, (_, i) => makeCall(i + 1));
export const activeCall = { ...makeCall(5000), status: 'in_progress', started_at: new Date().toISOString(), duration_seconds: null, outcome: null, lead_name: 'Maria Lopez', has_recording: false };
const callDetail = (id) => ({
  ...(id === activeCall.id ? activeCall : makeCall(id)),
  transcript_text: null, recording_url: `/calls/${id}/recording`, recording_duration_seconds: 6, reception_status: 'answered_by_agent', failure_reason: null,
  turns: [
    { sequence: 1, speaker: 'agent', text: 'Thanks for calling ABC Realty! How can I help you today?', start_ms: 0, end_ms: 3100, tool_calls: null, interrupted: true, latency: { stt_ms: null, llm_first_token_ms: 240, tts_first_byte_ms: 110, first_audio_ms: 520 } },
    { sequence: 2, speaker: 'caller', text: "Hi, I'm looking for a three bedroom house in Austin, under five hundred thousand dollars.", start_ms: 2600, end_ms: 7400, tool_calls: null, interrupted: false, latency: null },
    { sequence: 3, speaker: 'agent', text: 'I found two homes that match. One is at 101 Elm Street for $302,500.', start_ms: 7900, end_ms: 12400, tool_calls: [{ name: 'search_properties', arguments: { city: 'Austin', bedrooms: 3, max_price: 500000 }, result: { count: 2 } }], interrupted: false, latency: { stt_ms: 180, llm_first_token_ms: 410, tts_first_byte_ms: 95, first_audio_ms: 690 } },
    { sequence: 4, speaker: 'caller', text: 'Great, can I see it Saturday at ten?', start_ms: 12900, end_ms: 15000, tool_calls: null, interrupted: false, latency: null },
    { sequence: 5, speaker: 'agent', text: "You're booked for Saturday at 10 AM at 101 Elm Street.", start_ms: 15600, end_ms: 18800, tool_calls: [{ name: 'book_showing', arguments: { property_id: 2, starts_at: '2026-11-28T16:00:00Z' }, result: { showing_id: 9 } }], interrupted: false, latency: { stt_ms: 160, llm_first_token_ms: 380, tts_first_byte_ms: 100, first_audio_ms: 650 } },
  ],
});
const showings = [1, 2, 3].map((i) => ({
  id: i, lead_id: i, lead_name: leadNames[i - 1], property_id: i + 1, property_address: properties[i].address, agent_id: 3, agent_name: 'Alice Agent',
  starts_at: new Date(Date.now() + i * 86_400_000).toISOString(), ends_at: null, status: 'scheduled', source: i === 1 ? 'voice_agent' : 'staff', notes: null, created_at: day(1),
}));
const summary = () => ({
  from: day(6).slice(0, 10), to: day(0).slice(0, 10), total_calls: 142, answered_calls: 131, average_duration_seconds: 164,
  calls_per_day: Array.from({ length: 7 }, (_, i) => ({ date: day(6 - i).slice(0, 10), total: 14 + ((i * 7) % 11), inbound: 10 + ((i * 5) % 7), outbound: 4 + ((i * 2) % 4) })),
  outcomes: outcomes.map((o, i) => ({ outcome: o, count: 40 - i * 7 })),
  leads_created: 58, leads_qualified: 31, showings_booked: 17, funnel: { leads: 58, qualified: 31, showing: 17 },
  per_agent: [
    { agent_id: 3, agent_name: 'Alice Agent', calls: 80, average_duration_seconds: 171, leads_assigned: 30, leads_qualified: 18, showings_booked: 11 },
    { agent_id: 4, agent_name: 'Bob Agent', calls: 62, average_duration_seconds: 150, leads_assigned: 28, leads_qualified: 13, showings_booked: 6 },
  ],
});
const webhookEvents = ['processed', 'failed', 'pending', 'ignored'].map((state, i) => ({
  id: i + 1, call_sid: `CA${String(i + 1).padStart(32, '0')}`, event_type: i % 2 ? 'post_call_audio' : 'post_call_transcription', event_timestamp: Math.floor(Date.now() / 1000) - i * 600,
  received_at: new Date(Date.now() - i * 600_000).toISOString(), processing_state: state, attempts: state === 'failed' ? 3 : 1, last_error: state === 'failed' ? 'Blob upload timed out' : null,
}));

const emptyProgress = { total: 0, queued: 0, dialing: 0, dialed: 0, answered: 0, voicemail: 0, no_answer: 0, busy: 0, failed: 0, done: 0, skipped: 0, opted_out: 0 };

/** Campaigns kept per browser context: created, started and read back; a running one dials one more lead per read. */
function campaignStore() {
  const campaigns = [];
  const leadRows = (c) =>
    leads.filter((l) => !c.leads.statuses?.length || c.leads.statuses.includes(l.status)).filter((l) => !c.leads.lead_ids?.length || c.leads.lead_ids.includes(l.id))
      .map((l, i) => {
        const dialed = !l.do_not_call && c.state !== 'draft' && i < c.progress.dialed;
        const state = l.do_not_call ? 'skipped' : dialed ? (i % 2 ? 'voicemail' : 'answered') : 'queued';
        return {
          id: i + 1, lead_id: l.id, lead_name: l.name, lead_phone: l.phone, state, attempts: dialed ? 1 : 0, next_attempt_at: null,
          last_call_id: dialed ? 100 + i : null, answered_by: dialed ? (i % 2 ? 'machine_end_beep' : 'human') : null,
          reason_code: l.do_not_call ? 'do_not_call' : state === 'voicemail' ? 'voicemail' : null, reason: null, updated_at: new Date().toISOString(),
        };
      });
  const tally = (c) => {
    const rows = leadRows(c);
    const count = (s) => rows.filter((r) => r.state === s).length;
    return { ...emptyProgress, total: rows.length, queued: count('queued'), dialed: rows.filter((r) => r.attempts > 0).length, answered: count('answered'), voicemail: count('voicemail'), skipped: count('skipped'), opted_out: count('skipped') };
  };
  const view = (c) => ({ ...c, progress: c.state === 'draft' ? emptyProgress : tally(c) });
  return {
    list: (url) => {
      const state = url.searchParams.get('state');
      return paged(campaigns.filter((c) => !state || c.state === state).map(view).reverse(), url);
    },
    create: (body) => {
      const now = new Date().toISOString();
      const c = {
        id: campaigns.length + 1, name: body.name, goal: body.goal, instructions: body.instructions ?? null, leads: body.leads ?? {}, window_start: body.window_start ?? '09:00',
        window_end: body.window_end ?? '19:00', days: body.days ?? ['monday', 'tuesday', 'wednesday', 'thursday', 'friday'], time_zone: body.time_zone ?? 'America/New_York',
        max_attempts: body.max_attempts ?? 3, spacing_minutes: body.spacing_minutes ?? 240, max_concurrent_calls: body.max_concurrent_calls ?? 2, caller_id: body.caller_id ?? null,
        voicemail_message: body.voicemail_message ?? null, state: 'draft', started_at: null, ended_at: null, created_at: now, updated_at: now, progress: emptyProgress,
      };
      campaigns.push(c);
      return view(c);
    },
    find: (id) => campaigns.find((c) => c.id === id),
    read: (c) => {
      if (c.state === 'running') c.progress = { ...c.progress, dialed: c.progress.dialed + 1 };
      return view(c);
    },
    move: (c, move) => {
      const to = { start: ['draft', 'running'], pause: ['running', 'paused'], resume: ['paused', 'running'], stop: [c.state === 'paused' ? 'paused' : 'running', 'stopped'] }[move];
      if (!to || c.state !== to[0]) return null;
      c.state = to[1];
      if (move === 'start') c.started_at = new Date().toISOString();
      if (move === 'stop') c.ended_at = new Date().toISOString();
      return view(c);
    },
    leads: (c, url) => {
      const state = url.searchParams.get('state');
      return paged(c.state === 'draft' ? [] : leadRows(c).filter((r) => !state || r.state === state), url);
    },
  };
}

const doNotCall = [
  { id: 1, phone: '+15125550101', source: 'lead', reason: null, added_by_id: null, added_by: null, lead_id: 2, added_at: day(3) },
  { id: 2, phone: '+15125550999', source: 'admin', reason: 'Asked by email', added_by_id: 2, added_by: 'Max Manager', lead_id: null, added_at: day(1) },
];
const registryStatus = { upload_id: null, number_count: null, bad_line_count: null, file_name: null, uploaded_at: null, uploaded_by: null, loaded_count: 0, loaded_upload_id: null, loaded_at: null };

function paged(items, url) {
  const page = Number(url.searchParams.get('page') ?? 1);
  const size = Math.min(100, Number(url.searchParams.get('page_size') ?? 20));
  return { items: items.slice((page - 1) * size, page * size), total: items.length, page, page_size: size };
}

// '/voice/engines' only: '/voice/browser' is the test call's WebSocket, scripted by installScriptedAgent.
// Every API prefix the app calls on a page these flows open: one left out reaches the real server with the scripted
// token, gets a 401 and signs the app out (the header's notification bell is on every page).
const apiPrefixes = ['/auth', '/properties', '/leads', '/calls', '/showings', '/reports', '/admin', '/users', '/hubs', '/voice/engines', '/campaigns', '/notifications', '/tasks', '/agents'];

/** Routes the app's API traffic in `context` to the scripted data. Page navigations still reach the real server. */
export async function installScriptedApi(context) {
  const mp3 = Buffer.from(fixtureMp3(), 'base64');
  let mine = null;
  const campaigns = campaignStore();
  await context.route(
    (url) => apiPrefixes.some((p) => url.pathname === p || url.pathname.startsWith(`${p}/`)),
    async (route) => {
      const request = route.request();
      if (request.resourceType() === 'document') return route.continue();
      const url = new URL(request.url());
      const path = url.pathname.replace(/\/$/, '');
      const method = request.method();
      const json = (body, status = 200) => route.fulfill({ status, contentType: 'application/json', body: JSON.stringify(body) });
      let m;
      if (method === 'POST' && path === '/auth/login') {
        const { email } = request.postDataJSON();
        mine = users.find((u) => u.email === email) ?? null;
        return mine ? json({ access_token: `scripted-${mine.id}`, token_type: 'bearer', expires_in: 3600, user: mine }) : json({ title: 'Unauthorized', status: 401 }, 401);
      }
      if (path === '/auth/me') return json(mine);
      if (path === '/properties') return json(paged(properties, url));
      if ((m = /^\/properties\/(\d+)$/.exec(path))) return json(properties[Number(m[1]) - 1]);
      if (path === '/leads') {
        const status = url.searchParams.get('status');
        const visible = leads.filter((l) => (!status || l.status === status) && (mine?.role !== 'agent' || l.assigned_agent_id === mine.id));
        return json(paged(visible, url));
      }
      if ((m = /^\/leads\/(\d+)$/.exec(path))) return json(leads[Number(m[1]) - 1]);
      if ((m = /^\/leads\/(\d+)\/assign$/.exec(path))) return json(leads[Number(m[1]) - 1]);
      if (path === '/users/agents') return json(users.filter((u) => u.role === 'agent').map(({ id, name }) => ({ id, name })));
      if (path === '/calls') {
        const status = url.searchParams.get('status');
        if (status === 'in_progress') return json(paged([activeCall], url));
        if (status) return json(paged([], url));
        return json(paged(calls, url));
      }
      if ((m = /^\/calls\/(\d+)\/recording$/.exec(path))) return route.fulfill({ status: 200, contentType: 'audio/mpeg', body: mp3 });
      if ((m = /^\/calls\/(\d+)$/.exec(path))) return json(callDetail(Number(m[1])));
      if (path === '/showings') return json(paged(showings, url));
      if (path === '/showings/free-slots') {
        const from = new Date(url.searchParams.get('from') ?? Date.now());
        const minutes = Number(url.searchParams.get('duration_minutes') ?? 60);
        const at = (hour) => {
          const start = new Date(from);
          start.setHours(hour, 0, 0, 0);
          return { starts_at: start.toISOString(), ends_at: new Date(start.getTime() + minutes * 60000).toISOString() };
        };
        return json({
          agent_id: Number(url.searchParams.get('agent_id')), property_id: Number(url.searchParams.get('property_id')),
          time_zone: 'America/Chicago', duration_minutes: minutes, slots: [at(10), at(14)],
        });
      }
      if (path === '/reports/summary') return json(summary());
      if (path === '/reports/speed-to-lead')
        return json({
          enabled: true, target_seconds: 60, leads: 3, called: 2, median_seconds: 21, p90_seconds: 40, within_target: 2, later: 0, not_yet_called: 1,
          weeks: [{ week: '2025-W02', week_start: '2025-01-06', leads: 3, called: 2, median_seconds: 21, p90_seconds: 40, within_target: 2, later: 0, not_yet_called: 1 }],
        });
      if (path === '/notifications') return json({ ...paged([], url), unread: 0 });
      if (path === '/tasks') return json(paged([], url));
      if (path === '/tasks/team') return json([]);
      if (path === '/voice/engines') return json({ speech_to_text: 'local', text_to_speech: 'espeak', agent: 'local', missing: [] });
      if (path === '/admin/users') return json(paged(users, url));
      if (path === '/admin/webhook-events') return json(paged(webhookEvents, url));
      if (path === '/admin/integrations')
        return json({ items: [
          { name: 'storage', label: 'Recording storage', configured: true, mode: 'local', target: null, details: ['local files (server data directory)'], env_vars: ['AZURE_STORAGE_CONNECTION_STRING'] },
          { name: 'smtp', label: 'Email (SMTP)', configured: false, mode: 'auto', target: null, details: [], env_vars: ['SMTP_HOST', 'SMTP_FROM'] },
        ] });
      if ((m = /^\/admin\/integrations\/([\w-]+)\/test$/.exec(path)) && method === 'POST')
        return json({ name: m[1], ok: true, status: null, message: 'Wrote, read back and deleted a 40-byte blob (local files).', elapsed_ms: 3 });
      if (path === '/admin/do-not-call') return json(paged(doNotCall, url));
      if (path === '/admin/do-not-call/registry') return json(registryStatus);
      if (path === '/campaigns' && method === 'POST') {
        const body = request.postDataJSON();
        if (!body.name?.trim()) return json({ title: 'One or more validation errors occurred.', status: 400, errors: { name: ['name is required.'] } }, 400);
        return json(campaigns.create(body), 201);
      }
      if (path === '/campaigns') return json(campaigns.list(url));
      if ((m = /^\/campaigns\/(\d+)(?:\/(start|pause|resume|stop|leads|report))?$/.exec(path))) {
        const c = campaigns.find(Number(m[1]));
        if (!c) return json({ title: 'Not Found', status: 404 }, 404);
        if (m[2] === 'leads') return json(campaigns.leads(c, url));
        if (m[2] === 'report')
          return json({ campaign_id: c.id, leads: 0, dialed: 0, contacted: 0, contact_rate: null, qualified: 0, qualification_rate: null, showings_booked: 0, opted_out: 0, opt_out_rate: null });
        if (m[2]) {
          const moved = campaigns.move(c, m[2]);
          return moved ? json(moved) : json({ title: 'Conflict', status: 409, detail: `A ${c.state} campaign cannot ${m[2]}.` }, 409);
        }
        return json(campaigns.read(c));
      }
      if (path === '/hubs/calls/negotiate') {
        return json({ negotiateVersion: 1, connectionId: 'c1', connectionToken: 't1', availableTransports: [{ transport: 'WebSockets', transferFormats: ['Text', 'Binary'] }] });
      }
      return json({ title: 'Not Found', status: 404 }, 404);
    },
  );
}

const RS = '\u001e';

/** A SignalR JSON-protocol hub at /hubs/calls; returns a function that invokes a client method on every connection. */
export async function installScriptedHub(page) {
  const sockets = [];
  await page.routeWebSocket(/\/hubs\/calls/, (ws) => {
    sockets.push(ws);
    ws.onMessage((message) => {
      for (const frame of String(message).split(RS).filter(Boolean)) {
        const m = JSON.parse(frame);
        if (m.protocol === 'json') ws.send(`{}${RS}`); // handshake response
        else if (m.type === 6) ws.send(`{"type":6}${RS}`); // ping
      }
    });
  });
  return (target, ...args) => {
    for (const ws of sockets) ws.send(JSON.stringify({ type: 1, target, arguments: args }) + RS);
  };
}

/**
 * A fake agent at /voice/browser speaking the Media Streams protocol: greets after `start`, answers after a second
 * of caller audio or a typed message. Records what the page sent.
 */
export async function installScriptedAgent(page) {
  const received = [];
  await page.routeWebSocket(/\/voice\/browser/, (ws) => {
    let mediaFrames = 0;
    let answered = false;
    const silence = Buffer.alloc(4000, 0xff).toString('base64'); // 0.5 s of mu-law silence
    const say = (text, sequence) => {
      ws.send(JSON.stringify({ event: 'transcript', speaker: 'agent', text, is_final: true, sequence }));
      ws.send(JSON.stringify({ event: 'media', streamSid: 'MZ1', media: { payload: silence } }));
      ws.send(JSON.stringify({ event: 'mark', streamSid: 'MZ1', mark: { name: `reply-${sequence}` } }));
    };
    ws.onMessage((message) => {
      const m = JSON.parse(String(message));
      received.push(m);
      if (m.event === 'start') say('Thanks for calling ABC Realty! How can I help?', 1);
      if (m.event === 'media' && ++mediaFrames === 50 && !answered) {
        answered = true;
        ws.send(JSON.stringify({ event: 'transcript', speaker: 'caller', text: "I'm looking for a three bedroom house in Austin.", is_final: true, sequence: 2 }));
        say('I found two homes in Austin with three bedrooms.', 3);
      }
      if (m.event === 'text') {
        ws.send(JSON.stringify({ event: 'transcript', speaker: 'caller', text: m.text, is_final: true, sequence: 4 }));
        say('Happy to help with that.', 5);
      }
    });
  });
  return received;
}
