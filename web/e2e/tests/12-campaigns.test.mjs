// Campaigns: a manager creates a campaign, starts it (confirming) and follows it on its detail page. The scripted
// flow always runs; the real-server flow runs once the server has the campaigns API and answers its GETs as JSON.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { installScriptedApi } from '../scripted-api.mjs';
import { api, apiToken, baseUrl, demo, missingEndpoints, openBrowser, screenshot, signIn } from '../support.mjs';

async function createAndStart(page, name) {
  await page.goto('/campaigns');
  await page.getByRole('link', { name: 'New campaign' }).click();
  const form = page.getByRole('form', { name: 'New campaign' });
  await form.getByLabel('Name', { exact: true }).fill(name);
  await form.getByLabel('Goal').fill('Following up on your home search');
  return form;
}

async function startFromDetail(page) {
  page.once('dialog', (dialog) => {
    assert.match(dialog.message(), /^Start “/);
    void dialog.accept();
  });
  await page.getByRole('button', { name: 'Start' }).click();
  await page.getByRole('button', { name: 'Pause' }).waitFor();
}

test('scripted: a manager creates a campaign from filters, starts it and watches its progress and lead results', async () => {
  const browser = await openBrowser();
  try {
    const { page, errors } = browser;
    await installScriptedApi(browser.context);
    await signIn(page, demo.manager);
    const form = await createAndStart(page, 'E2E spring buyers');
    const statuses = form.getByRole('group', { name: 'Statuses' });
    await statuses.getByLabel('New').check();
    await statuses.getByLabel('Contacted').check();
    await form.getByLabel('Max attempts').fill('2');
    await screenshot(page, 'campaign-new');
    await form.getByRole('button', { name: 'Create campaign' }).click();
    await page.getByRole('heading', { level: 1, name: 'E2E spring buyers' }).waitFor();
    assert.match(page.url(), /\/campaigns\/\d+$/);
    await page.getByText('The leads are chosen when the campaign starts').waitFor();

    await startFromDetail(page);
    // Counters move by themselves while it runs (the page refetches every few seconds).
    const dialed = page.getByLabel('Progress').locator('.stat', { hasText: 'Dialed' }).locator('.stat-value');
    await page.waitForFunction((el) => Number(el.textContent) >= 2, await dialed.elementHandle(), { timeout: 15_000 });
    const table = page.getByRole('table', { name: 'Campaign leads' });
    await table.getByText('On the do-not-call list').waitFor();
    await table.getByRole('link', { name: /^Call #\d+$/ }).first().waitFor();
    await screenshot(page, 'campaign-detail-running');

    await page.getByLabel('Lead state').selectOption('skipped');
    await page.waitForFunction(() => document.querySelectorAll('table[aria-label="Campaign leads"] tbody tr').length === 1);
    await page.goto('/campaigns');
    await page.getByRole('table', { name: 'Campaigns' }).getByRole('link', { name: 'E2E spring buyers' }).waitFor();
    assert.deepEqual(errors, []);
  } finally {
    await browser.close();
  }
});

test('a manager creates a campaign for one lead on the real server, starts it and sees it running', async () => {
  assert.equal(await missingEndpoints('POST /campaigns', 'GET /campaigns/{id}', 'POST /campaigns/{id}/start', 'GET /campaigns/{id}/leads'), null);
  const token = await apiToken(demo.manager);
  const probe = await fetch(`${baseUrl}/campaigns/`, { headers: { Accept: 'application/json', Authorization: `Bearer ${token}` } });
  assert.match(probe.headers.get('content-type') ?? '', /json/, 'GET /campaigns must reach the API, not the web app');
  const lead = (await api('/leads/?page_size=1', { token })).json.items[0];
  const browser = await openBrowser();
  try {
    const { page } = browser;
    await signIn(page, demo.manager);
    const form = await createAndStart(page, `E2E real ${String(Date.now()).slice(-5)}`);
    await form.getByLabel('Choose leads by').selectOption('ids');
    await form.getByLabel('Find leads').fill(lead.name);
    await form.getByRole('button', { name: `Add ${lead.name}` }).first().click();
    await form.getByRole('button', { name: 'Create campaign' }).click();
    await page.getByRole('button', { name: 'Start' }).waitFor();
    const id = Number(page.url().split('/').pop());
    await startFromDetail(page);
    const saved = (await api(`/campaigns/${id}`, { token })).json;
    assert.equal(saved.state, 'running');
    assert.deepEqual(saved.leads.lead_ids, [lead.id]);
    await page.getByRole('table', { name: 'Campaign leads' }).getByRole('link', { name: lead.name }).waitFor();
    await screenshot(page, 'campaign-detail-real');
    await api(`/campaigns/${id}/stop`, { token, method: 'POST' });
  } finally {
    await browser.close();
  }
});
