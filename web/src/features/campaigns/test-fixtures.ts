import type { Campaign, CampaignProgress } from './api/get-campaigns';
import type { CampaignLead } from './api/get-campaign-leads';

// Campaign JSON shaped like the server's, for the page tests' MSW handlers.
export const progress = (p: Partial<CampaignProgress> = {}): CampaignProgress => ({
  total: 0, queued: 0, dialing: 0, dialed: 0, answered: 0, voicemail: 0, no_answer: 0, busy: 0, failed: 0, done: 0, skipped: 0, opted_out: 0, ...p,
});

export const campaign = (id: number, extra: Partial<Campaign> = {}): Campaign => ({
  id, name: `Spring buyers ${id}`, goal: 'Following up on your home search', instructions: null, leads: { statuses: ['new'] },
  window_start: '09:00', window_end: '19:00', days: ['monday', 'tuesday', 'wednesday', 'thursday', 'friday'], time_zone: 'America/New_York',
  max_attempts: 3, spacing_minutes: 240, max_concurrent_calls: 2, caller_id: null, voicemail_message: null, state: 'draft',
  started_at: null, ended_at: null, created_at: '2026-11-20T15:00:00Z', updated_at: '2026-11-20T15:00:00Z', progress: progress(), built_in: null, ...extra,
});

export const campaignLead = (id: number, extra: Partial<CampaignLead> = {}): CampaignLead => ({
  id, lead_id: id, lead_name: `Lead ${id}`, lead_phone: `+1512555${String(1000 + id)}`, state: 'queued', attempts: 0, next_attempt_at: null,
  last_call_id: null, answered_by: null, reason_code: null, reason: null, updated_at: '2026-11-20T15:00:00Z', ...extra,
});
