/// <reference types="node" />
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

// Read from disk: Vitest runs with `css: false`, which empties CSS imports (even `?raw`).
const css = readFileSync(join(process.cwd(), 'src/index.css'), 'utf8'); // Vitest's root is web/

/**
 * The colour scheme lives in CSS variables: light in `:root`, dark in `@media (prefers-color-scheme: dark)`.
 * Every text/background pair the stylesheet uses must stay readable (WCAG AA, 4.5:1) in both.
 */
function variables(block: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of block.matchAll(/--([\w-]+):\s*(#[0-9a-fA-F]{3,6})\s*;/g)) out[m[1]!] = m[2]!;
  return out;
}

const lightBlock = /:root\s*\{([^}]*)\}/.exec(css)?.[1] ?? '';
const darkBlock = /@media\s*\(prefers-color-scheme:\s*dark\)\s*\{\s*:root\s*\{([^}]*)\}/.exec(css)?.[1] ?? '';
const light = variables(lightBlock);
const dark = { ...light, ...variables(darkBlock) };

function luminance(hex: string): number {
  const h = hex.length === 4 ? hex.replace(/^#(.)(.)(.)$/, '#$1$1$2$2$3$3') : hex;
  const [r, g, b] = [1, 3, 5].map((i) => {
    const c = parseInt(h.slice(i, i + 2), 16) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
}

const contrast = (a: string, b: string) => {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi! + 0.05) / (lo! + 0.05);
};

// [text, background] by variable name; '#fff' is the text colour on filled buttons.
const pairs: [string, string][] = [
  ['text', 'bg'], ['text', 'surface'], ['muted', 'surface'], ['muted', 'bg'], ['primary', 'surface'], ['primary', 'bg'],
  ['danger', 'surface'], ['#fff', 'primary-fill'], ['#fff', 'primary-dark'], ['#fff', 'danger-fill'],
  ['green', 'green-bg'], ['blue', 'blue-bg'], ['amber', 'amber-bg'], ['red', 'red-bg'], ['purple', 'purple-bg'],
  ['gray', 'gray-bg'], ['text', 'gray-bg'], ['text', 'blue-bg'], ['text', 'amber-bg'],
  ['purple', 'surface'], ['text', 'row-hover'], ['muted', 'gray-bg'], ['muted', 'row-hover'],
  // muted metadata inside tinted blocks: a transcript's agent turn (blue) and system note (amber)
  ['muted', 'blue-bg'], ['muted', 'amber-bg'],
];

// Chart marks are graphics, not text: WCAG 1.4.11 asks 3:1 against what they are drawn on (cards and the page).
const chartTokens = Array.from({ length: 10 }, (_, i) => `chart-${i + 1}`);
const chartPairs: [string, string][] = chartTokens.flatMap((c) => [[c, 'surface'], [c, 'bg']] as [string, string][]);

describe.each([
  ['light', light],
  ['dark', dark],
])('%s colour scheme', (_name, vars) => {
  const color = (v: string) => (v.startsWith('#') ? v : vars[v]);

  it('defines every colour it is checked on', () => {
    expect(pairs.flat().filter((v) => !color(v))).toEqual([]);
  });

  it.each(pairs)('%s on %s reads at 4.5:1 or more', (fg, bg) => {
    expect(contrast(color(fg)!, color(bg)!)).toBeGreaterThanOrEqual(4.5);
  });

  it.each(chartPairs)('chart colour %s on %s stands out at 3:1 or more', (fg, bg) => {
    expect(color(fg)).toBeDefined();
    expect(contrast(color(fg)!, color(bg)!)).toBeGreaterThanOrEqual(3);
  });
});

it('the dark scheme follows the system setting and changes the page colours', () => {
  expect(darkBlock).not.toBe('');
  expect(dark.bg).not.toBe(light.bg);
  expect(dark.surface).not.toBe(light.surface);
  expect(dark.text).not.toBe(light.text);
  expect(css).toMatch(/color-scheme:\s*light dark/);
});
