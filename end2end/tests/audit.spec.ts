import { readFileSync } from 'node:fs';
import { expect, test } from '../fixtures';
import { ClientPage, DirectoryPage } from '../pages/clients-page';
import { AppShell, hydrated } from '../pages/login-page';

test('a partner admin finds a change in the audit log by action and person, and exports it', async ({ partnerAdminPage: page, consoleErrors, openSection, project, projectData }) => {
  const status = `Audit check ${project} ${Date.now()}`;
  // A client of this project's own: the two runs at once would otherwise race on its version.
  const clientName = projectData.auditedClient;

  // A change to record: a client's status for operators.
  const directory = new DirectoryPage(page);
  await directory.open();
  await directory.search(clientName);
  await directory.row(clientName).getByRole('link', { name: clientName, exact: true }).click();
  const client = new ClientPage(page);
  await expect(client.heading()).toContainText(clientName);
  await hydrated(page);
  await client.section('For operators').getByRole('link', { name: 'Status for operators' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Status for operators' })).toBeVisible();
  await hydrated(page);
  const change = page.getByRole('region', { name: 'Change the status' });
  await change.getByLabel('Status', { exact: true }).fill(status);
  await change.getByRole('button', { name: 'Save status' }).click();
  await expect(page.getByRole('region', { name: 'Operators read now' })).toContainText(status);

  // The log, from the navigation.
  const shell = new AppShell(page);
  await openSection('Audit log');
  await expect(shell.heading()).toHaveText('Audit log');
  await hydrated(page);
  await page.getByLabel('Action').selectOption('status.set');
  await page.getByLabel('Person', { exact: true }).fill('admin@northwind');
  await page.getByRole('button', { name: 'Apply' }).click();
  await expect(page).toHaveURL(/action=status\.set/);
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
  expect(consoleErrors).toEqual([]);
});

test('someone without the audit permission has no log to read', async ({ clientAdminPage: page }) => {
  await expect(new AppShell(page).mainNavigation().getByRole('link', { name: 'Audit log' })).toHaveCount(0);
  await page.goto('/audit');
  await expect(page.getByText('You do not have permission to read the audit log.')).toBeVisible();
});
