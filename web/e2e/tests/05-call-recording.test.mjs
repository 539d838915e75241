import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ensureCallWithRecording } from '../recordings.mjs';
import { apiToken, demo, missingEndpoints, openBrowser, screenshot, signIn } from '../support.mjs';

test('a call detail plays its recording', async () => {
  // A flow whose endpoints are missing fails: a skipped flow would pass while the product lacks it.
  assert.equal(await missingEndpoints('GET /calls', 'GET /calls/{id}', 'GET /calls/{id}/recording'), null);
  const call = await ensureCallWithRecording(await apiToken(demo.admin));
  assert.ok(call, 'a call with a recording exists or can be created through /webhooks/elevenlabs');

  const browser = await openBrowser({ extraArgs: ['--autoplay-policy=no-user-gesture-required'] });
  try {
    const { page } = browser;
    await signIn(page, demo.admin);
    await page.goto(`/calls/${call.id}`);
    await page.getByRole('list', { name: 'Transcript' }).or(page.getByText('No transcript')).first().waitFor();
    await page.getByRole('button', { name: /Load recording/ }).click();
    const audio = page.getByTestId('call-recording');
    await audio.waitFor();
    const state = await audio.evaluate(
      (el) =>
        new Promise((resolve, reject) => {
          const done = () => resolve({ duration: el.duration, seekable: el.seekable.length > 0 ? el.seekable.end(0) : 0 });
          if (el.readyState >= 3) return done();
          el.addEventListener('canplay', done, { once: true });
          el.addEventListener('error', () => reject(new Error(`audio error ${el.error?.code}`)), { once: true });
          setTimeout(() => reject(new Error('no canplay within 15 s')), 15_000);
        }),
    );
    assert.ok(state.duration > 0, 'the recording has a duration');
    assert.ok(state.seekable > 0, 'the recording is seekable');
    // Seek half-way and play: the position moves.
    const moved = await audio.evaluate(async (el) => {
      el.muted = true;
      el.currentTime = el.duration / 2;
      await el.play();
      await new Promise((r) => setTimeout(r, 400));
      el.pause();
      return el.currentTime;
    });
    assert.ok(moved > state.duration / 2 - 0.1);
    await screenshot(page, 'call-detail-recording');
  } finally {
    await browser.close();
  }
});
