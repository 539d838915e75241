// Showings that respect agents (issue 15): a manager books a showing, downloads its calendar invite, cancels it
// (confirming), undoes the cancellation from the toast, and the agent's calendar shows it; on the real server.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { test } from 'node:test';
import { api, apiToken, demo, missingEndpoints, openBrowser, screenshot, signIn } from '../support.mjs';

test('a manager downloads a showing invite, cancels the showing and undoes it; the agent calendar lists it', async () => {
  assert.equal(
    await missingEndpoints(
      'POST /showings',
      'POST /showings/{id}/cancel',
      'POST /showings/{id}/restore',
      'GET /showings/{id}/invite.ics',
      'GET /agents/{id}/calendar',
      'PUT /agents/{id}/working-hours',
    ),
    null,
  );
  const token = await apiToken(demo.manager);
  const lead = (await api('/leads/?page_size=1&status=qualified', { token })).json.items[0] ?? (await api('/leads/?page_size=1', { token })).json.items[0];
  const property = (await api('/properties/?page_size=1&status=active', { token })).json.items[0];
  // A day well past the demo's showings, at a minute no other flow picks, so neither the property nor the agent is busy.
  const start = new Date(Date.now() + 45 * 86_400_000);
  start.setUTCHours(16, Number(String(Date.now()).slice(-2)) % 50, 0, 0);
  const booked = await api('/showings/', { token, method: 'POST', body: { lead_id: lead.id, property_id: property.id, starts_at: start.toISOString() } });
  assert.equal(booked.status, 201, booked.text);
  const showing = booked.json;
  const day = start.toISOString().slice(0, 10);

  const browser = await openBrowser();
  try {
    const { page, errors } = browser;
    await signIn(page, demo.manager);
    await page.goto(`/showings?from=${day}&to=${day}`);
    const row = page.getByRole('row').filter({ hasText: lead.name }).filter({ hasText: property.address });
    await row.getByText('Scheduled').waitFor();

    const [download] = await Promise.all([page.waitForEvent('download'), row.getByRole('button', { name: /Download invite/ }).click()]);
    assert.equal(download.suggestedFilename(), `showing-${showing.id}.ics`);
    const ics = await readFile(await download.path(), 'utf8');
    assert.match(ics, /BEGIN:VCALENDAR/);
    assert.match(ics, new RegExp(`UID:showing-${showing.id}@estate-voice`));
    assert.match(ics, /METHOD:REQUEST/);

    page.once('dialog', (dialog) => {
      assert.match(dialog.message(), /^Cancel the showing on /);
      void dialog.accept();
    });
    await row.getByRole('button', { name: /^Cancel showing/ }).click();
    const toast = page.getByRole('status').filter({ hasText: 'canceled' });
    await toast.waitFor();
    await row.getByText('Canceled').waitFor();
    await screenshot(page, 'showing-canceled-undo');
    assert.equal((await api(`/showings/${showing.id}`, { token })).json.status, 'canceled');

    await toast.getByRole('button', { name: 'Undo' }).click();
    await row.getByText('Scheduled').waitFor();
    await toast.waitFor({ state: 'detached' });
    assert.equal((await api(`/showings/${showing.id}`, { token })).json.status, 'scheduled');

    const calendar = await api(`/agents/${showing.agent_id}/calendar?from=${day}&to=${day}`, { token });
    assert.equal(calendar.status, 200, calendar.text);
    assert.ok(calendar.json.showings.some((s) => s.id === showing.id));
    assert.deepEqual(errors, []);
  } finally {
    await browser.close();
    await api(`/showings/${showing.id}/cancel`, { token, method: 'POST' });
  }
});
