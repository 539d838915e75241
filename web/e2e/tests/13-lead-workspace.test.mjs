import assert from 'node:assert/strict';
import { test } from 'node:test';
import { api, apiToken, demo, missingEndpoints, openBrowser, screenshot, signIn, signOut } from '../support.mjs';

test('a lead workspace: long names stay in their column, notes and status changes land on the timeline, the agent ticks off a task', async () => {
  // A flow whose endpoints are missing fails: a skipped flow would pass while the product lacks it.
  assert.equal(
    await missingEndpoints('GET /leads', 'POST /leads', 'GET /leads/{id}/timeline', 'POST /leads/{id}/notes', 'GET /tasks', 'POST /tasks', 'PATCH /tasks/{id}'),
    null,
  );
  const suffix = String(Date.now()).slice(-4);
  const managerToken = await apiToken(demo.manager);
  const agent = (await api('/auth/me', { token: await apiToken(demo.agent) })).json;
  const name = `Workspace ${suffix} ${'Longname '.repeat(30)}`.slice(0, 200);
  const created = await api('/leads/', {
    token: managerToken, method: 'POST',
    body: { name, phone: `+1512556${suffix}`, intent: 'buy', consent_to_call: true, assigned_agent_id: agent.id },
  });
  assert.equal(created.status, 201);
  const lead = created.json;

  const browser = await openBrowser();
  try {
    const { page } = browser;
    await signIn(page, demo.manager);

    // The 200-character name is cut with an ellipsis: the table still fits and the Created column is on screen.
    await page.goto(`/leads?q=Workspace%20${suffix}`);
    const link = page.getByRole('link', { name: name.trim() });
    await link.waitFor();
    assert.equal(await link.getAttribute('title'), name);
    const fits = await page.getByRole('table', { name: 'Leads' }).evaluate((table) => {
      const wrap = table.parentElement;
      return { table: table.scrollWidth, wrap: wrap.clientWidth };
    });
    assert.ok(fits.table <= fits.wrap, `the leads table (${fits.table}px) overflows its card (${fits.wrap}px)`);
    const createdHeader = await page.getByRole('columnheader', { name: /Created/ }).boundingBox();
    assert.ok(createdHeader && createdHeader.x + createdHeader.width <= 1280, 'the Created column is on screen');
    // Server-side sort from the header.
    await page.getByRole('button', { name: /^Agent/ }).click();
    await page.waitForURL(/sort=assigned_agent_name/);
    await screenshot(page, 'leads-long-name');

    // On the lead: a status change, a note and a task; the timeline shows them newest first.
    assert.equal((await api(`/leads/${lead.id}`, { token: managerToken, method: 'PATCH', body: { status: 'contacted' } })).status, 200);
    await page.goto(`/leads/${lead.id}`);
    const notes = page.getByRole('form', { name: 'Add a note' });
    await notes.getByLabel('Note').fill(`Prefers evening calls ${suffix}`);
    await notes.getByRole('button', { name: 'Add note' }).click();
    const timeline = page.getByRole('list', { name: 'Lead timeline' });
    await timeline.getByText(`Prefers evening calls ${suffix}`).waitFor();
    await timeline.getByText('Status new → contacted').waitFor();
    const kinds = await timeline.locator('.timeline-item .badge').allTextContents();
    assert.deepEqual(kinds.slice(0, 3), ['Note', 'Status', 'Created']);

    const taskForm = page.getByRole('form', { name: 'New task' });
    await taskForm.getByLabel('Task').fill(`Call back ${suffix}`);
    await taskForm.getByLabel('Due').fill('2026-01-05T09:30');
    await taskForm.getByRole('button', { name: 'Add task' }).click();
    await page.getByRole('table', { name: 'Tasks' }).getByText(`Call back ${suffix}`).waitFor();
    await screenshot(page, 'lead-workspace');
    await signOut(page);

    // The lead's agent finds it under My tasks, overdue, and ticks it off.
    await signIn(page, demo.agent);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'My tasks' }).click();
    await page.getByRole('heading', { level: 1, name: 'My tasks' }).waitFor();
    const row = page.getByRole('row').filter({ hasText: `Call back ${suffix}` });
    await row.getByText('Overdue').waitFor();
    await screenshot(page, 'my-tasks');
    // A click, not check(): the box shows the server's answer, and the done task then leaves the open list.
    await row.getByRole('checkbox').click();
    await page.getByRole('row').filter({ hasText: `Call back ${suffix}` }).waitFor({ state: 'detached' });
    const tasks = (await api(`/tasks/?lead_id=${lead.id}`, { token: managerToken })).json;
    assert.equal(tasks.items.length, 1);
    assert.equal(tasks.items[0].done, true);
    assert.equal(tasks.items[0].assignee_id, agent.id);
  } finally {
    await browser.close();
  }
});
