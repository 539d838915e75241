import assert from 'node:assert/strict';
import { test } from 'node:test';
import { demo, endpointExists, openBrowser, pcmFixture, screenshot, signIn } from '../support.mjs';

test("the test-call page talks to the agent with Chromium's fake microphone", async () => {
  assert.ok(await endpointExists('/voice/browser'), 'server lacks WS /voice/browser');
  const browser = await openBrowser({
    extraArgs: [
      '--use-fake-ui-for-media-stream',
      '--use-fake-device-for-media-stream',
      `--use-file-for-fake-audio-capture=${pcmFixture('buyer-intent', { silenceBeforeSeconds: 4.5 })}`,
      '--autoplay-policy=no-user-gesture-required',
    ],
  });
  try {
    const { page, context } = browser;
    await context.grantPermissions(['microphone']);
    await signIn(page, demo.agent);
    await page.goto('/test-call');
    const frames = [];
    const received = [];
    page.on('websocket', (ws) => {
      if (!ws.url().includes('/voice/browser')) return;
      ws.on('framesent', (f) => frames.push(String(f.payload)));
      ws.on('framereceived', (f) => received.push(JSON.parse(String(f.payload))));
    });
    await page.getByRole('button', { name: /Start call/ }).click();
    await page.getByTestId('call-status').getByText('Connected').waitFor();
    const conversation = page.getByTestId('test-call-transcript');
    // The agent speaks first (text on screen, audio through the speaker)...
    await conversation.locator('.turn-agent').first().waitFor({ timeout: 20_000 });
    // ...then answers what the fake microphone said, once the server has speech-to-text.
    const heard = await conversation
      .getByText(/bedroom|Austin|house/i)
      .first()
      .waitFor({ timeout: 30_000 })
      .then(() => true, () => false);
    await screenshot(page, 'test-call-conversation');

    const sent = frames.map((f) => JSON.parse(f));
    assert.equal(sent[0].event, 'connected');
    assert.equal(sent[1].event, 'start');
    const media = sent.filter((m) => m.event === 'media');
    assert.ok(media.length > 25, 'the microphone streamed audio');
    assert.ok(media.every((m) => Buffer.from(m.media.payload, 'base64').length === 160), '20 ms mu-law frames');

    assert.ok(received.some((m) => m.event === 'media'), 'the agent sent audio');
    assert.ok(frames.some((f) => f.includes('"event":"mark"')), 'marks echoed after the agent audio played');

    // Without speech-to-text the agent hangs up on a silent caller by itself; otherwise the caller hangs up.
    const hangUp = page.getByRole('button', { name: 'Hang up' });
    if (await hangUp.isVisible()) await hangUp.click();
    await page.getByTestId('call-status').getByText('Call ended').waitFor();
    assert.ok(heard, 'the agent answered what the fake microphone said (speech-to-text heard the caller)');
  } finally {
    await browser.close();
  }
});

test('the test-call page falls back to typing', async () => {
  assert.ok(await endpointExists('/voice/browser'), 'server lacks WS /voice/browser');
  const browser = await openBrowser();
  try {
    const { page } = browser;
    await signIn(page, demo.agent);
    await page.goto('/test-call');
    await page.getByRole('button', { name: 'Start without microphone' }).click();
    await page.getByTestId('call-status').getByText('Connected').waitFor();
    await page.getByLabel('Type a message').fill("I'm looking for a three bedroom house in Austin");
    await page.getByRole('button', { name: 'Send' }).click();
    const conversation = page.getByTestId('test-call-transcript');
    await conversation.locator('.turn-agent').first().waitFor({ timeout: 30_000 });
    await screenshot(page, 'test-call-typed');

    // Hung up, the page links to the saved call, whose post-call analysis arrives there without a reload.
    await page.getByRole('button', { name: 'Hang up' }).click();
    await page.getByTestId('call-status').getByText('Call ended').waitFor();
    await page.getByRole('link', { name: 'View the call' }).click();
    await page.getByRole('heading', { name: /Call with/ }).waitFor();
    await page.evaluate(() => { window.__sameDocument = true; });
    await page.getByText('What the caller said').waitFor({ timeout: 30_000 });
    assert.equal(await page.evaluate(() => window.__sameDocument), true, 'the analysis appeared without reloading the page');
    await screenshot(page, 'test-call-analysed');
  } finally {
    await browser.close();
  }
});
