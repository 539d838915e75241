import assert from 'node:assert/strict';
import { test } from 'node:test';
import { api, apiToken, demo, missingEndpoints, openBrowser, screenshot, signIn } from '../support.mjs';

test('a manager creates a lead from the Leads page and imports a CSV', async () => {
  assert.equal(await missingEndpoints('POST /leads', 'POST /leads/import', 'GET /leads/{id}'), null);
  const suffix = String(Date.now()).slice(-4);
  const browser = await openBrowser();
  try {
    const { page } = browser;
    await signIn(page, demo.manager);
    await page.goto('/leads');
    await page.getByRole('link', { name: 'New lead' }).click();
    const form = page.getByRole('form', { name: 'New lead' });
    await form.getByLabel(/^Name/).fill(`E2E Buyer ${suffix}`);
    await form.getByLabel(/^Phone/).fill(`(512) 555-${suffix}`);
    await form.getByLabel('Intent').selectOption('buy');
    await form.getByLabel('Consented to be called').check();
    await screenshot(page, 'new-lead-form');
    await form.getByRole('button', { name: 'Create lead' }).click();
    await page.getByRole('heading', { level: 1, name: `E2E Buyer ${suffix}` }).waitFor();
    const id = page.url().split('/').pop();
    const lead = (await api(`/leads/${id}`, { token: await apiToken(demo.manager) })).json;
    assert.equal(lead.phone, `+1512555${suffix}`);
    assert.ok(lead.consent_at);

    await page.goto('/leads/import');
    await page.getByLabel('CSV file with a header row').setInputFiles({
      name: 'leads.csv', mimeType: 'text/csv',
      buffer: Buffer.from(`Full Name,Mobile\nE2E Import ${suffix},512 555 ${suffix}\nNo Phone,\n`),
    });
    assert.equal(await page.getByLabel('Column “Mobile”').inputValue(), 'phone');
    await page.getByRole('button', { name: 'Import' }).click();
    await page.getByRole('table', { name: 'Rows with errors' }).waitFor();
    await page.getByText(/2 rows read: 0 created, 0 merged, 1 skipped, 1 with errors/).waitFor();
    await screenshot(page, 'lead-import-result');
  } finally {
    await browser.close();
  }
});
