import assert from 'node:assert/strict';
import { test } from 'node:test';
import { demo, endpointExists, openBrowser, screenshot, signIn } from '../support.mjs';

// The simulated call is a browser test call (the same voice pipeline a phone call runs, minus Twilio) placed by an
// agent while a manager watches the live monitor in another browser.
test("the live monitor shows a simulated call's transcript as it happens", async () => {
  assert.ok(await endpointExists('/hubs/calls/negotiate?negotiateVersion=1', 'POST'), 'server lacks the /hubs/calls SignalR hub');
  assert.ok(await endpointExists('/voice/browser'), 'server lacks WS /voice/browser');

  const monitor = await openBrowser();
  const caller = await openBrowser();
  try {
    const { page } = monitor;
    await signIn(page, demo.manager);
    await page.goto('/live');
    await page.getByTestId('hub-status').getByText('Live', { exact: true }).waitFor({ timeout: 15_000 });
    await screenshot(page, 'live-monitor-waiting');

    await signIn(caller.page, demo.agent);
    await caller.page.goto('/test-call');
    await caller.page.getByRole('button', { name: 'Start without microphone' }).click();
    await caller.page.getByTestId('call-status').getByText('Connected').waitFor();

    // The call appears and the agent's greeting shows up on the monitor.
    const transcript = page.getByTestId('live-transcript');
    await transcript.locator('.turn-agent').first().waitFor({ timeout: 20_000 });
    await caller.page.getByLabel('Type a message').fill("I'm looking for a three bedroom house in Austin");
    await caller.page.getByRole('button', { name: 'Send' }).click();
    await transcript.getByText(/three bedroom house in Austin/i).first().waitFor({ timeout: 20_000 });
    await transcript.locator('.turn-agent').nth(1).waitFor({ timeout: 30_000 });
    assert.ok((await transcript.getByRole('listitem').count()) >= 3);
    await screenshot(page, 'live-monitor-transcript');

    await caller.page.getByRole('button', { name: 'Hang up' }).click();
    await page.getByText('No calls right now').waitFor({ timeout: 20_000 });
  } finally {
    await caller.close();
    await monitor.close();
  }
});
