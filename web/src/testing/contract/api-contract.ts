import type { z } from 'zod';
import { integrationSchema, integrationTestResultSchema } from '@/features/admin/api/integrations';
import { freeSlotsSchema } from '@/features/showings/api/free-slots';
import { webhookDeliverySchema } from '@/features/admin/api/get-webhook-deliveries';
import { webhookEventSchema } from '@/features/admin/api/get-webhook-events';
import { campaignLeadSchema } from '@/features/campaigns/api/get-campaign-leads';
import { campaignSchema } from '@/features/campaigns/api/get-campaigns';
import { doNotCallEntrySchema } from '@/features/do-not-call/api/do-not-call';
import { registryStatusSchema, registryUploadSchema } from '@/features/do-not-call/api/registry';
import { loginResponseSchema } from '@/features/auth/api/login';
import { callDetailSchema } from '@/features/calls/api/get-call';
import { leadNoteSchema } from '@/features/leads/api/lead-notes';
import { timelineItemSchema } from '@/features/leads/api/lead-timeline';
import { agentCalendarSchema, workingHoursSchema } from '@/features/showings/api/agent-calendar';
import { taskSchema, teamTaskCountSchema } from '@/features/tasks/api/tasks';
import { placedCallSchema } from '@/features/calls/api/place-outbound-call';
import { reportSummarySchema } from '@/features/reports/api/get-report-summary';
import { speedToLeadSchema } from '@/features/reports/api/get-speed-to-lead';
import { agentRefSchema, callSchema, leadSchema, propertySchema, showingSchema, userSchema } from '@/types/api';

export type ContractEntry = { method: string; path: string; response: z.ZodTypeAny; list?: boolean };

/** Every request the app makes whose answer it parses, with the zod schema of one item. */
export const apiContract: ContractEntry[] = [
  { method: 'post', path: '/auth/login', response: loginResponseSchema },
  { method: 'get', path: '/auth/me', response: userSchema },
  { method: 'get', path: '/properties/', response: propertySchema, list: true },
  { method: 'get', path: '/properties/{id}', response: propertySchema },
  { method: 'get', path: '/leads/', response: leadSchema, list: true },
  { method: 'get', path: '/leads/{id}', response: leadSchema },
  { method: 'get', path: '/leads/{id}/timeline', response: timelineItemSchema, list: true },
  { method: 'get', path: '/leads/{id}/notes', response: leadNoteSchema, list: true },
  { method: 'post', path: '/leads/{id}/notes', response: leadNoteSchema },
  { method: 'get', path: '/tasks/', response: taskSchema, list: true },
  { method: 'post', path: '/tasks/', response: taskSchema },
  { method: 'patch', path: '/tasks/{id}', response: taskSchema },
  { method: 'get', path: '/tasks/team', response: teamTaskCountSchema, list: true },
  { method: 'get', path: '/users/agents', response: agentRefSchema, list: true },
  { method: 'get', path: '/calls/', response: callSchema, list: true },
  { method: 'get', path: '/calls/{id}', response: callDetailSchema },
  { method: 'post', path: '/calls/outbound', response: placedCallSchema },
  { method: 'get', path: '/showings/', response: showingSchema, list: true },
  { method: 'get', path: '/agents/{id}/working-hours', response: workingHoursSchema },
  { method: 'put', path: '/agents/{id}/working-hours', response: workingHoursSchema },
  { method: 'get', path: '/agents/{id}/calendar', response: agentCalendarSchema },
  { method: 'post', path: '/showings/{id}/reschedule', response: showingSchema },
  { method: 'get', path: '/showings/free-slots', response: freeSlotsSchema },
  { method: 'get', path: '/admin/integrations', response: integrationSchema, list: true },
  { method: 'post', path: '/admin/integrations/{name}/test', response: integrationTestResultSchema },
  { method: 'get', path: '/reports/summary', response: reportSummarySchema },
  { method: 'get', path: '/reports/speed-to-lead', response: speedToLeadSchema },
  { method: 'get', path: '/admin/users', response: userSchema, list: true },
  { method: 'get', path: '/admin/webhook-events', response: webhookEventSchema, list: true },
  { method: 'get', path: '/admin/webhook-deliveries', response: webhookDeliverySchema, list: true },
  { method: 'get', path: '/campaigns/', response: campaignSchema, list: true },
  { method: 'get', path: '/campaigns/{id}', response: campaignSchema },
  { method: 'post', path: '/campaigns/', response: campaignSchema },
  { method: 'put', path: '/campaigns/{id}', response: campaignSchema },
  { method: 'post', path: '/campaigns/{id}/start', response: campaignSchema },
  { method: 'get', path: '/campaigns/{id}/leads', response: campaignLeadSchema, list: true },
  { method: 'get', path: '/admin/do-not-call/', response: doNotCallEntrySchema, list: true },
  { method: 'post', path: '/admin/do-not-call/', response: doNotCallEntrySchema },
  { method: 'get', path: '/admin/do-not-call/registry/', response: registryStatusSchema },
  { method: 'post', path: '/admin/do-not-call/registry/', response: registryUploadSchema },
];

type Def = { type: string; shape?: Record<string, unknown>; element?: unknown; options?: unknown[]; innerType?: unknown; in?: unknown };
const defOf = (schema: unknown): Def => (schema as { _zod: { def: Def } })._zod.def;

/** Top-level field names of an object schema and whether the app requires each (not optional/nullish/defaulted). */
export function zodFields(schema: unknown): Map<string, boolean> {
  let def = defOf(schema);
  while (def.type !== 'object') {
    const inner = def.innerType ?? def.in ?? def.element ?? def.options?.[0];
    if (!inner) return new Map();
    def = defOf(inner);
  }
  const fields = new Map<string, boolean>();
  for (const [name, field] of Object.entries(def.shape ?? {})) {
    const t = defOf(field).type;
    fields.set(name, !['optional', 'nullable', 'default', 'prefault'].includes(t));
  }
  return fields;
}

type OpenApiSchema = { $ref?: string; type?: string | string[]; properties?: Record<string, unknown>; items?: unknown; allOf?: unknown[]; oneOf?: unknown[]; anyOf?: unknown[] };
type OpenApiDoc = { paths: Record<string, Record<string, { responses?: Record<string, { content?: Record<string, { schema?: OpenApiSchema }> }> }>>; components?: { schemas?: Record<string, OpenApiSchema> } };

function resolve(doc: OpenApiDoc, schema: OpenApiSchema | undefined): OpenApiSchema | undefined {
  let s = schema;
  for (let i = 0; s?.$ref && i < 10; i++) s = doc.components?.schemas?.[s.$ref.split('/').pop()!];
  const combined = s?.allOf ?? s?.oneOf ?? s?.anyOf;
  if (combined && !s?.properties) return resolve(doc, combined.find((c) => (c as OpenApiSchema).type !== 'null') as OpenApiSchema);
  return s;
}

/** The property names of the item the server answers for an operation (the page's `items` for lists). */
export function serverFields(doc: OpenApiDoc, entry: ContractEntry): Set<string> | null {
  const norm = (p: string) => p.replace(/\/$/, '').replace(/\{[^}]+\}/g, '{}');
  const pathKey = Object.keys(doc.paths).find((p) => norm(p) === norm(entry.path));
  const op = pathKey ? doc.paths[pathKey]?.[entry.method] : undefined;
  if (!op) return null;
  const ok = op.responses?.['200'] ?? op.responses?.['201'] ?? op.responses?.['202'];
  let schema = resolve(doc, ok?.content?.['application/json']?.schema);
  if (entry.list) {
    if (schema?.properties?.items) schema = resolve(doc, schema.properties.items as OpenApiSchema);
    if (schema?.items) schema = resolve(doc, schema.items as OpenApiSchema);
  }
  return new Set(Object.keys(schema?.properties ?? {}));
}
