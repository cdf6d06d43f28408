import { expect, test } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { ClientPage, DirectoryPage } from '../pages/clients-page';
import { AppShell, collectConsoleErrors, hydrated, LoginPage, USERS } from '../pages/login-page';

test('a partner admin finds a change in the audit log by action and person, and exports it', async ({ page, isMobile }, testInfo) => {
  const project = testInfo.project.name;
  const errors = collectConsoleErrors(page);
  const status = `Audit check ${project} ${Date.now()}`;
  // One client per project: the two runs at once would otherwise race on its version.
  const clientName = project === 'desktop' ? 'Harbor Dental' : 'Summit Veterinary';
  const login = new LoginPage(page);
  await login.open();
  await login.signInAs(USERS.partnerAdmin.email);

  // A change to record: a client's status for operators.
  const directory = new DirectoryPage(page);
  await directory.open();
  await directory.search(clientName);
  await directory.row(clientName).getByRole('link', { name: clientName, exact: true }).click();
  const client = new ClientPage(page);
  await expect(client.heading()).toContainText(clientName);
  await hydrated(page);
  const operator = client.section('Status for operators');
  await operator.getByLabel('What operators should know right now').fill(status);
  await operator.getByRole('button', { name: 'Update status' }).click();
  await expect(operator.getByLabel('What operators should know right now')).toHaveValue(status);

  // The log, from the navigation.
  const shell = new AppShell(page);
  if (isMobile) {
    await page.getByRole('button', { name: 'Menu' }).click();
  }
  await shell.mainNavigation().getByRole('link', { name: 'Audit log' }).click();
  await expect(shell.heading()).toHaveText('Audit log');
  await hydrated(page);
  await page.getByLabel('Action').selectOption('client.operator_status_set');
  await page.getByLabel('Person', { exact: true }).fill('admin@northwind');
  await page.getByRole('button', { name: 'Apply' }).click();
  await expect(page).toHaveURL(/action=client\.operator_status_set/);
  const entry = page.getByRole('listitem').filter({ hasText: status }).first();
  await expect(entry).toBeVisible();
  await expect(entry).toContainText('Nora North <admin@northwind.test>');
  await expect(entry).toContainText(clientName);
  await page.screenshot({ path: `screenshots/${project}-audit-log.png`, fullPage: true });

  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('link', { name: 'Export CSV' }).click(),
  ]);
  expect(download.suggestedFilename()).toBe('audit-log.csv');
  const csv = readFileSync((await download.path())!, 'utf8');
  expect(csv.split('\n')[0]).toBe('id,when,actor,subject,place,action,details,address,impersonation,acting_as');
  expect(csv).toContain(status);
  expect(csv).not.toContain('auth.sign_in');
  expect(errors).toEqual([]);
});

test('someone without the audit permission has no log to read', async ({ page }) => {
  const login = new LoginPage(page);
  await login.open();
  await login.signInAs(USERS.clientAdmin.email);
  await expect(new AppShell(page).mainNavigation().getByRole('link', { name: 'Audit log' })).toHaveCount(0);
  await page.goto('/audit');
  await expect(page.getByText('You do not have permission to read the audit log.')).toBeVisible();
});
