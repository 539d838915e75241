// Prints the gzip size of every JS chunk, of the initial load (the entry script plus what index.html preloads) and
// of each page's first load, and fails when any of them passes the budget. `npm test` (hence `make test`) runs it
// after a fresh `vite build` (`npm run size`).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

// The build to measure: web/dist by default; `npm run size` builds into its own folder so it never rewrites the
// dist a running server (the e2e flows) is serving.
const dist = new URL(`../${process.argv[2] ?? 'dist'}/`, import.meta.url).pathname;
const budgetKb = Number(process.env.INITIAL_JS_BUDGET_KB ?? 250);
const kb = (bytes) => (bytes / 1024).toFixed(1);
const gz = (file) => gzipSync(readFileSync(join(dist, file)), { level: 9 }).length;

const html = readFileSync(join(dist, 'index.html'), 'utf8');
const initial = [...html.matchAll(/(?:src|href)="\/(assets\/[^"]+\.js)"/g)].map((m) => m[1]);
const chunks = readdirSync(join(dist, 'assets'))
  .filter((f) => f.endsWith('.js'))
  .map((f) => ({ file: `assets/${f}`, gzip: gz(`assets/${f}`) }))
  .sort((a, b) => b.gzip - a.gzip);

console.log('JS chunks (gzip):');
for (const c of chunks) console.log(`  ${kb(c.gzip).padStart(7)} kB  ${c.file}${initial.includes(c.file) ? '  (initial)' : ''}`);
const initialGzip = initial.reduce((sum, f) => sum + gz(f), 0);
const totalGzip = chunks.reduce((sum, c) => sum + c.gzip, 0);
console.log(`Initial JS: ${kb(initialGzip)} kB gzip (budget ${budgetKb} kB); all JS: ${kb(totalGzip)} kB gzip in ${chunks.length} chunks`);

const overBudget = [];
// First load per page: entry + the page's chunk + everything they import statically (from Vite's manifest).
const manifestPath = join(dist, '.vite/manifest.json');
// Without the manifest the per-page check would silently pass: treat it as a failure (build.manifest in vite.config.ts).
if (!existsSync(manifestPath)) overBudget.push('dist/.vite/manifest.json is missing, so no page could be checked');
else {
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
  const closure = (key, seen = new Set()) => {
    if (seen.has(key) || !manifest[key]) return seen;
    seen.add(key);
    for (const dep of manifest[key].imports ?? []) closure(dep, seen);
    return seen;
  };
  const entryKey = Object.keys(manifest).find((k) => manifest[k].isEntry);
  console.log('First load per page (entry + page chunk + static imports, gzip):');
  for (const key of Object.keys(manifest).filter((k) => k.startsWith('src/app/routes/')).sort()) {
    const files = new Set([...closure(entryKey), ...closure(key)].map((k) => manifest[k].file));
    const size = [...files].reduce((sum, f) => sum + gz(f), 0);
    console.log(`  ${kb(size).padStart(7)} kB  ${key.replace('src/app/routes/', '')}`);
    if (size > budgetKb * 1024) overBudget.push(`${key} first load ${kb(size)} kB`);
  }
}
for (const o of overBudget) console.error(`Over the ${budgetKb} kB budget: ${o}`);
if (overBudget.length) process.exit(1);
if (initialGzip > budgetKb * 1024) {
  console.error(`Initial JS ${kb(initialGzip)} kB exceeds the ${budgetKb} kB budget`);
  process.exit(1);
}
