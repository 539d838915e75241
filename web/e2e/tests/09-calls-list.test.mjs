import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { test } from 'node:test';
import { api, apiToken, demo, missingEndpoints, openBrowser, screenshot, signIn } from '../support.mjs';

/** The call ids the table shows, in order (each row's first cell links to the call). */
const shownIds = (page) =>
  page
    .getByRole('table')
    .locator('tbody tr td:first-child a')
    .evaluateAll((links) => links.map((a) => Number(a.getAttribute('href').split('/').pop())));

test('a manager lists calls, filters by outcome, sorts by a column and downloads the CSV export', async () => {
  assert.equal(await missingEndpoints('GET /calls', 'GET /calls/export.csv'), null);
  const token = await apiToken(demo.manager);
  // The demo data's most frequent outcome, so the filtered list has several rows to sort.
  const all = (await api('/calls/?page_size=100', { token })).json;
  const counts = new Map();
  for (const c of all.items) if (c.outcome) counts.set(c.outcome, (counts.get(c.outcome) ?? 0) + 1);
  const [outcome, count] = [...counts].sort((a, b) => b[1] - a[1])[0] ?? [];
  assert.ok(count >= 2, 'demo data has an outcome shared by several calls');
  const expected = (await api(`/calls/?outcome=${outcome}&sort=duration_seconds&page_size=25`, { token })).json.items.map((c) => c.id);

  const browser = await openBrowser();
  try {
    const { page } = browser;
    await signIn(page, demo.manager);
    await page.goto('/calls');
    const table = page.getByRole('table');
    await table.locator('tbody tr').first().waitFor();
    assert.equal((await shownIds(page)).length, Math.min(25, all.total), 'the first page of calls is listed');
    const started = table.getByRole('columnheader', { name: /Started/ });
    assert.equal(await started.getAttribute('aria-sort'), 'descending', 'newest first by default');

    await page.getByLabel('Outcome').selectOption(outcome);
    await page.waitForURL(new RegExp(`outcome=${outcome}`));
    await page.waitForFunction((n) => document.querySelectorAll('tbody tr').length === n, expected.length);

    const duration = table.getByRole('columnheader', { name: /Duration/ });
    await duration.getByRole('button').click();
    await page.waitForURL(/sort=-duration_seconds/);
    // The header re-renders just after the URL changes: wait for it rather than read it at once.
    const sortedBy = (order) => table.locator(`th[aria-sort="${order}"]`, { hasText: 'Duration' }).waitFor();
    await sortedBy('descending');
    await duration.getByRole('button').click();
    await page.waitForURL(/sort=duration_seconds/);
    await sortedBy('ascending');
    assert.equal(await started.getAttribute('aria-sort'), null);
    await page.waitForFunction((first) => document.querySelector('tbody tr td:first-child a')?.getAttribute('href') === `/calls/${first}`, expected[0]);
    assert.deepEqual(await shownIds(page), expected, 'the rows are the outcome’s calls, shortest first');

    // The URL keeps the order and the filter.
    await page.reload();
    await table.locator('tbody tr').first().waitFor();
    assert.equal(await table.getByRole('columnheader', { name: /Duration/ }).getAttribute('aria-sort'), 'ascending');
    assert.deepEqual(await shownIds(page), expected);
    await screenshot(page, 'calls-list-filtered-sorted');

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export CSV' }).click()]);
    assert.match(download.suggestedFilename(), /^calls-.*\.csv$/);
    const lines = (await readFile(await download.path(), 'utf8')).split('\r\n').filter(Boolean);
    assert.equal(lines[0], 'id,started_at,direction,caller,from_number,to_number,status,duration_seconds,outcome,sentiment,agent,lead,summary');
    assert.equal(lines.length - 1, expected.length, 'one row per call the list shows');
    assert.ok(lines[1].startsWith(`${expected[0]},`), `the first row is the first call listed: ${lines[1]}`);
    assert.ok(lines[1].includes(`,${outcome},`), 'the row carries the outcome filtered on');
  } finally {
    await browser.close();
  }
});
