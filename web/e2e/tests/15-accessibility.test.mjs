// Accessibility (issue 15): axe-core on every route of the app (src/app/router.tsx), signed in as an Admin (who sees
// every page) and as an Agent (whose dashboard and "My performance" differ), in the light and the dark colour scheme,
// and at phone width for a few pages. Any serious or critical violation fails the flow, listed by rule, target and page.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { AxeBuilder } from '@axe-core/playwright';
import { api, apiToken, demo, openBrowser, signIn, signOut } from '../support.mjs';

const failingImpacts = new Set(['serious', 'critical']);

/** Waits until the page shows data, an empty or an error state, including any lazy chart's, rather than a loading state. */
const settled = async (page) => {
  await page.waitForFunction(() => !document.querySelector('.state-loading'), null, { timeout: 15_000 }).catch(() => undefined);
};

const firstItem = (json) => (Array.isArray(json) ? json[0] : json?.items?.[0]);

/** One id of each kind the detail pages need, from the seeded demo data (a campaign is made if there is none). */
async function detailIds() {
  const token = await apiToken(demo.admin);
  const lead = firstItem((await api('/leads/?page_size=1', { token })).json);
  const property = firstItem((await api('/properties/?page_size=1', { token })).json);
  const call = firstItem((await api('/calls/?page_size=1', { token })).json);
  let campaign = firstItem((await api('/campaigns/?page_size=1', { token })).json);
  if (!campaign) {
    const made = await api('/campaigns/', {
      token,
      method: 'POST',
      body: { name: 'Accessibility check', goal: 'Check in about the listing', leads: { lead_ids: [lead.id] } },
    });
    assert.equal(made.status, 201, made.text);
    campaign = made.json;
  }
  for (const [kind, item] of Object.entries({ lead, property, call, campaign })) assert.ok(item?.id, `no ${kind} in the demo data`);
  return { lead: lead.id, property: property.id, call: call.id, campaign: campaign.id };
}

/** Every route of the router, with a level-1 heading that says the page has rendered. */
const adminRoutes = (ids) => [
  ['/', null],
  ['/properties', 'Properties'],
  ['/properties/new', 'New property'],
  [`/properties/${ids.property}`, null],
  [`/properties/${ids.property}/edit`, null],
  ['/leads', 'Leads'],
  ['/leads?view=pipeline', 'Leads'],
  ['/leads/new', null],
  ['/leads/import', null],
  [`/leads/${ids.lead}`, null],
  ['/calls', 'Calls'],
  [`/calls/${ids.call}`, null],
  ['/live', 'Live monitor'],
  ['/showings', 'Showings'],
  ['/calendar', 'Calendar'],
  ['/tasks', 'My tasks'],
  ['/reports', 'Reports'],
  ['/test-call', 'Test call'],
  ['/campaigns', 'Campaigns'],
  ['/campaigns/new', 'New campaign'],
  [`/campaigns/${ids.campaign}`, null],
  [`/campaigns/${ids.campaign}/edit`, null],
  ['/admin/do-not-call', 'Do-not-call'],
  ['/admin/users', 'Users'],
  ['/admin/webhook-events', 'Webhook events'],
  ['/admin/webhook-deliveries', 'Webhook deliveries'],
  ['/admin/integrations', 'Integrations'],
  ['/no-such-page', null],
];
const agentRoutes = [
  ['/', null],
  ['/reports', 'My performance'],
  ['/calendar', 'Calendar'],
  ['/tasks', 'My tasks'],
];
const phoneRoutes = ['/', '/leads', '/calls', '/showings', '/campaigns/new'];

async function audit(page, path, heading, label) {
  await page.goto(path);
  const h1 = page.getByRole('heading', { level: 1, ...(heading ? { name: heading } : {}) });
  try {
    await h1.first().waitFor();
  } catch {
    return [`${label} ${path}: no level-1 heading${heading ? ` "${heading}"` : ''} within 15 s`];
  }
  await settled(page);
  const { violations } = await new AxeBuilder({ page }).analyze();
  return violations
    .filter((v) => failingImpacts.has(v.impact))
    .flatMap((v) => v.nodes.map((n) => `${label} ${path}: [${v.impact}] ${v.id} at ${n.target.join(' ')} (${n.failureSummary?.split('\n').slice(1).join(' ').trim()})`));
}

let ids;
before(async () => {
  ids = await detailIds();
});

const found = [];
after(() => {
  if (found.length) console.log(`axe found ${found.length} serious/critical problems:\n${found.join('\n')}`);
});

for (const scheme of ['light', 'dark']) {
  test(`every page has no serious or critical axe violations (${scheme})`, async () => {
    const browser = await openBrowser();
    try {
      const { page, errors } = browser;
      await page.emulateMedia({ colorScheme: scheme });
      const problems = [];
      const check = async (path, heading, who) => problems.push(...(await audit(page, path, heading, `${who} ${scheme} desktop`)));
      await page.goto('/login');
      await page.getByRole('form', { name: 'Sign in' }).waitFor();
      problems.push(...(await audit(page, '/login', null, `signed-out ${scheme} desktop`)));
      await signIn(page, demo.admin);
      for (const [path, heading] of adminRoutes(ids)) await check(path, heading, 'admin');
      await signOut(page);
      await signIn(page, demo.agent);
      for (const [path, heading] of agentRoutes) await check(path, heading, 'agent');
      found.push(...problems);
      assert.deepEqual(problems, []);
      assert.deepEqual(errors, []);
    } finally {
      await browser.close();
    }
  });
}

test('pages at phone width have no serious or critical axe violations (light and dark)', async () => {
  const browser = await openBrowser({ viewport: { width: 390, height: 844 } });
  try {
    const { page } = browser;
    const problems = [];
    await signIn(page, demo.admin);
    for (const scheme of ['light', 'dark']) {
      await page.emulateMedia({ colorScheme: scheme });
      for (const path of phoneRoutes) problems.push(...(await audit(page, path, null, `admin ${scheme} phone`)));
      // The open phone menu is a page of its own to a keyboard or screen-reader user.
      await page.getByRole('button', { name: 'Menu' }).click();
      await page.getByRole('navigation', { name: 'Main' }).waitFor();
      const { violations } = await new AxeBuilder({ page }).analyze();
      problems.push(...violations.filter((v) => failingImpacts.has(v.impact)).map((v) => `admin ${scheme} phone menu: ${v.id} at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`));
      await page.keyboard.press('Escape');
    }
    found.push(...problems);
    assert.deepEqual(problems, []);
  } finally {
    await browser.close();
  }
});
