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

test('a manager edits a task from the team board (rename, reassign), deletes it after a confirmation; an agent is refused the board', async () => {
  assert.equal(
    await missingEndpoints('GET /tasks', 'POST /tasks', 'PATCH /tasks/{id}', 'DELETE /tasks/{id}', 'GET /tasks/team'),
    null,
  );
  const suffix = String(Date.now()).slice(-4);
  const managerToken = await apiToken(demo.manager);
  const agentToken = await apiToken(demo.agent);
  const agent = (await api('/auth/me', { token: agentToken })).json;
  const agent2 = (await api('/auth/me', { token: await apiToken(demo.agent2) })).json;
  // Long overdue: first in its assignee's open list.
  const created = await api('/tasks/', {
    token: managerToken, method: 'POST', body: { title: `Team task ${suffix}`, due_at: '2020-01-06T09:00:00Z', assignee_id: agent.id },
  });
  assert.equal(created.status, 201);
  const task = created.json;

  const browser = await openBrowser();
  try {
    const { page, errors } = browser;
    await signIn(page, demo.manager);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Team tasks' }).click();
    await page.getByRole('heading', { level: 1, name: 'Team tasks' }).waitFor();
    const counts = page.getByRole('table', { name: 'Open tasks per person' });
    const agentRow = counts.getByRole('row').filter({ hasText: agent.name });
    const overdue = Number(await agentRow.locator('td').nth(2).textContent());
    assert.ok(overdue >= 1, `${agent.name} has an overdue task on the board`);
    await agentRow.getByRole('button', { name: `Show tasks of ${agent.name}` }).click();
    const tasks = page.getByRole('table', { name: 'Tasks' });
    const row = tasks.getByRole('row').filter({ hasText: `Team task ${suffix}` });
    await row.getByText('Overdue').waitFor();
    await screenshot(page, 'team-tasks');

    // Rename and hand it to the other agent in one save; it leaves this agent's list.
    await row.getByRole('button', { name: `Edit: Team task ${suffix}` }).click();
    const dialog = page.getByRole('dialog', { name: 'Edit task' });
    await dialog.getByLabel('Task', { exact: true }).fill(`Renamed task ${suffix}`);
    await dialog.getByLabel('Assignee').selectOption({ label: agent2.name });
    await screenshot(page, 'task-edit-dialog');
    await dialog.getByRole('button', { name: 'Save task' }).click();
    await dialog.waitFor({ state: 'detached' });
    await tasks.getByRole('row').filter({ hasText: `Team task ${suffix}` }).waitFor({ state: 'detached' });
    const saved = (await api(`/tasks/${task.id}`, { token: managerToken })).json;
    assert.equal(saved.title, `Renamed task ${suffix}`);
    assert.equal(saved.assignee_id, agent2.id);

    // A blank title is refused on the field, and nothing changes.
    await counts.getByRole('button', { name: `Show tasks of ${agent2.name}` }).click();
    const moved = tasks.getByRole('row').filter({ hasText: `Renamed task ${suffix}` });
    await moved.getByRole('button', { name: `Edit: Renamed task ${suffix}` }).click();
    await dialog.getByLabel('Task', { exact: true }).fill('   ');
    await dialog.getByRole('button', { name: 'Save task' }).click();
    await dialog.getByText('Say what needs doing').waitFor();
    await dialog.getByRole('button', { name: 'Cancel' }).click();

    // Delete asks first: dismissing keeps it, accepting removes it.
    page.once('dialog', (d) => d.dismiss());
    await moved.getByRole('button', { name: `Delete: Renamed task ${suffix}` }).click();
    assert.equal((await api(`/tasks/${task.id}`, { token: managerToken })).status, 200);
    page.once('dialog', (d) => d.accept());
    await moved.getByRole('button', { name: `Delete: Renamed task ${suffix}` }).click();
    await moved.waitFor({ state: 'detached' });
    assert.equal((await api(`/tasks/${task.id}`, { token: managerToken })).status, 404);
    assert.deepEqual(errors, []);
    await signOut(page);

    // Agents have no board: not in their menu, refused by URL and by the API.
    await signIn(page, demo.agent);
    assert.equal(await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Team tasks' }).count(), 0);
    await page.goto('/tasks/team');
    await page.getByText('You do not have access to this page').waitFor();
    assert.equal((await api('/tasks/team', { token: agentToken })).status, 403);
  } finally {
    await browser.close();
  }
});
