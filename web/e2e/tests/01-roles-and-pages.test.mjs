import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { demo, navLabels, openBrowser, screenshot, signIn, signOut } from '../support.mjs';

const common = ['Dashboard', 'Properties', 'Leads', 'Calls', 'Live monitor', 'Showings', 'Calendar', 'My tasks'];
const expectedNav = {
  admin: [...common, 'Team tasks', 'Reports', 'Test call', 'Campaigns', 'Users', 'Webhook events', 'Webhook deliveries', 'Integrations', 'Do-not-call'],
  manager: [...common, 'Team tasks', 'Reports', 'Test call', 'Campaigns', 'Do-not-call'],
  agent: [...common, 'My performance', 'Test call', 'Campaigns'],
};

/** Waits until the page shows data, an empty or an error state rather than spinners, for a useful screenshot. */
const settled = (page) =>
  page.waitForFunction(() => !document.querySelector('.state-loading'), null, { timeout: 15_000 }).catch(() => undefined);

let browser;
before(async () => {
  browser = await openBrowser();
});
after(async () => {
  await browser?.close();
});

test('the login page explains a wrong password', async () => {
  const { page } = browser;
  await page.goto('/');
  await page.getByRole('form', { name: 'Sign in' }).waitFor();
  assert.match(page.url(), /\/login\?redirectTo=%2F$/);
  await screenshot(page, 'login');
  await page.getByLabel('Email').fill(demo.agent);
  await page.getByLabel('Password').fill('not-the-password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByText('Email or password is incorrect.').waitFor();
  await screenshot(page, 'login-error');
});

for (const role of ['admin', 'manager', 'agent']) {
  test(`${role} signs in and sees exactly their navigation`, async () => {
    const { page } = browser;
    await signIn(page, demo[role]);
    assert.deepEqual(await navLabels(page), expectedNav[role]);
    await page.getByRole('heading', { level: 1 }).waitFor();
    await settled(page);
    await screenshot(page, `dashboard-${role}`);

    // The session survives a reload.
    await page.reload();
    await page.getByRole('navigation', { name: 'Main' }).waitFor();
    assert.deepEqual(await navLabels(page), expectedNav[role]);
    await signOut(page);
  });
}

test('an agent opening an admin page by URL is refused', async () => {
  const { page } = browser;
  await signIn(page, demo.agent);
  await page.goto('/admin/users');
  await page.getByText('You do not have access to this page').waitFor();
  await screenshot(page, 'agent-refused-admin');
  await signOut(page);
});

const pages = [
  ['properties', '/properties', 'Properties'],
  ['leads', '/leads', 'Leads'],
  ['leads-pipeline', '/leads?view=pipeline', 'Leads'],
  ['calls', '/calls', 'Calls'],
  ['live-monitor', '/live', 'Live monitor'],
  ['showings', '/showings', 'Showings'],
  ['calendar', '/calendar', 'Calendar'],
  ['tasks', '/tasks', 'My tasks'],
  ['team-tasks', '/tasks/team', 'Team tasks'],
  ['reports', '/reports', 'Reports'],
  ['admin-users', '/admin/users', 'Users'],
  ['admin-webhook-events', '/admin/webhook-events', 'Webhook events'],
  ['admin-webhook-deliveries', '/admin/webhook-deliveries', 'Webhook deliveries'],
  ['admin-integrations', '/admin/integrations', 'Integrations'],
  ['test-call', '/test-call', 'Test call'],
  ['property-new', '/properties/new', 'New property'],
  ['campaigns', '/campaigns', 'Campaigns'],
  ['campaign-new', '/campaigns/new', 'New campaign'],
  ['admin-do-not-call', '/admin/do-not-call', 'Do-not-call'],
];

test('every page renders for an admin (deep links and reloads included) without script errors', async () => {
  const { page, errors } = browser;
  await signIn(page, demo.admin);
  for (const [name, path, heading] of pages) {
    // A full navigation, as from a bookmark: the server must hand back the app, not the API's JSON.
    await page.goto(path);
    await page.getByRole('heading', { level: 1, name: heading }).waitFor();
    await settled(page);
    await screenshot(page, `page-${name}`);
  }
  assert.deepEqual(errors, []);
});

test('the app is usable at phone width', async () => {
  const phone = await openBrowser({ viewport: { width: 390, height: 844 } });
  try {
    const { page } = phone;
    await signIn(page, demo.manager);
    const menu = page.getByRole('button', { name: 'Menu' });
    await menu.click();
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Leads' }).click();
    await page.getByRole('heading', { level: 1, name: 'Leads' }).waitFor();
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 1, `page scrolls sideways by ${overflow}px`);
    await screenshot(page, 'phone-leads');
  } finally {
    await phone.close();
  }
});
