import type { Page } from '@playwright/test';
import { expect, test } from '../fixtures';
import { ClientPage, NewClientPage } from '../pages/clients-page';
import { LogInAsPage, SessionBanner } from '../pages/impersonation';
import { AppShell, hydrated, LoginPage } from '../pages/login-page';

/** Signs in on `page` with a password of the test's own. */
async function signIn(page: Page, email: string, password: string) {
  const login = new LoginPage(page);
  await login.open();
  await login.signIn(email, password);
}

test('a partner admin acts as a client user under a banner that warns of the client, and stops', async ({ partnerAdminPage: page, consoleErrors, openSection, ownBrowser, project }) => {
  test.setTimeout(120_000);
  const stamp = Date.now();
  const account = `Otter Clinic ${project} ${stamp}`;
  const adminEmail = `otto.${project}.${stamp}@otter-clinic.test`;
  const adminPassword = `otto ${project} keeps the lights on`;
  const reason = `Ticket ${stamp}: the operator status looks wrong`;

  // The partner admin adds a client account whose admin gets a temporary password.
  const form = new NewClientPage(page);
  await form.open();
  await form.fill({
    name: account,
    contact: 'Otto Otter',
    email: adminEmail,
    phone: '+1 617 555 0199',
    group: 'Northwind Telecom › East Region › Boston Metro › Back Bay',
    features: ['Voice'],
    temporaryPassword: true,
  });
  await form.submit();
  await expect(page.getByRole('heading', { name: 'Client account added' })).toBeVisible();
  const temporary = (await page.locator('.secret-value').textContent())!.trim();
  await page.getByRole('link', { name: 'Open the client account' }).click();
  const clientPage = new ClientPage(page);
  await expect(clientPage.heading()).toContainText(account);
  const accountUrl = new URL(page.url()).pathname;
  const banner = new SessionBanner(page);
  await expect(banner.banner()).toHaveCount(0);

  // The client's admin signs in, in a browser of their own, and stays on their account.
  const client = await ownBrowser();
  await signIn(client, adminEmail, temporary);
  await expect(client).toHaveURL('/change-password');
  await client.getByLabel('Current password').fill(temporary);
  await client.getByLabel('New password', { exact: true }).fill(adminPassword);
  await client.getByLabel('Confirm new password').fill(adminPassword);
  await client.getByRole('button', { name: 'Change password' }).click();
  await expect(client).toHaveURL('/');
  await client.goto(accountUrl);
  await expect(new ClientPage(client).heading()).toContainText(account);
  await hydrated(client);

  // They let support in for a week, from their account's page.
  const support = new ClientPage(client).section('Support access');
  await expect(support).toContainText('Support staff cannot open this account.');
  await support.getByLabel('Let support in for').selectOption({ label: '7 days' });
  await support.getByRole('button', { name: 'Grant support access' }).click();
  await expect(support).toContainText('Granted by Otto Otter until');
  await client.screenshot({ path: `screenshots/${project}-support-access.png`, fullPage: true });

  // The partner admin logs in as the client's admin, with a reason.
  await page.screenshot({ path: `screenshots/${project}-client-log-in-as.png`, fullPage: true });
  await clientPage.section('Log in as').getByRole('link', { name: 'Log in as Client' }).click();
  const logInAs = new LogInAsPage(page);
  await logInAs.expectOpen(account);
  await page.getByRole('button', { name: 'Log in', exact: true }).click();
  await expect(page.getByText('Say why you need to log in')).toBeVisible();
  await expect(page.getByText('Choose the user to act as.')).toBeVisible();
  await page.screenshot({ path: `screenshots/${project}-log-in-as.png`, fullPage: true });
  await logInAs.logIn({ mode: 'Log in as Client', user: `Otto Otter · Client Admin (${adminEmail})`, reason });
  await expect(page).toHaveURL('/');
  await expect(banner.banner()).toContainText('Nora North (you) acting as Otto Otter');
  await expect(banner.banner()).toContainText(account);
  await expect(banner.banner()).toContainText(/\d+:\d\d left/);
  await expect(new AppShell(page).userMenu('Otto Otter')).toBeVisible();

  // The client is seen within seconds; the client sees that support is in.
  await expect(banner.warning()).toContainText('Otto Otter (Client Admin, active now)', { timeout: 20_000 });
  await expect(client.getByRole('status').filter({ hasText: 'Support is in your account' })).toContainText(
    'Nora North',
    { timeout: 20_000 },
  );
  await page.screenshot({ path: `screenshots/${project}-impersonation-banner.png` });
  await client.screenshot({ path: `screenshots/${project}-support-notice.png` });

  // The banner is on every page while impersonating.
  await openSection('Users');
  await expect(page.getByRole('heading', { level: 1, name: 'Users' })).toBeVisible();
  await expect(banner.banner()).toBeVisible();
  await openSection('Access history');
  await expect(page.getByRole('heading', { level: 1, name: 'Access history' })).toBeVisible();
  await expect(banner.banner()).toBeVisible();
  await page.goto(accountUrl);
  await expect(clientPage.heading()).toContainText(account);
  await expect(banner.banner()).toBeVisible();
  await hydrated(page);

  // Both edit the status for operators: the second save is refused, naming the first.
  const statusForm = (on: typeof page) => on.getByRole('region', { name: 'Change the status' });
  await page.goto('/status');
  await hydrated(page);
  await client.goto('/status');
  await hydrated(client);
  await statusForm(client).getByLabel('Status', { exact: true }).fill(`Closed for lunch ${stamp}`);
  await statusForm(client).getByRole('button', { name: 'Save status' }).click();
  await expect(client.getByRole('region', { name: 'Operators read now' })).toContainText(`Closed for lunch ${stamp}`);
  await statusForm(page).getByLabel('Status', { exact: true }).fill(`Open all day ${stamp}`);
  await statusForm(page).getByRole('button', { name: 'Save status' }).click();
  await expect(statusForm(page).getByRole('alert')).toContainText('Otto Otter changed this status');
  await expect(statusForm(page).getByLabel('Status', { exact: true })).toHaveValue(`Open all day ${stamp}`);
  await page.screenshot({ path: `screenshots/${project}-impersonation-conflict.png`, fullPage: true });

  // The client leaves: the warning goes.
  await new AppShell(client).signOut('Otto Otter');
  await expect(client).toHaveURL(/\/login/);
  await expect(banner.warning()).toHaveCount(0, { timeout: 20_000 });

  // Stop: back where it started, as themselves, with no banner.
  await banner.stop();
  await expect(page).toHaveURL(accountUrl);
  await expect(banner.banner()).toHaveCount(0);
  await expect(new AppShell(page).userMenu('Nora North')).toBeVisible();
  await page.getByRole('main').getByRole('link', { name: 'Users', exact: true }).click();
  const ottoRow = page.getByRole('listitem').filter({ hasText: adminEmail });
  await expect(ottoRow.getByRole('link', { name: 'Log in as' })).toHaveAttribute('href', /log-in-as\?user=\d+/);

  // The audit log has the visit, start to stop, under the person acted as.
  await page.goto(`/audit?subject=${encodeURIComponent(adminEmail)}&action=impersonation.started`);
  const started = page.getByRole('listitem').filter({ hasText: reason });
  await expect(started).toContainText(`Nora North <admin@northwind.test> as Otto Otter <${adminEmail}>`);
  await started.getByRole('link', { name: /^Through impersonation #\d+/ }).click();
  await expect(page).toHaveURL(/impersonation=\d+/);
  await expect(page.getByRole('listitem').filter({ hasText: 'impersonation.ended' })).toContainText('"reason":"stopped"');
  await expect(page.getByRole('listitem').filter({ hasText: 'impersonation.started' })).toHaveCount(1);

  // The client's admin finds the visit, its reason and the change in their access history.
  await signIn(client, adminEmail, adminPassword);
  await expect(client).toHaveURL('/');
  await openSection('Access history', client);
  const visit = client.getByRole('listitem').filter({ hasText: reason });
  await expect(visit).toContainText('Nora North');
  await expect(visit).toContainText('as Otto Otter');
  await expect(visit).toContainText('Stopped at');
  await expect(visit.getByRole('list', { name: 'Changes' })).toHaveCount(0);
  await client.screenshot({ path: `screenshots/${project}-access-history.png`, fullPage: true });

  // And withdraw support access.
  await client.goto(accountUrl);
  await hydrated(client);
  await support.getByRole('button', { name: 'Revoke support access' }).click();
  await expect(support).toContainText('Support staff cannot open this account.');
  expect(consoleErrors).toEqual([]);
});

test('a support agent opens only accounts that granted access, as the partner, and stops', async ({ supportAgentPage: page, openSection, project }) => {
  const reason = `Support ${project} ${Date.now()}: checking seats`;
  await openSection('Support');
  await expect(page.getByRole('heading', { level: 1, name: 'Support' })).toBeVisible();
  const harbor = page.getByRole('row').filter({ hasText: 'Harbor Dental' });
  await expect(harbor).toContainText('Northwind Telecom');
  await expect(page.getByRole('row').filter({ hasText: 'Summit Veterinary' })).toHaveCount(0);
  await page.screenshot({ path: `screenshots/${project}-support-list.png`, fullPage: true });

  await harbor.getByRole('link', { name: 'Administer' }).click();
  const logInAs = new LogInAsPage(page);
  await logInAs.expectOpen('Harbor Dental');
  await logInAs.logIn({ mode: 'Log in as Partner', reason, minutes: '15 minutes' });
  const banner = new SessionBanner(page);
  await expect(banner.banner()).toContainText('Sam Support (you) as the partner in Harbor Dental');
  await expect(banner.banner()).toContainText(/1[45]:\d\d left/);
  await expect(new ClientPage(page).heading()).toContainText('Harbor Dental');
  await page.screenshot({ path: `screenshots/${project}-impersonation-partner.png` });
  await banner.stop();
  await expect(page).toHaveURL('/support');
  await expect(banner.banner()).toHaveCount(0);
});
