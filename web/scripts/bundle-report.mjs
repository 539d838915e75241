// Prints the gzip size of every JS chunk and of the initial load (the entry script plus what index.html preloads),
// and fails when the initial load passes the budget.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

const dist = new URL('../dist/', import.meta.url).pathname;
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
if (initialGzip > budgetKb * 1024) {
  console.error(`Initial JS ${kb(initialGzip)} kB exceeds the ${budgetKb} kB budget`);
  process.exit(1);
}
