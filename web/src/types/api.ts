import { z } from 'zod';

// Entity shapes the server's REST API returns (snake_case JSON). Parsing is deliberately lenient on optional
// fields so a newer server that adds fields never breaks the page.
export const roleSchema = z.enum(['admin', 'manager', 'agent']);
export type Role = z.infer<typeof roleSchema>;

export const userSchema = z.object({
  id: z.number(),
  email: z.string(),
  name: z.string(),
  role: roleSchema,
  phone: z.string().nullish(),
  is_active: z.boolean().default(true),
  created_at: z.string().nullish(),
});
export type User = z.infer<typeof userSchema>;

export const agentRefSchema = z.object({ id: z.number(), name: z.string() });
export type AgentRef = z.infer<typeof agentRefSchema>;

export const propertyTypes = ['house', 'condo', 'townhouse', 'apartment', 'multi_family', 'land'] as const;
export const propertyStatuses = ['active', 'pending', 'sold', 'off_market'] as const;
export const propertySchema = z.object({
  id: z.number(),
  address: z.string(),
  city: z.string(),
  state: z.string().nullish(),
  zip: z.string().nullish(),
  price: z.number(),
  bedrooms: z.number().nullish(),
  bathrooms: z.number().nullish(),
  square_feet: z.number().nullish(),
  property_type: z.enum(propertyTypes).or(z.string()),
  status: z.enum(propertyStatuses).or(z.string()),
  description: z.string().nullish(),
  features: z.array(z.string()).nullish(),
  listing_agent_id: z.number().nullish(),
  listing_agent_name: z.string().nullish(),
  created_at: z.string().nullish(),
  updated_at: z.string().nullish(),
});
export type Property = z.infer<typeof propertySchema>;

export const leadStatuses = ['new', 'contacted', 'qualified', 'showing', 'offer', 'won', 'lost'] as const;
export type LeadStatus = (typeof leadStatuses)[number];
export const leadIntents = ['buy', 'sell', 'rent'] as const;
export const leadSchema = z.object({
  id: z.number(),
  name: z.string(),
  phone: z.string().nullish(),
  email: z.string().nullish(),
  source: z.string().nullish(),
  status: z.enum(leadStatuses).or(z.string()),
  intent: z.enum(leadIntents).or(z.string()).nullish(),
  budget_min: z.number().nullish(),
  budget_max: z.number().nullish(),
  pre_approved: z.boolean().nullish(),
  timeline: z.string().nullish(),
  preferred_areas: z.array(z.string()).nullish(),
  bedrooms: z.number().nullish(),
  notes: z.string().nullish(),
  assigned_agent_id: z.number().nullish(),
  assigned_agent_name: z.string().nullish(),
  consent_to_call: z.boolean().nullish(),
  do_not_call: z.boolean().nullish(),
  time_zone: z.string().nullish(),
  created_at: z.string().nullish(),
  updated_at: z.string().nullish(),
});
export type Lead = z.infer<typeof leadSchema>;

export const callStatuses = [
  'queued', 'ringing', 'in_progress', 'completed', 'busy', 'failed', 'no_answer', 'canceled',
] as const;
export const callOutcomes = [
  'showing_booked', 'qualified', 'transferred', 'information_provided', 'not_interested', 'do_not_call',
  'voicemail', 'no_answer', 'failed', 'abandoned', 'transfer_failed', 'wrong_number',
] as const;
export const callSchema = z.object({
  id: z.number(),
  call_sid: z.string().nullish(),
  direction: z.string(),
  from_number: z.string().nullish(),
  to_number: z.string().nullish(),
  status: z.string(),
  started_at: z.string().nullish(),
  answered_at: z.string().nullish(),
  ended_at: z.string().nullish(),
  duration_seconds: z.number().nullish(),
  outcome: z.string().nullish(),
  lead_id: z.number().nullish(),
  lead_name: z.string().nullish(),
  agent_id: z.number().nullish(),
  agent_name: z.string().nullish(),
  caller_username: z.string().nullish(),
  transcript_summary: z.string().nullish(),
  has_recording: z.boolean().nullish(),
  /** From the post-call analysis; null until the call is analysed. */
  sentiment: z.string().nullish(),
  is_test: z.boolean().nullish(),
});
export type Call = z.infer<typeof callSchema>;
export const callSentiments = ['positive', 'neutral', 'negative'] as const;

export const showingStatuses = ['scheduled', 'confirmed', 'rescheduled', 'completed', 'canceled', 'no_show'] as const;
export const showingSchema = z.object({
  id: z.number(),
  lead_id: z.number().nullish(),
  lead_name: z.string().nullish(),
  property_id: z.number().nullish(),
  property_address: z.string().nullish(),
  agent_id: z.number().nullish(),
  agent_name: z.string().nullish(),
  starts_at: z.string(),
  ends_at: z.string().nullish(),
  status: z.string(),
  source: z.string().nullish(),
  notes: z.string().nullish(),
  created_at: z.string().nullish(),
});
export type Showing = z.infer<typeof showingSchema>;

export const pageOf = <T extends z.ZodTypeAny>(item: T) =>
  z.object({
    items: z.array(item),
    total: z.number(),
    page: z.number().default(1),
    page_size: z.number().default(20),
  });
export type Page<T> = { items: T[]; total: number; page: number; page_size: number };
