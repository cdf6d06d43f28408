import type { Page } from '@playwright/test';
import { expect, test } from '../fixtures';
import { ClientPage, DirectoryPage, NewClientPage } from '../pages/clients-page';
import { hydrated } from '../pages/login-page';

test('an admin adds a client with features and credits, then finds it by search and by tree', async ({ partnerAdminPage: page, consoleErrors, project }) => {
  const name = `Juniper Vet ${project}`;

  const form = new NewClientPage(page);
  await form.open();
  await form.fill({
    name,
    contact: 'Julia Juniper',
    email: `julia.${project}@juniper-vet.test`,
    phone: '+1 206 555 0142',
    group: 'Northwind Telecom › West Region › Seattle',
    tags: 'vet, Pilot',
    features: ['Voice', 'SMS'],
    seats: '4',
    sms: '750',
    voice: '300',
    temporaryPassword: true,
  });
  await page.screenshot({ path: `screenshots/${project}-new-client.png`, fullPage: true });
  await form.submit();
  await expect(page.getByRole('heading', { name: 'Client account added' })).toBeVisible();
  await expect(page.getByText(`julia.${project}@juniper-vet.test`)).toBeVisible();
  await expect(page.locator('.secret-value')).toHaveText(/^[A-Za-z0-9]{5}(-[A-Za-z0-9]{5}){3}$/);
  await page.screenshot({ path: `screenshots/${project}-client-added.png`, fullPage: true });

  await page.getByRole('link', { name: 'Open the client account' }).click();
  const client = new ClientPage(page);
  await expect(client.heading()).toContainText(name);
  await expect(client.status()).toHaveText('Pending');
  await expect(client.section('Credits').locator('.balance', { hasText: 'SMS credits' })).toContainText('750');
  await expect(client.section('Features and seats')).toContainText('1 of 4 seats used');

  const directory = new DirectoryPage(page);
  await directory.open();
  await directory.search('juniper vet');
  await expect(page).toHaveURL(/q=juniper(\+|%20)vet/);
  await expect(directory.row(name)).toBeVisible();
  await expect(directory.row(name)).toContainText('pilot');

  await directory.open();
  await directory.treeItem('West Region').locator('.tree-row').first().click();
  await expect(page).toHaveURL(/under=\d+\.\d+/);
  await expect(page.getByText('Switchboard › Northwind Telecom › West Region')).toBeVisible();
  await directory.search(project);
  await expect(directory.row(name)).toBeVisible();
  expect(consoleErrors).toEqual([]);
});

test('a field with bad input says why, and keeps what was typed', async ({ partnerAdminPage: page }) => {
  const form = new NewClientPage(page);
  await form.open();
  await form.fill({
    name: 'Typo Plumbing',
    contact: 'Tom Typo',
    email: 'tom@typo',
    phone: '12',
    group: 'Northwind Telecom › East Region',
    features: [],
  });
  await form.submit();
  await expect(page.getByText('Enter an email address like name@example.com.')).toBeVisible();
  await expect(page.getByText(/Enter a phone number of 7 to 15 digits/)).toBeVisible();
  await expect(page.getByLabel('Company name')).toHaveValue('Typo Plumbing');
  await expect(page.getByLabel('Email')).toHaveValue('tom@typo');
});

test('an admin modifies features, reveals and rotates the SSO token, suspends and activates', async ({ partnerAdminPage: page, consoleErrors, project, projectData }) => {
  const { name, status } = projectData.editedClient;
  const directory = new DirectoryPage(page);
  await directory.open(`?q=${encodeURIComponent(name)}`);
  await directory.row(name).getByRole('link', { name, exact: true }).click();
  const client = new ClientPage(page);
  await expect(client.heading()).toContainText(name);
  await expect(client.status()).toHaveText(status);
  await page.screenshot({ path: `screenshots/${project}-client.png`, fullPage: true });

  await client.saveFeatures({ Voice: true, Chat: true }, '12');
  await expect(client.section('Features and seats')).toContainText('0 of 12 seats used');
  await expect(client.section('Features and seats').getByRole('checkbox', { name: 'Chat' })).toBeChecked();
  await client.saveFeatures({ Chat: false }, '0');
  await expect(client.section('Features and seats').getByText('Enter a whole number from 1 to 10000.')).toBeVisible();
  await expect(client.section('Features and seats').getByLabel('User seats')).toHaveValue('0');

  const sso = client.section('SSO token');
  await expect(sso.getByLabel('SSO token')).toHaveText(/^•+$/);
  await sso.getByRole('button', { name: 'Reveal token' }).click();
  await expect(sso.getByLabel('SSO token')).toHaveText(/^[A-Za-z0-9_-]{43}$/);
  const revealed = await sso.getByLabel('SSO token').textContent();
  await sso.getByRole('button', { name: 'Rotate token' }).click();
  await expect(sso.getByText(/Tick the box to confirm/)).toBeVisible();
  await sso.getByRole('checkbox', { name: /Replace the token/ }).check();
  await sso.getByRole('button', { name: 'Rotate token' }).click();
  await expect(sso.getByLabel('SSO token')).not.toHaveText(revealed ?? '');
  await expect(sso.getByLabel('SSO token')).toHaveText(/^[A-Za-z0-9_-]{43}$/);

  // Seeded pending or suspended: it is activated first.
  await page.getByRole('button', { name: 'Activate account' }).click();
  await expect(client.status()).toHaveText('Active');
  await page.getByRole('button', { name: 'Suspend account' }).click();
  await expect(client.status()).toHaveText('Suspended');
  await page.getByRole('button', { name: 'Activate account' }).click();
  await expect(client.status()).toHaveText('Active');
  expect(consoleErrors).toEqual([]);
});

test('an admin gives a client a voice billing rule of its own, and takes it back', async ({ partnerAdminPage: page, consoleErrors, project, projectData }) => {
  const name = projectData.billedClient;
  const directory = new DirectoryPage(page);
  await directory.open(`?q=${encodeURIComponent(name)}`);
  await directory.row(name).getByRole('link', { name, exact: true }).click();
  const client = new ClientPage(page);
  await expect(client.heading()).toContainText(name);
  const billing = client.section('Voice billing');
  await expect(billing).toContainText("Calls here are billed at 60/60, the partner's rule.");

  await billing.getByLabel('A rule of its own, below').check();
  await billing.getByLabel('First increment (seconds)').fill('0');
  await billing.getByRole('button', { name: 'Save voice billing' }).click();
  await expect(billing.getByText('Enter a whole number from 1 to 3600.')).toBeVisible();
  await billing.getByLabel('First increment (seconds)').fill('30');
  await billing.getByLabel('Then every (seconds)').fill('6');
  await billing.getByRole('button', { name: 'Save voice billing' }).click();
  await expect(client.section('Voice billing')).toContainText("Calls here are billed at 30/6, this account's own rule.");
  await client.section('Voice billing').screenshot({ path: `screenshots/${project}-client-voice-billing.png` });

  await client.section('Voice billing').getByLabel("The partner's rule").check();
  await client.section('Voice billing').getByRole('button', { name: 'Save voice billing' }).click();
  await expect(client.section('Voice billing')).toContainText("Calls here are billed at 60/60, the partner's rule.");
  expect(consoleErrors).toEqual([]);
});

test('two admins editing one client: the second save is refused and shown', async ({ ownBrowser, signIn, users, projectData }) => {
  const [first, second] = [await ownBrowser(), await ownBrowser()];
  // Both open the same client account (one per project: the projects run at once).
  const name = projectData.contestedClient;
  for (const page of [first, second]) {
    await signIn(page, users.partnerAdmin);
    const directory = new DirectoryPage(page);
    await directory.open(`?q=${encodeURIComponent(name)}`);
    await directory.row(name).getByRole('link', { name, exact: true }).click();
    await expect(new ClientPage(page).heading()).toContainText(name);
  }
  const company = (page: Page) => new ClientPage(page).section('Company');
  await company(first).getByLabel('Address').fill('1 First Street');
  // The first save is answered before the second is sent: otherwise either may win.
  const firstSaved = first.waitForResponse(
    (response) => response.url().includes('/api/update_client') && response.request().method() === 'POST',
  );
  await company(first).getByRole('button', { name: 'Save company details' }).click();
  expect((await firstSaved).ok()).toBe(true);
  await expect(company(first).getByLabel('Address')).toHaveValue('1 First Street');

  await company(second).getByLabel('Address').fill('2 Second Street');
  await company(second).getByRole('button', { name: 'Save company details' }).click();
  await expect(company(second).getByRole('alert')).toContainText(
    'Nora North edited the company details of this client account just now, after you opened it.',
  );
  await company(second).getByRole('button', { name: 'Reload' }).click();
  await expect(company(second).getByLabel('Address')).toHaveValue('1 First Street');
});

test('the directory filters, sorts and pages through the URL', async ({ platformAdminPage: page }) => {
  const directory = new DirectoryPage(page);
  await directory.open('?status=suspended');
  await expect(page.getByLabel('Status')).toHaveValue('suspended');
  const statuses = directory.table().locator('tbody .badge');
  await expect(statuses.first()).toHaveText('Suspended');
  expect(new Set(await statuses.allTextContents())).toEqual(new Set(['Suspended']));

  await directory.open('?q=zzz-nothing-matches');
  await expect(page.getByRole('heading', { name: 'No client accounts match' })).toBeVisible();
  await page.getByRole('link', { name: 'Clear filters' }).first().click();
  await expect(directory.table()).toBeVisible();

  const csv = await page.request.get('/clients/export.csv?status=suspended');
  expect(csv.status()).toBe(200);
  const lines = (await csv.text()).trim().split('\n');
  expect(lines[0]).toBe('id,company,group,contact,email,phone,status,tags,sms_credits,voice_credits,added');
  expect(lines.length).toBeGreaterThan(1);
  expect(lines.slice(1).every((line) => line.includes(',suspended,'))).toBe(true);
});

test('the group tree is usable from the keyboard in the directory', async ({ partnerAdminPage: page, project }) => {
  const directory = new DirectoryPage(page);
  await directory.open();
  const tree = directory.tree();
  await expect(tree).toBeVisible();
  await tree.focus();
  await page.keyboard.press('ArrowDown');
  await expect(directory.treeItem('Northwind Telecom')).toBeFocused();
  await page.keyboard.press('ArrowDown');
  await expect(directory.treeItem('East Region')).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(/under=\d+\.\d+/);
  await expect(directory.treeItem('East Region')).toHaveAttribute('aria-selected', 'true');
  await expect(page.getByText('Switchboard › Northwind Telecom › East Region')).toBeVisible();
  // Every client listed now lies in the East Region.
  await expect(directory.table().getByRole('link', { name: 'Harbor Dental', exact: true })).toBeVisible();
  await page.screenshot({ path: `screenshots/${project}-directory.png`, fullPage: true });
});

test('the directory opened at a group hydrates its server-drawn tree without an error', async ({ partnerAdminPage: page, consoleErrors }) => {
  const directory = new DirectoryPage(page);
  await directory.open();
  await directory.treeItem('East Region').locator('.tree-row').first().click();
  await expect(page).toHaveURL(/under=\d+\.\d+/);
  // Loaded afresh, the server draws the tree with East Region selected and open.
  await page.reload();
  await hydrated(page);
  await expect(directory.treeItem('East Region')).toHaveAttribute('aria-selected', 'true');
  await expect(directory.treeItem('East Region')).toHaveAttribute('aria-expanded', 'true');

  // The tree the browser took over opens and closes in place.
  await directory.treeItem('Boston Metro').locator('.twisty').click();
  await expect(directory.treeItem('Back Bay')).toBeVisible();
  await directory.treeLink('Back Bay').click();
  await expect(page.getByText('Switchboard › Northwind Telecom › East Region › Boston Metro › Back Bay')).toBeVisible();
  await expect(directory.table().getByRole('link', { name: 'Harbor Dental', exact: true })).toBeVisible();
  expect(consoleErrors).toEqual([]);
});

test('someone from another partner cannot open a client by its id', async ({ partnerAdminPage: page, signIn, users }) => {
  await new DirectoryPage(page).open('?q=harbor%20dental');
  const href = await page.getByRole('link', { name: 'Harbor Dental', exact: true }).getAttribute('href');
  await page.context().clearCookies();
  await signIn(page, users.otherPartnerAdmin);
  await page.goto(href ?? '/clients/0');
  await expect(page.getByText('That page or record does not exist, or you do not have access to it.')).toBeVisible();
});

test.describe('with JavaScript off', () => {
  test.use({ javaScriptEnabled: false });

  test('adding a client works before the app has loaded', async ({ partnerAdminPage: page, project }) => {
    await page.goto('/clients/new');
    const form = new NewClientPage(page);
    await form.fill({
      name: `Quiet Clinic ${project}`,
      contact: 'Quinn Quiet',
      email: `quinn.${project}@quiet-clinic.test`,
      phone: '+1 617 555 0177',
      group: 'Northwind Telecom › East Region',
      features: ['SMS'],
    });
    await form.submit();
    await expect(page).toHaveURL(/\/clients\/\d+$/);
    await expect(new ClientPage(page).heading()).toContainText(`Quiet Clinic ${project}`);
  });

  test('the group tree filters the directory through its links, keeping the other filters', async ({ partnerAdminPage: page, project }) => {
    await page.goto('/clients?q=roofing');
    const directory = new DirectoryPage(page);
    await expect(directory.treeItem('East Region')).toHaveAttribute('aria-expanded', 'false');

    await directory.treeLink('East Region').click();
    await expect(page).toHaveURL(/under=\d+\.\d+/);
    await expect(page).toHaveURL(/q=roofing/);
    await expect(page.getByText('Switchboard › Northwind Telecom › East Region', { exact: true })).toBeVisible();
    await expect(directory.treeItem('East Region')).toHaveAttribute('aria-selected', 'true');

    await directory.treeLink('Boston Metro').click();
    await expect(page.getByText('Switchboard › Northwind Telecom › East Region › Boston Metro', { exact: true })).toBeVisible();
    await expect(directory.row('Willow Roofing')).toBeVisible();
    await expect(page.getByLabel('Search')).toHaveValue('roofing');
    await page.screenshot({ path: `screenshots/${project}-directory-no-js.png`, fullPage: true });
  });
});

test('an admin makes an API key for a client, sees it once, and revokes it', async ({ partnerAdminPage: page, consoleErrors, project, projectData, request }) => {
  const name = projectData.billedClient;
  const directory = new DirectoryPage(page);
  await directory.open(`?q=${encodeURIComponent(name)}`);
  await directory.row(name).getByRole('link', { name, exact: true }).click();
  const client = new ClientPage(page);
  await expect(client.heading()).toContainText(name);
  await hydrated(page);
  const keys = client.section('API keys');
  await keys.getByText('New key').click();
  await keys.getByRole('button', { name: 'Make key' }).click();
  await expect(keys.getByText('Choose at least one thing the key may do.')).toBeVisible();
  const label = `Platform ${project} ${Date.now()}`;
  await keys.getByLabel('Name').fill(label);
  await keys.getByLabel('Read the credit balances').check();
  await keys.getByRole('button', { name: 'Make key' }).click();
  const secret = keys.getByLabel('New API key');
  await expect(secret).toContainText('sbk_');
  const text = (await secret.textContent())!.trim();
  await expect(keys).toContainText(label);
  await keys.screenshot({ path: `screenshots/${project}-client-api-keys.png` });

  // It opens the API for that account, and only for what it may do.
  const balance = await request.get('/api/v1/balance', { headers: { Authorization: `Bearer ${text}` } });
  expect(balance.status()).toBe(200);
  const calls = await request.post('/api/v1/calls', { headers: { Authorization: `Bearer ${text}` }, data: {} });
  expect(calls.status()).toBe(403);

  await keys.getByText(`Rotate or revoke ${label}`).click();
  await keys.getByRole('button', { name: 'Revoke now' }).click();
  await expect(keys.getByRole('listitem').filter({ hasText: label })).toContainText('Revoked');
  const refused = await request.get('/api/v1/balance', { headers: { Authorization: `Bearer ${text}` } });
  expect(refused.status()).toBe(401);
  expect(consoleErrors).toEqual([]);
});
