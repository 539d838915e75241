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

test('a manager reschedules a showing (a clash shows on the field) and sets an agent working hours from the calendar', async () => {
  assert.equal(await missingEndpoints('POST /showings/{id}/reschedule', 'GET /agents/{id}/working-hours', 'PUT /agents/{id}/working-hours'), null);
  const token = await apiToken(demo.manager);
  const lead = (await api('/leads/?page_size=1', { token })).json.items[0];
  const property = (await api('/properties/?page_size=1&status=active', { token })).json.items[0];
  // Two showings a day apart, past the demo's; moving the first onto the second clashes (same property). The list is
  // filtered to the first's day, so its row is the only one.
  const start = new Date(Date.now() + 47 * 86_400_000);
  start.setUTCHours(15, Number(String(Date.now()).slice(-2)) % 50, 0, 0);
  const later = new Date(start.getTime() + 86_400_000);
  const book = (at) => api('/showings/', { token, method: 'POST', body: { lead_id: lead.id, property_id: property.id, starts_at: at.toISOString() } });
  const first = await book(start);
  assert.equal(first.status, 201, first.text);
  const second = await book(later);
  assert.equal(second.status, 201, second.text);
  const agentId = first.json.agent_id;
  const hoursBefore = (await api(`/agents/${agentId}/working-hours`, { token })).json.days;
  const day = start.toISOString().slice(0, 10);
  // datetime-local takes local wall time in the browser's zone; the page and this script share the machine's zone.
  const local = (d) => new Date(d.getTime() - d.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);

  const browser = await openBrowser();
  try {
    const { page, errors } = browser;
    await signIn(page, demo.manager);
    await page.goto(`/showings?from=${day}&to=${day}`);
    const row = page.getByRole('row').filter({ hasText: property.address });
    await row.getByRole('button', { name: /^Reschedule showing/ }).click();
    const dialog = page.getByRole('dialog', { name: 'Reschedule showing' });
    const field = dialog.getByLabel('New date and time');
    await field.fill(local(later));
    await dialog.getByRole('button', { name: 'Reschedule' }).click();
    await dialog.locator('.field-error').waitFor();
    assert.match(await dialog.locator('.field-error').textContent(), /already has a showing at that time/);
    assert.equal(await field.getAttribute('aria-invalid'), 'true');
    await screenshot(page, 'showing-reschedule-clash');

    const free = new Date(later.getTime() + 2 * 3_600_000);
    await field.fill(local(free));
    await dialog.getByRole('button', { name: 'Reschedule' }).click();
    await dialog.waitFor({ state: 'detached' });
    const moved = (await api(`/showings/${first.json.id}`, { token })).json;
    assert.equal(moved.status, 'rescheduled');
    assert.equal(new Date(moved.starts_at).getTime(), free.getTime());

    await page.goto(`/calendar?agent=${agentId}&week=${day}`);
    await page.getByText('Rescheduled').first().waitFor();
    const form = page.getByRole('form', { name: 'Working hours' });
    const monday = form.getByRole('group', { name: 'Monday' });
    if (await monday.getByLabel('Monday off').isChecked()) await monday.getByLabel('Monday off').uncheck();
    await monday.getByLabel('Monday starts').fill('10:00');
    await monday.getByLabel('Monday ends').fill('09:00');
    await form.getByRole('button', { name: 'Save working hours' }).click();
    await monday.getByText('End must be after start').waitFor();
    await monday.getByLabel('Monday ends').fill('16:00');
    await form.getByRole('button', { name: 'Save working hours' }).click();
    await form.getByText('Working hours saved.').waitFor();
    await screenshot(page, 'agent-working-hours');
    const saved = (await api(`/agents/${agentId}/working-hours`, { token })).json.days;
    assert.deepEqual(saved.find((d) => d.day === 'monday'), { day: 'monday', starts: '10:00', ends: '16:00' });
    assert.deepEqual(errors, []);
  } finally {
    await browser.close();
    // Other flows book at any hour: the agent's week goes back to what it was.
    await api(`/agents/${agentId}/working-hours`, { token, method: 'PUT', body: { days: hoursBefore } });
    await api(`/showings/${first.json.id}/cancel`, { token, method: 'POST' });
    await api(`/showings/${second.json.id}/cancel`, { token, method: 'POST' });
  }
});
