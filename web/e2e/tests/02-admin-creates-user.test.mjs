import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { test } from 'node:test';
import { demo, missingEndpoints, navLabels, openBrowser, screenshot, signIn, signOut } from '../support.mjs';

test('an admin creates a user who then signs in', async () => {
  // A flow whose endpoints are missing fails: a skipped flow would pass while the product lacks it.
  assert.equal(await missingEndpoints('POST /admin/users', 'GET /admin/users'), null);
  const browser = await openBrowser();
  try {
    const { page } = browser;
    await signIn(page, demo.admin);
    await page.goto('/admin/users');
    await page.getByRole('button', { name: 'New user' }).click();
    const form = page.getByRole('form', { name: 'New user' });
    const email = `e2e-${randomUUID().slice(0, 8)}@example.com`;
    await form.getByLabel('Name').fill('Erin Tester');
    await form.getByLabel('Email').fill(email);
    await form.getByLabel('Role').selectOption('agent');
    await form.getByLabel('Initial password').fill('Sup3r-Secret-pass');
    await screenshot(page, 'admin-create-user-form');
    await form.getByRole('button', { name: 'Create user' }).click();
    await page.getByText(`Erin Tester (${email}) was created.`).waitFor();
    await page.getByRole('cell', { name: email }).waitFor();
    await screenshot(page, 'admin-user-created');
    await signOut(page);

    await signIn(page, email, 'Sup3r-Secret-pass');
    assert.ok((await navLabels(page)).includes('My performance'));
    assert.equal((await navLabels(page)).includes('Users'), false);
    await screenshot(page, 'new-user-dashboard');
  } finally {
    await browser.close();
  }
});
