import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ensureCallWithRecording } from '../recordings.mjs';
import { apiToken, demo, missingEndpoints, openBrowser, screenshot, signIn } from '../support.mjs';

test('a turn clicked on the call page plays the recording from that turn, which is highlighted', async () => {
  assert.equal(await missingEndpoints('GET /calls', 'GET /calls/{id}', 'GET /calls/{id}/recording'), null);
  const call = await ensureCallWithRecording(await apiToken(demo.admin));
  assert.ok(call, 'a call with a recording exists or can be created through /webhooks/elevenlabs');

  const browser = await openBrowser({ extraArgs: ['--autoplay-policy=no-user-gesture-required'] });
  try {
    const { page } = browser;
    await signIn(page, demo.admin);
    await page.goto(`/calls/${call.id}`);
    const transcript = page.getByRole('list', { name: 'Transcript' });
    await transcript.waitFor();
    const turns = transcript.getByRole('listitem');
    // The caller's turn, 3 s into the call (the webhook's time_in_call_secs).
    const turn = turns.filter({ hasText: 'three bedroom house' }).first();
    const offsetMs = 3000;
    await turn.getByRole('button', { name: /^Play from/ }).click();

    const audio = page.getByTestId('call-recording');
    await audio.waitFor();
    await page.waitForFunction(
      (min) => {
        const el = document.querySelector('[data-testid="call-recording"]');
        return el && el.readyState >= 1 && el.currentTime >= min;
      },
      (offsetMs - 100) / 1000,
      { timeout: 15_000 },
    );
    const position = await audio.evaluate((el) => {
      el.pause();
      return el.currentTime;
    });
    assert.ok(position >= 2.9 && position < 4.8, `the audio is at the turn's offset (${position} s)`);
    assert.equal(await turn.getAttribute('aria-current'), 'true', 'the turn playing is highlighted');
    assert.equal(await turns.first().getAttribute('aria-current'), null, 'only that turn is highlighted');
    await screenshot(page, 'call-review-turn-playing');
  } finally {
    await browser.close();
  }
});
