import { useMutation, useQueryClient } from '@tanstack/react-query';
import { z } from 'zod';
import { apiRequest } from '@/lib/api-client';

/** Lead fields a CSV column can fill (the server's names); '' leaves a column out. */
export const importFields = [
  'name', 'phone', 'email', 'intent', 'budget_min', 'budget_max', 'bedrooms', 'timeline', 'pre_approved',
  'preferred_areas', 'notes', 'consent_to_call', 'consent_at', 'do_not_call', 'time_zone', 'status', 'source',
] as const;
export type ImportField = (typeof importFields)[number];

const hints: [ImportField, RegExp][] = [
  ['email', /e-?mail/],
  ['phone', /phone|mobile|cell|tel/],
  ['budget_min', /(min|low).*(budget|price)|budget.*(min|from)/],
  ['budget_max', /budget|price|max/],
  ['preferred_areas', /area|neighbou?rhood|city|location|zip/],
  ['intent', /intent|looking|buy|sell|type/],
  ['bedrooms', /bed|br\b/],
  ['timeline', /timeline|timeframe|when/],
  ['pre_approved', /pre-?approv|mortgage/],
  ['consent_at', /consent.*(date|time|at)|opt.?in.*(date|time)/],
  ['consent_to_call', /consent|opt.?in/],
  ['do_not_call', /dnc|do.?not.?call/],
  ['time_zone', /time.?zone|tz/],
  ['notes', /note|comment|message/],
  ['status', /status|stage/],
  ['source', /source|channel/],
  ['name', /name|contact|client/],
];

/** A first guess at each column's field from its header; each field is guessed once, the first column wins. */
export function guessMapping(headers: readonly string[]): (ImportField | '')[] {
  const used = new Set<string>();
  return headers.map((h) => {
    const text = h.trim().toLowerCase();
    const exact = importFields.find((f) => f === text.replace(/\s+/g, '_'));
    const hit = exact ?? hints.find(([f, re]) => !used.has(f) && re.test(text))?.[0];
    if (!hit || used.has(hit)) return '';
    used.add(hit);
    return hit;
  });
}

/** The header row of a CSV file: read from its first 64 KiB only, so a large file is not loaded to show it. */
export async function readHeader(file: Blob): Promise<string[]> {
  // FileReader rather than Blob.text(): the same in every browser and in the test DOM.
  const head = await new Promise<string>((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result ?? ''));
    reader.onerror = () => reject(reader.error ?? new Error('The file could not be read'));
    reader.readAsText(file.slice(0, 64 * 1024));
  });
  const cells: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < head.length; i++) {
    const c = head[i];
    if (quoted) {
      if (c === '"' && head[i + 1] === '"') { cell += '"'; i++; }
      else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"' && cell === '') quoted = true;
    else if (c === ',') { cells.push(cell); cell = ''; }
    else if (c === '\n' || c === '\r') break;
    else cell += c;
  }
  cells.push(cell);
  return cells.map((c) => c.replace(/^\uFEFF/, '').trim());
}

export const importResultSchema = z.object({
  rows: z.number(),
  created: z.number(),
  merged: z.number(),
  skipped: z.number(),
  failed: z.number(),
  errors: z.array(z.object({ row: z.number(), field: z.string(), message: z.string() })),
  errors_truncated: z.boolean(),
});
export type ImportResult = z.infer<typeof importResultSchema>;

export type ImportRequest = {
  file: File;
  headers: string[];
  mapping: (ImportField | '')[];
  duplicates: 'skip' | 'merge';
  /** The agent every imported (or merged) lead is assigned to; none leaves them unassigned. */
  assignedAgentId?: number | null;
};

export function importForm({ file, headers, mapping, duplicates, assignedAgentId }: ImportRequest) {
  const form = new FormData();
  // Text fields first: the server reads the file as it streams in, after them.
  form.append('mapping', JSON.stringify(Object.fromEntries(headers.map((h, i) => [h, mapping[i] ?? '']))));
  form.append('duplicates', duplicates);
  if (assignedAgentId) form.append('assigned_agent_id', String(assignedAgentId));
  form.append('file', file);
  return form;
}

export const importLeads = (request: ImportRequest) =>
  apiRequest('/leads/import', { method: 'POST', body: importForm(request), schema: importResultSchema });

export function useImportLeads() {
  const queryClient = useQueryClient();
  return useMutation({ mutationFn: importLeads, onSuccess: () => queryClient.invalidateQueries({ queryKey: ['leads', 'list'] }) });
}
