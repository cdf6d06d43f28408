import { expect, test } from '@playwright/test';
import { NewClientPage } from '../pages/clients-page';
import { emailTo } from '../pages/mail';
import { collectConsoleErrors, LoginPage, USERS } from '../pages/login-page';

test("a new client's first admin activates their account from the welcome email", async ({ page, browser }, testInfo) => {
  const project = testInfo.project.name;
  const address = `ivy.${project}@ivy-florist.test`;
  const login = new LoginPage(page);
  await login.open();
  await login.signInAs(USERS.partnerAdmin.email);
  const form = new NewClientPage(page);
  await form.open();
  await form.fill({
    name: `Ivy Florist ${project}`,
    contact: 'Ivy Ivers',
    email: address,
    phone: '+1 206 555 0177',
    group: 'Northwind Telecom › West Region › Seattle',
    features: ['Voice'],
  });
  await form.submit();
  await expect(page.getByRole('heading', { name: 'Client account added' })).toBeVisible();
  await expect(page.getByText('An email with their username')).toBeVisible();

  const email = await emailTo(address);
  // The settings test renames the brand per project while this runs.
  expect(email.subject).toMatch(/^Your Northwind Connect( \w+)? account$/);
  expect(email.from).toContain('Northwind Connect');
  expect(email.text).toContain(`Username: ${address}`);
  expect(email.text).not.toContain('Switchboard');
  const link = email.text.match(/https?:\/\/\S+\/activate\?token=\S+/)?.[0];
  expect(link, 'an activation link on the branding domain').toMatch(/^http:\/\/portal\.northwind\.test:\d+\//);

  const shown = await browser.newPage({ viewport: page.viewportSize() ?? undefined });
  await shown.setContent(email.html);
  await shown.screenshot({ path: `screenshots/${project}-welcome-email.png`, fullPage: true });
  await shown.close();

  // The client admin, in a browser of their own, follows the link.
  const context = await browser.newContext({ viewport: page.viewportSize() ?? undefined });
  const client = await context.newPage();
  const errors = collectConsoleErrors(client);
  await client.goto(link!);
  await expect(client.getByRole('heading', { name: 'Activate your account' })).toBeVisible();
  await expect(client.getByText(address)).toBeVisible();
  await expect(client.locator('.logo-name').first()).toContainText('Northwind Connect');
  await client.getByLabel('New password', { exact: true }).fill('ivy florist long passphrase');
  await client.getByLabel('Confirm new password').fill('ivy florist long passphrase');
  await client.getByRole('button', { name: 'Activate and sign in' }).click();
  await expect(client.getByRole('heading', { level: 1, name: `Ivy Florist ${project}` })).toBeVisible();

  // The link worked once.
  await client.goto(link!);
  await expect(client.getByText('This activation link has expired or was already used.')).toBeVisible();
  expect(errors).toEqual([]);
  await context.close();
});
