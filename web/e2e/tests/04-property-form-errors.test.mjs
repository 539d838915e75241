import assert from 'node:assert/strict';
import { test } from 'node:test';
import { demo, missingEndpoints, openBrowser, screenshot, signIn } from '../support.mjs';

test("an invalid property form shows the API's field errors", async () => {
  // A flow whose endpoints are missing fails: a skipped flow would pass while the product lacks it.
  assert.equal(await missingEndpoints('POST /properties'), null);
  const browser = await openBrowser();
  try {
    const { page } = browser;
    await signIn(page, demo.manager);
    await page.goto('/properties/new');
    const form = page.getByRole('form', { name: 'New property' });
    // Empty address and city and a negative price: the client sends it, the server's validation answers.
    await form.getByLabel('Price (USD)').fill('-10');
    const response = page.waitForResponse((r) => r.url().includes('/properties') && r.request().method() === 'POST');
    await form.getByRole('button', { name: 'Create property' }).click();
    const answer = await response;
    assert.equal(answer.status(), 400);
    assert.match(answer.headers()['content-type'] ?? '', /application\/problem\+json/);
    const problem = await answer.json();
    const fields = Object.keys(problem.errors ?? {});
    assert.ok(fields.length > 0, 'ProblemDetails carries field errors');

    await page.getByText('Could not save the property.').waitFor();
    const invalid = await form.locator('[aria-invalid="true"]').evaluateAll((els) => els.map((e) => e.getAttribute('name')));
    assert.ok(invalid.length > 0, 'at least one field is marked invalid');
    for (const name of invalid) assert.ok(fields.some((f) => f.toLowerCase().replace(/_/g, '') === name.replace(/_/g, '')), `${name} came from the API`);
    await screenshot(page, 'property-form-api-errors');
  } finally {
    await browser.close();
  }
});
