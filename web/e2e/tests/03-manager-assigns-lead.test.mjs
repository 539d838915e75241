import assert from 'node:assert/strict';
import { test } from 'node:test';
import { api, apiToken, demo, missingEndpoints, openBrowser, screenshot, signIn, signOut } from '../support.mjs';

test('a manager assigns a lead and the agent sees it', async () => {
  // A flow whose endpoints are missing fails: a skipped flow would pass while the product lacks it.
  assert.equal(await missingEndpoints('GET /leads', 'GET /leads/{id}', 'POST /leads/{id}/assign', 'GET /users/agents'), null);

  // A lead the agent cannot see yet: unassigned or someone else's.
  const managerToken = await apiToken(demo.manager);
  const agentToken = await apiToken(demo.agent);
  const me = (await api('/auth/me', { token: agentToken })).json;
  const all = (await api('/leads/?page_size=100', { token: managerToken })).json;
  const lead = all.items.find((l) => l.assigned_agent_id !== me.id);
  assert.ok(lead, 'demo data has a lead outside the agent’s list');

  const browser = await openBrowser();
  try {
    const { page } = browser;
    await signIn(page, demo.manager);
    await page.goto(`/leads/${lead.id}`);
    await page.getByRole('heading', { level: 1, name: lead.name }).waitFor();
    const form = page.getByRole('form', { name: 'Assign lead' });
    await form.getByLabel('Assigned agent').selectOption({ label: me.name });
    await form.getByRole('button', { name: 'Assign' }).click();
    await page.getByText('Lead assigned.').waitFor();
    await screenshot(page, 'lead-assigned');
    await signOut(page);

    await signIn(page, demo.agent);
    await page.goto('/leads');
    await page.getByRole('link', { name: lead.name }).first().waitFor();
    await screenshot(page, 'agent-sees-assigned-lead');
    await page.getByRole('link', { name: lead.name }).first().click();
    await page.getByRole('heading', { level: 1, name: lead.name }).waitFor();
    // Agents never get the assignment form.
    assert.equal(await page.getByRole('form', { name: 'Assign lead' }).count(), 0);
    await screenshot(page, 'lead-detail-agent');
  } finally {
    await browser.close();
  }
});
