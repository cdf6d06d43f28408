import type { Page } from '@playwright/test';
import { expect, PARTNERS, test } from '../fixtures';
import { ClientPage, NewClientPage } from '../pages/clients-page';
import { AppShell, LoginPage } from '../pages/login-page';
import { emailTo, textTo } from '../pages/mail';
import { UsersPage } from '../pages/users-page';

/** The step of the verification page for one channel. */
function step(page: Page, heading: 'Email address' | 'Mobile number') {
  return page.getByRole('listitem').filter({ has: page.getByRole('heading', { name: heading }) });
}

/** A six-digit code that is not `code`. */
function another(code: string) {
  return `${(Number(code[0]) + 1) % 10}${code.slice(1)}`;
}

test('a client user must verify email and mobile before seeing anything', async ({ partnerAdminPage: page, consoleErrors, ownBrowser, project, projectData }) => {
  const clientName = `Quill Optics ${project}`;
  const email = `quinn.${project}@quill-optics.test`;
  const mobile = projectData.mobileNumber;

  // The partner's admin opens a client account whose Client Users verify both.
  const form = new NewClientPage(page);
  await form.open();
  await form.fill({
    name: clientName,
    contact: 'Quentin Quill',
    email: `office.${project}@quill-optics.test`,
    phone: '+1 206 555 0199',
    group: 'Northwind Telecom › West Region › Seattle',
    features: ['Voice'],
    seats: '3',
  });
  await form.submit();
  await page.getByRole('link', { name: 'Open the client account' }).click();
  const client = new ClientPage(page);
  await expect(client.heading()).toContainText(clientName);
  const verification = client.section('Client User verification');
  await expect(verification.getByLabel('Verify')).toHaveValue('email');
  await verification.getByLabel('Verify').selectOption({ label: 'Email address and mobile number' });
  // Reloaded once the save is answered: a reload sooner could cancel it.
  const saved = page.waitForResponse(
    (response) => response.url().includes('/api/set_client_verification') && response.request().method() === 'POST',
  );
  await verification.getByRole('button', { name: 'Save verification' }).click();
  await saved;
  await page.reload();
  await expect(client.section('Client User verification').getByLabel('Verify')).toHaveValue('email_and_sms');
  await client.section('Client User verification').screenshot({ path: `screenshots/${project}-client-verification.png` });

  // They invite a Client User with a temporary password: the email is not proved.
  await page.getByRole('main').getByRole('link', { name: 'Users', exact: true }).click();
  const users = new UsersPage(page);
  await users.expectOpen();
  await users.invite({ email, name: `Quinn ${project}`, roles: ['Client User'] });
  await page.getByRole('radio', { name: /temporary password/ }).check();
  await page.getByRole('button', { name: 'Send invite' }).click();
  const temporary = (await page.locator('.secret-value').textContent())!.trim();
  expect(consoleErrors).toEqual([]);

  // The client user changes the password, then is held at verification.
  const them = await ownBrowser();
  const theirLogin = new LoginPage(them);
  await theirLogin.open();
  await theirLogin.signIn(email, temporary);
  await expect(them).toHaveURL('/change-password');
  await them.getByLabel('Current password').fill(temporary);
  await them.getByLabel('New password', { exact: true }).fill(`quinn ${project} reads the small print`);
  await them.getByLabel('Confirm new password').fill(`quinn ${project} reads the small print`);
  await them.getByRole('button', { name: 'Change password' }).click();
  await expect(them).toHaveURL('/verify');
  await expect(them.getByRole('heading', { level: 1, name: 'Verify your account' })).toBeVisible();
  await them.goto('/clients');
  await expect(them).toHaveURL('/verify');
  await expect(them.getByRole('heading', { level: 1, name: 'Verify your account' })).toBeVisible();
  await them.screenshot({ path: `screenshots/${project}-verify.png`, fullPage: true });

  // The email code: a wrong one is counted, the right one proves the address.
  await step(them, 'Email address').getByRole('button', { name: 'Send code' }).click();
  const mailed = await emailTo(email, (message) => message.subject.includes('verification code'));
  const emailCode = mailed.subject.match(/(\d{6})$/)![1];
  await step(them, 'Email address').getByLabel('Code from the email').fill(another(emailCode));
  await step(them, 'Email address').getByRole('button', { name: 'Verify' }).click();
  await expect(them.getByText('That is not the code we sent. 4 tries left.')).toBeVisible();
  await them.screenshot({ path: `screenshots/${project}-verify-wrong-code.png`, fullPage: true });
  await step(them, 'Email address').getByLabel('Code from the email').fill(emailCode);
  await step(them, 'Email address').getByRole('button', { name: 'Verify' }).click();
  await expect(them.getByText('Email address verified')).toBeVisible();

  // The mobile number: it needs its country code; the texted code proves it.
  const mobileStep = step(them, 'Mobile number');
  await mobileStep.getByLabel('Mobile number').fill('617 555 0100');
  await mobileStep.getByRole('button', { name: 'Send code' }).click();
  await expect(mobileStep.getByText('Start with + and the country code')).toBeVisible();
  await mobileStep.getByLabel('Mobile number').fill(mobile);
  await mobileStep.getByRole('button', { name: 'Send code' }).click();
  const texted = await textTo(mobile.replace(/ /g, ''));
  // In the partner's brand.
  const code = texted.body.slice(0, 6);
  expect(code).toMatch(/^\d{6}$/);
  expect(texted.body).toBe(
    `${code} is your ${PARTNERS.northwind.product} verification code. It expires in 10 minutes.`,
  );
  await mobileStep.getByLabel('Code from the text message').fill(code);
  await them.screenshot({ path: `screenshots/${project}-verify-sms.png`, fullPage: true });
  await mobileStep.getByRole('button', { name: 'Verify' }).click();
  await expect(them).toHaveURL('/');
  await expect(new AppShell(them).heading()).toContainText(clientName);

  // Their admin sees what they proved.
  await page.getByRole('link', { name: 'Open their roles' }).click();
  const account = page.getByRole('region', { name: 'Account' });
  await expect(account.getByText('Verified', { exact: true })).toBeVisible();
  await expect(account.getByText(mobile.replace(/ /g, ''))).toBeVisible();
  await account.screenshot({ path: `screenshots/${project}-user-verified.png` });
});
