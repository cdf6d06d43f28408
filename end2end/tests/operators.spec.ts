import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { expect, test } from '../fixtures';
import { ClientPage } from '../pages/clients-page';
import { hydrated } from '../pages/login-page';
import { expectNoSidewaysScroll, localInput, OperatorsPages } from '../pages/operators';

const MINUTE = 60_000;

// The tests of each project edit one client account's briefing, which the preview
// compares byte for byte: one at a time.
test.describe.configure({ mode: 'serial' });

/** The account's time zone, as the on-call pages say it ("Times in America/New_York."). */
async function zoneOf(page: Page) {
  const text = await page.getByText(/^(Times in|Local times of) /).first().textContent();
  return text!.replace(/^(Times in|Local times of) /, '').replace(/\.$/, '');
}

/** No serious or critical accessibility problem on the page open now. */
async function expectAccessible(page: Page) {
  const results = await new AxeBuilder({ page }).analyze();
  const serious = results.violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .map((violation) => `${violation.id}: ${violation.nodes.map((node) => node.target.join(' ')).join(', ')}`);
  expect(serious, page.url()).toEqual([]);
}

test('a status with an end is what operators read until then, and then the default again', async ({ partnerAdminPage: page, consoleErrors, project, projectData }) => {
  test.setTimeout(120_000);
  const operators = new OperatorsPages(page);
  await operators.openFor(projectData.briefedClient, 'Status for operators');
  await expect(page.getByRole('heading', { level: 1, name: 'Status for operators' })).toBeVisible();
  const change = operators.region('Change the status');
  const stamp = `${project} ${Date.now()}`;
  const zone = (await change.getByText(/Time in /).textContent())!.replace(/.*Time in /, '').replace(/\.$/, '');

  // The default first, then a status ending at the next whole minute (or the one after).
  await change.getByLabel('Default status', { exact: true }).fill(`Open as usual ${stamp}`);
  await change.getByLabel('Status', { exact: true }).fill('');
  await change.getByRole('button', { name: 'Save status' }).click();
  const showing = operators.region('Operators read now');
  await expect(showing).toContainText(`Open as usual ${stamp}`);
  const now = Date.now();
  const end = new Date(Math.ceil((now + 15_000) / MINUTE) * MINUTE);
  await change.getByLabel('Status', { exact: true }).fill(`At lunch ${stamp}`);
  await change.getByLabel('Until').fill(localInput(end, zone));
  await change.getByRole('button', { name: 'Save status' }).click();
  await expect(showing).toContainText(`At lunch ${stamp}`);
  await expect(showing).toContainText('until ');
  await expect(operators.region('History')).toContainText(`At lunch ${stamp} (until`);
  await expectNoSidewaysScroll(page);
  await page.screenshot({ path: `screenshots/${project}-status.png`, fullPage: true });

  // A bad end is refused at its field, and nothing typed is lost.
  await change.getByLabel('Until').fill('2020-01-01T09:00');
  await change.getByRole('button', { name: 'Save status' }).click();
  await expect(change.getByText('Choose a time still to come.')).toBeVisible();
  await expect(change.getByLabel('Status', { exact: true })).toHaveValue(`At lunch ${stamp}`);

  // Once the end has passed, operators read the default again.
  await expect(async () => {
    await page.reload();
    await expect(operators.region('Operators read now')).toContainText(`Open as usual ${stamp}`, { timeout: 1_000 });
  }).toPass({ timeout: end.getTime() - Date.now() + 30_000, intervals: [5_000] });
  expect(consoleErrors).toEqual([]);
});

test('a contact is added with a way to reach them, and a template sets the status in one tap', async ({ partnerAdminPage: page, consoleErrors, project, projectData }) => {
  const operators = new OperatorsPages(page);
  await operators.openFor(projectData.briefedClient, 'Contacts');
  await expect(page.getByRole('heading', { level: 1, name: 'Contacts' })).toBeVisible();
  const name = `Dr Kim ${project} ${Date.now()}`;
  await operators.addContact(name, 'Dentist', '+1 617 555 0101');
  const card = page.getByRole('listitem').filter({ has: page.getByRole('heading', { name }) });
  await expect(card.getByRole('link', { name: '+1 617 555 0101' })).toHaveAttribute('href', 'tel:+16175550101');
  await expect(card).toContainText('Dentist');
  await expectNoSidewaysScroll(page);
  await page.screenshot({ path: `screenshots/${project}-contacts.png`, fullPage: true });

  // A bad address is refused at its row.
  await page.getByRole('link', { name }).click();
  await expect(page.getByRole('heading', { level: 1, name })).toBeVisible();
  await hydrated(page);
  await page.getByLabel('Way 2').selectOption('email');
  await page.locator('#method-1-value').fill('kim@');
  await page.getByRole('button', { name: 'Save contact' }).click();
  await expect(page.locator('#method-1-value-message')).not.toBeEmpty();
  await expect(page.locator('#method-1-value')).toHaveValue('kim@');

  await operators.openFor(projectData.briefedClient, 'Status for operators');
  const templates = operators.region('Templates');
  const template = `Fire drill ${project} ${Date.now()}`;
  await templates.getByLabel('New template').fill(template);
  await templates.getByRole('button', { name: 'Add template' }).click();
  await templates.getByRole('button', { name: `Use “${template}”` }).click();
  await expect(operators.region('Operators read now')).toContainText(template);
  expect(consoleErrors).toEqual([]);
});

test('a weekly rule and an override change who is on call now, and a stale edit from a second browser is refused', async ({ partnerAdminPage: page, consoleErrors, ownBrowser, signIn, users, project, projectData }) => {
  test.setTimeout(60_000);
  const operators = new OperatorsPages(page);
  await operators.openFor(projectData.briefedClient, 'Contacts');
  const stamp = `${project} ${Date.now()}`;
  const first = `Dr Day ${stamp}`;
  const second = `Dr Night ${stamp}`;
  await operators.addContact(first, 'Dentist', '+1 617 555 0111');
  await operators.addContact(second, 'Dentist', '+1 617 555 0112');

  // Every day, all day: the first.
  await operators.openFor(projectData.briefedClient, 'On-call calendar');
  await expect(page.getByRole('heading', { level: 1, name: 'On call' })).toBeVisible();
  const zone = await zoneOf(page);
  await page.getByRole('link', { name: 'Add rule' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Add an on-call rule' })).toBeVisible();
  await hydrated(page);
  for (const day of ['Sat', 'Sun']) {
    await page.getByRole('checkbox', { name: day, exact: true }).check();
  }
  await page.getByLabel('Starts').fill('00:00');
  await page.getByLabel('Ends').fill('00:00');
  await page.getByLabel('First', { exact: true }).selectOption({ label: first });
  await page.getByLabel('Note').fill(`All day ${stamp}`);
  await page.getByRole('button', { name: 'Add rule' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'On call' })).toBeVisible();
  const now = operators.region('On call now');
  await expect(now).toContainText(first);
  await expect(page.getByRole('region', { name: 'Weekly rules' })).toContainText('Every day, all day');

  // For the next hour, the second instead of the first.
  await page.getByRole('link', { name: 'Add override' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Add an override' })).toBeVisible();
  await hydrated(page);
  const start = new Date(Date.now() - MINUTE);
  await page.getByLabel('Starts').fill(localInput(start, zone));
  await page.getByLabel('Ends').fill(localInput(new Date(start.getTime() + 60 * MINUTE), zone));
  await page.getByLabel('Comes on call (first to try)').selectOption({ label: second });
  await page.getByLabel('Goes off call').selectOption({ label: first });
  await page.getByLabel('Note').fill(`Swap ${stamp}`);
  await page.getByRole('button', { name: 'Add override' }).click();
  await expect(now.getByText(second, { exact: true })).toBeVisible();
  await expect(now.getByText(first, { exact: true })).toHaveCount(0);
  await expect(now).toContainText(`then ${first}`);
  await expectNoSidewaysScroll(page);
  await page.screenshot({ path: `screenshots/${project}-on-call.png`, fullPage: true });

  // Two admins open the same rule; the second to save is told who changed it.
  const rule = page.getByRole('region', { name: 'Weekly rules' }).getByRole('listitem').filter({ hasText: `All day ${stamp}` });
  const ruleUrl = await rule.getByRole('link').getAttribute('href');
  const other = await ownBrowser();
  await signIn(other, users.partnerAdmin);
  await other.goto(ruleUrl!);
  await hydrated(other);
  await page.goto(ruleUrl!);
  await hydrated(page);
  await page.getByLabel('Note').fill(`All day, edited ${stamp}`);
  await page.getByRole('button', { name: 'Save rule' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'On call' })).toBeVisible();
  await other.getByLabel('Note').fill(`All day, stale ${stamp}`);
  await other.getByRole('button', { name: 'Save rule' }).click();
  await expect(other.getByRole('alert')).toContainText('Nora North edited this rule');
  await expect(other.getByLabel('Note')).toHaveValue(`All day, stale ${stamp}`);
  await other.screenshot({ path: `screenshots/${project}-rule-conflict.png`, fullPage: true });

  // Leave the account's calendar as it was: the rule and the override go.
  await page.goto(ruleUrl!);
  await hydrated(page);
  await page.getByRole('button', { name: 'Remove rule' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'On call' })).toBeVisible();
  await page.getByRole('region', { name: 'Overrides' }).getByRole('link', { name: /–/ }).first().click();
  await hydrated(page);
  await page.getByRole('button', { name: 'Remove override' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'On call' })).toBeVisible();
  expect(consoleErrors).toEqual([]);
});

test('the operator preview shows exactly what the API sends, and the portal sees the fetch', async ({ partnerAdminPage: page, consoleErrors, project, projectData, request }) => {
  const client = new ClientPage(page);
  const operators = new OperatorsPages(page);
  await operators.openFor(projectData.briefedClient, 'Status for operators');
  const account = operators.account();
  await page.goBack();
  await hydrated(page);
  const keys = client.section('API keys');
  await keys.getByText('New key').click();
  await keys.getByLabel('Name').fill(`Operators ${project} ${Date.now()}`);
  await keys.getByLabel('Read what operators should know').check();
  await keys.getByRole('button', { name: 'Make key' }).click();
  const secret = keys.getByLabel('New API key');
  await expect(secret).toContainText('sbk_');
  const key = (await secret.textContent())!.trim();

  const api = await request.get(`/api/v1/operator-view?account=${account}`, { headers: { Authorization: `Bearer ${key}` } });
  expect(api.status()).toBe(200);
  const body = await api.text();
  const etag = api.headers()['etag'];
  await page.goto(`/operator-preview?account=${account}`);
  await expect(page.getByRole('heading', { level: 1, name: 'Operator preview' })).toBeVisible();
  await expect(page.getByLabel('Operator view document')).toHaveText(body, { useInnerText: false });
  await expect(page.locator('.etag')).toHaveText(etag);
  await expect(page.getByRole('status').filter({ hasText: 'Operators' })).toContainText('Operators last fetched this at');
  const again = await request.get(`/api/v1/operator-view?account=${account}`, {
    headers: { Authorization: `Bearer ${key}`, 'If-None-Match': etag },
  });
  expect(again.status()).toBe(304);
  await expectNoSidewaysScroll(page);
  await page.screenshot({ path: `screenshots/${project}-operator-preview.png`, fullPage: true });
  expect(consoleErrors).toEqual([]);
});

test('the client\'s home shows the status and who is on call, and every portal page is accessible and fits a phone', async ({ clientAdminPage: page, consoleErrors, project }) => {
  test.setTimeout(90_000);
  await expect(page.getByRole('region', { name: 'Status for operators' })).toBeVisible();
  await expect(page.getByRole('region', { name: 'On call now' })).toBeVisible();
  await page.screenshot({ path: `screenshots/${project}-home-operators.png`, fullPage: true });
  const pages = ['/', '/status', '/contacts', '/contacts/new', '/resources', '/on-call', '/on-call/rules/new', '/on-call/overrides/new', '/operator-preview'];
  const widths = project === 'mobile' ? [390, 320] : [1280];
  for (const path of pages) {
    await page.goto(path);
    await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
    await hydrated(page);
    await expectAccessible(page);
    for (const width of widths) {
      await page.setViewportSize({ width, height: 844 });
      await expectNoSidewaysScroll(page);
    }
  }
  await page.goto('/on-call');
  await page.screenshot({ path: `screenshots/${project}-on-call-harbor.png`, fullPage: true });
  expect(consoleErrors).toEqual([]);
});

test.describe('without JavaScript', () => {
  test.use({ javaScriptEnabled: false });

  test('a resource is added and a contact moved with plain forms', async ({ partnerAdminPage: page, project, projectData }) => {
    const operators = new OperatorsPages(page, false);
    await operators.openFor(projectData.briefedClient, 'Resources');
    await expect(page.getByRole('heading', { level: 1, name: 'Resources' })).toBeVisible();
    const stamp = `${project} ${Date.now()}`;
    for (const title of [`Parking ${stamp}`, `Directions ${stamp}`]) {
      const form = operators.region('Add a resource');
      await form.getByLabel('Title').fill(title);
      await form.getByLabel('Web address').fill('https://lakeside.test/visit');
      await form.getByLabel('Note').fill('Behind the building.');
      await form.getByRole('button', { name: 'Add resource' }).click();
      await expect(page.getByRole('link', { name: title })).toHaveAttribute('href', 'https://lakeside.test/visit');
    }
    const titles = () => page.getByRole('listitem').getByRole('heading').allTextContents();
    const before = await titles();
    expect(before.indexOf(`Directions ${stamp}`)).toBe(before.indexOf(`Parking ${stamp}`) + 1);
    await page.getByRole('button', { name: `Move Directions ${stamp} up` }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'Resources' })).toBeVisible();
    const after = await titles();
    expect(after.indexOf(`Directions ${stamp}`)).toBe(after.indexOf(`Parking ${stamp}`) - 1);
    await page.screenshot({ path: `screenshots/${project}-resources-no-js.png`, fullPage: true });
  });
});
