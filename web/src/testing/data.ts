import type { Call, Lead, Property, Showing, User } from '@/types/api';

// Small, deterministic demo data shaped like the server's JSON, shared by the MSW handlers and assertions.
export const users: User[] = [
  { id: 1, email: 'admin@example.com', name: 'Ada Admin', role: 'admin', phone: null, is_active: true, created_at: '2025-01-01T00:00:00Z' },
  { id: 2, email: 'manager@example.com', name: 'Max Manager', role: 'manager', phone: null, is_active: true, created_at: '2025-01-01T00:00:00Z' },
  { id: 3, email: 'agent@example.com', name: 'Alice Agent', role: 'agent', phone: '+15125550101', is_active: true, created_at: '2025-01-01T00:00:00Z' },
  { id: 4, email: 'agent2@example.com', name: 'Bob Agent', role: 'agent', phone: '+15125550102', is_active: true, created_at: '2025-01-01T00:00:00Z' },
];

export const userByRole = (role: User['role']) => users.find((u) => u.role === role)!;

export const properties: Property[] = Array.from({ length: 30 }, (_, i) => ({
  id: i + 1,
  address: `${100 + i} Oak Street`,
  city: i % 2 ? 'Austin' : 'Dallas',
  state: 'TX',
  zip: '78701',
  price: 300_000 + i * 10_000,
  bedrooms: (i % 4) + 1,
  bathrooms: 2,
  square_feet: 1500 + i * 20,
  property_type: 'house',
  status: i % 5 === 0 ? 'pending' : 'active',
  description: 'Sunny home',
  features: ['garage'],
  listing_agent_id: 3,
  listing_agent_name: 'Alice Agent',
  created_at: '2025-01-01T00:00:00Z',
  updated_at: '2025-01-02T00:00:00Z',
}));

export const leads: Lead[] = [
  { id: 1, name: 'Maria Lopez', phone: '+15125550111', email: 'maria@example.com', source: 'inbound_call', status: 'new', intent: 'buy', budget_min: 300000, budget_max: 500000, pre_approved: true, timeline: '3 months', preferred_areas: ['Austin'], bedrooms: 3, notes: null, assigned_agent_id: 3, assigned_agent_name: 'Alice Agent', consent_to_call: true, do_not_call: false, time_zone: 'America/Chicago', created_at: '2025-01-03T00:00:00Z', updated_at: null },
  { id: 2, name: 'John Smith', phone: '+15125550112', email: null, source: 'web', status: 'qualified', intent: 'sell', budget_min: null, budget_max: null, pre_approved: false, timeline: null, preferred_areas: [], bedrooms: null, notes: 'Condo in Dallas', assigned_agent_id: null, assigned_agent_name: null, consent_to_call: true, do_not_call: true, time_zone: null, created_at: '2025-01-04T00:00:00Z', updated_at: null },
];

export const makeCall = (id: number, overrides: Partial<Call> = {}): Call => ({
  id,
  call_sid: `CA${String(id).padStart(32, '0')}`,
  direction: id % 3 === 0 ? 'outbound' : 'inbound',
  from_number: '+15125550111',
  to_number: '+15125550000',
  status: 'completed',
  started_at: new Date(Date.UTC(2025, 0, 10, 12, 0, 0) - id * 60_000).toISOString(),
  answered_at: null,
  ended_at: null,
  duration_seconds: 60 + (id % 120),
  outcome: 'qualified',
  lead_id: 1,
  lead_name: 'Maria Lopez',
  agent_id: 3,
  agent_name: 'Alice Agent',
  caller_username: null,
  transcript_summary: 'Buyer looking for 3 bedrooms in Austin',
  has_recording: true,
  ...overrides,
});

export const calls: Call[] = Array.from({ length: 1000 }, (_, i) => makeCall(i + 1));

export const callDetail = (id: number) => ({
  ...makeCall(id),
  transcript_text: 'Agent: Thanks for calling\nCaller: Hi',
  recording_url: `/calls/${id}/recording`,
  recording_duration_seconds: 42,
  recording_status: 'recorded',
  recording_status_reason: 'caller in CA agreed',
  reception_status: 'answered_by_agent',
  failure_reason: null,
  sentiment: 'positive',
  analysis: {
    status: 'done',
    summary: 'Buyer wants three bedrooms in Austin up to $500,000.',
    sentiment: 'positive',
    success: true,
    success_reason: 'The caller was qualified.',
    fields: { intent: { value: 'buy', confidence: 0.9 }, areas: { value: ['Austin'], confidence: 0.8 }, bedrooms: { value: 3, confidence: 0.7 } },
    next_steps: ['Send Austin listings'],
    source: 'model',
    model: 'gpt-4.1',
    tokens: { input: 420, output: 96 },
    error: null,
    analyzed_at: '2026-11-25T15:00:00Z',
    edited_at: null,
    applied_to_lead_at: null,
  },
  turns: [
    { sequence: 1, speaker: 'agent', text: 'Thanks for calling ABC Realty, how can I help?', start_ms: 0, end_ms: 2500, tool_calls: null, interrupted: true, latency: { stt_ms: null, llm_first_token_ms: 210, tts_first_byte_ms: 120, first_audio_ms: 480 } },
    { sequence: 2, speaker: 'caller', text: "I'm looking for a three bedroom house in Austin.", start_ms: 2000, end_ms: 5000, tool_calls: null, interrupted: false, latency: null },
    { sequence: 3, speaker: 'agent', text: 'I found 2 homes for you.', start_ms: 5600, end_ms: 8000, tool_calls: [{ name: 'search_properties', arguments: { city: 'Austin', bedrooms: 3 }, result: { count: 2 } }], interrupted: false, latency: { stt_ms: 150, llm_first_token_ms: 300, tts_first_byte_ms: 90, first_audio_ms: 610 } },
  ],
});

export const showings: Showing[] = [
  { id: 1, lead_id: 1, lead_name: 'Maria Lopez', property_id: 2, property_address: '101 Oak Street', agent_id: 3, agent_name: 'Alice Agent', starts_at: '2099-01-10T15:00:00Z', ends_at: '2099-01-10T15:30:00Z', status: 'scheduled', source: 'voice_agent', notes: null, created_at: '2025-01-05T00:00:00Z' },
];

export const speedToLead = {
  from: '2025-01-01T00:00:00Z',
  to: '2025-01-08T00:00:00Z',
  enabled: true,
  target_seconds: 60,
  leads: 5,
  called: 4,
  median_seconds: 14,
  p90_seconds: 95,
  within_target: 3,
  later: 1,
  not_yet_called: 1,
  weeks: [
    { week: '2025-W01', week_start: '2024-12-30', leads: 5, called: 4, median_seconds: 14, p90_seconds: 95, within_target: 3, later: 1, not_yet_called: 1 },
  ],
};

export const reportSummary = {
  from: '2025-01-01',
  to: '2025-01-07',
  total_calls: 10,
  answered_calls: 8,
  average_duration_seconds: 95,
  calls_per_day: [
    { date: '2025-01-01', total: 4, inbound: 3, outbound: 1 },
    { date: '2025-01-02', total: 6, inbound: 5, outbound: 1 },
  ],
  outcomes: [
    { outcome: 'qualified', count: 5 },
    { outcome: 'showing_booked', count: 3 },
  ],
  leads_created: 7,
  leads_qualified: 4,
  showings_booked: 3,
  funnel: { leads: 7, qualified: 4, showing: 3 },
  per_agent: [
    { agent_id: 3, agent_name: 'Alice Agent', calls: 6, average_duration_seconds: 100, leads_assigned: 4, leads_qualified: 3, showings_booked: 2 },
    { agent_id: 4, agent_name: 'Bob Agent', calls: 4, average_duration_seconds: 80, leads_assigned: 3, leads_qualified: 1, showings_booked: 1 },
  ],
};
