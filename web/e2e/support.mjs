// Shared helpers for the end-to-end flows: Debian's Chromium via playwright-core, sign-in, API calls, screenshots.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

export const baseUrl = process.env.E2E_BASE_URL ?? 'http://127.0.0.1:8000';
export const repoRoot = process.env.E2E_REPO_ROOT ?? resolve(dirname(fileURLToPath(import.meta.url)), '../..');
/** The caller-audio fixtures kept in the repository. */
export const fixtureAudioDir = join(repoRoot, 'tests', 'fixtures', 'audio');
export const screenshotDir = resolve(dirname(fileURLToPath(import.meta.url)), '../test-results/screenshots');
export const demoPassword = process.env.DEMO_PASSWORD ?? 'password';
export const demo = {
  admin: 'admin@example.com',
  manager: 'manager@example.com',
  agent: 'agent@example.com',
  agent2: 'agent2@example.com',
};

const chromiumArgs = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage',
];

/** A fresh Chromium profile (own --user-data-dir) per flow; never downloads a browser. */
export async function openBrowser({ extraArgs = [], viewport = { width: 1280, height: 860 } } = {}) {
  const userDataDir = mkdtempSync(join(tmpdir(), 'estate-chromium-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: [...chromiumArgs, ...extraArgs],
    viewport,
    baseURL: baseUrl,
  });
  context.setDefaultTimeout(15_000);
  const page = context.pages()[0] ?? (await context.newPage());
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  return {
    context,
    page,
    errors,
    close: async () => {
      await context.close();
      rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}

export async function screenshot(page, name) {
  await page.screenshot({ path: join(screenshotDir, `${name}.png`), fullPage: true });
}

/** Signs in through the login form, as a person would. */
export async function signIn(page, email, password = demoPassword) {
  await page.goto('/login');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('button', { name: 'Sign out' }).waitFor();
}

export async function signOut(page) {
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.getByRole('form', { name: 'Sign in' }).waitFor();
}

export async function apiToken(email, password = demoPassword) {
  const r = await fetch(`${baseUrl}/auth/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ email, password }),
  });
  if (!r.ok) throw new Error(`login ${email} failed: ${r.status}`);
  return (await r.json()).access_token;
}

export async function api(path, { token, method = 'GET', body } = {}) {
  const r = await fetch(`${baseUrl}${path}`, {
    method,
    headers: {
      Accept: 'application/json',
      ...(token ? { Authorization: `Bearer ${token}` } : {}),
      ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await r.text();
  let json;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  return { status: r.status, json, text };
}

let openApi;
/** The server's OpenAPI paths, to tell which endpoints exist on this build. */
export async function serverPaths() {
  openApi ??= await fetch(`${baseUrl}/openapi/v1.json`).then((r) => (r.ok ? r.json() : { paths: {} }));
  return openApi.paths ?? {};
}

/**
 * The reason a flow cannot run yet (an endpoint it needs is not on this server), or null. Paths are compared
 * without trailing slashes and with any {param} name.
 */
export async function missingEndpoints(...required) {
  const paths = await serverPaths();
  const norm = (p) => p.replace(/\/$/, '').replace(/\{[^}]+\}/g, '{}');
  const have = new Map(Object.entries(paths).map(([p, ops]) => [norm(p), Object.keys(ops).map((m) => m.toLowerCase())]));
  const missing = required.filter((r) => {
    const [method, path] = r.split(' ');
    return !(have.get(norm(path)) ?? []).includes(method.toLowerCase());
  });
  return missing.length ? `server lacks ${missing.join(', ')}` : null;
}

/** Whether a non-OpenAPI endpoint (WebSocket, SignalR hub) exists: 404 with a valid token means it does not. */
export async function endpointExists(path, method = 'GET') {
  const token = await apiToken(demo.admin);
  const r = await fetch(`${baseUrl}${path}`, { method, headers: { Authorization: `Bearer ${token}` } });
  return r.status !== 404 && r.status !== 405;
}

export async function navLabels(page) {
  return page.getByRole('navigation', { name: 'Main' }).getByRole('link').allTextContents();
}

/**
 * Chromium's fake microphone reads PCM WAV only; the caller fixtures are G.711 mu-law, so hand it a 16-bit copy.
 */
export function pcmFixture(name, { silenceBeforeSeconds = 0.3 } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'estate-mic-'));
  const out = join(dir, `${name}.wav`);
  // Chromium loops the file: a second and a half of silence after the words lets the turn end between repeats.
  // A conversation test lets the caller listen to the greeting first (speech over the agent pauses it within ~45 ms,
  // so a caller talking from the first second would cut every reply short).
  execFileSync('sox', [join(fixtureAudioDir, `${name}.wav`), '-e', 'signed-integer', '-b', '16', '-r', '16000', out, 'pad', String(silenceBeforeSeconds), '1.5']);
  return out;
}
