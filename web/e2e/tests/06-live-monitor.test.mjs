import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { baseUrl, demo, endpointExists, missingEndpoints, openBrowser, repoRoot, screenshot, signIn } from '../support.mjs';

function simulatorCommand() {
  for (const config of ['Release', 'Debug']) {
    const dll = join(repoRoot, 'tools/CallSimulator/bin', config, 'net10.0/EstateVoice.CallSimulator.dll');
    if (existsSync(dll)) return ['dotnet', [dll]];
  }
  return ['dotnet', ['run', '--project', join(repoRoot, 'tools/CallSimulator'), '--']];
}

test("the live monitor shows a simulated call's transcript as it happens", async (t) => {
  const missing = await missingEndpoints('GET /calls');
  if (missing) return t.skip(`pending: ${missing}`);
  if (!(await endpointExists('/hubs/calls/negotiate?negotiateVersion=1', 'POST'))) return t.skip('pending: server lacks the /hubs/calls SignalR hub');
  if (!(await endpointExists('/twilio/webhook', 'POST'))) return t.skip('pending: server lacks POST /twilio/webhook');

  const browser = await openBrowser();
  let simulator;
  try {
    const { page } = browser;
    await signIn(page, demo.manager);
    await page.goto('/live');
    await page.getByTestId('hub-status').getByText('Live').waitFor({ timeout: 15_000 });

    const [cmd, args] = simulatorCommand();
    simulator = spawn(cmd, [...args, '--url', baseUrl, '@/work/shared/fixtures/audio/buyer-intent.wav', '@/work/shared/fixtures/audio/goodbye.wav'], {
      cwd: repoRoot,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    simulator.stdout.on('data', (d) => (output += d));
    simulator.stderr.on('data', (d) => (output += d));

    const transcript = page.getByTestId('live-transcript');
    await transcript.getByRole('listitem').first().waitFor({ timeout: 30_000 });
    await screenshot(page, 'live-monitor-call');
    // The agent greets first, then the caller's words appear while the call is still going.
    await transcript.getByText(/bedroom|Austin/i).first().waitFor({ timeout: 45_000 }).catch((e) => {
      throw new Error(`${e.message}\nsimulator output:\n${output}`);
    });
    assert.ok((await transcript.getByRole('listitem').count()) >= 2);
    await screenshot(page, 'live-monitor-transcript');
  } finally {
    if (simulator && simulator.exitCode === null) simulator.kill('SIGTERM');
    await browser.close();
  }
});
