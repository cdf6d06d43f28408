import { expect, test } from '../fixtures';
import { AppShell, hydrated, LoginPage } from '../pages/login-page';
import { emailTo } from '../pages/mail';
import { UsersPage } from '../pages/users-page';

test('an invited user with two roles activates from the email, and signs in', async ({ partnerAdminPage: page, consoleErrors, openSection, ownBrowser, project }) => {
  const email = `uma.${project}@northwind.test`;
  const users = new UsersPage(page);
  await openSection('Users');
  await users.expectOpen();
  await expect(page.getByText('Northwind Telecom').first()).toBeVisible();
  await page.screenshot({ path: `screenshots/${project}-users.png`, fullPage: true });

  await users.invite({ email, name: `Uma ${project}`, roles: ['User', 'Messaging Agent'] });
  // A role above what a partner admin holds is there, but cannot be given.
  await expect(users.roleBox('Support Agent')).toBeDisabled();
  await page.screenshot({ path: `screenshots/${project}-invite.png`, fullPage: true });
  await page.getByRole('button', { name: 'Send invite' }).click();
  await expect(page.getByRole('heading', { name: 'Invite sent' })).toBeVisible();

  // The same address again is refused at its field, with what was typed kept.
  await page.getByRole('link', { name: 'Invite another' }).click();
  await users.fillInvite({ email, name: 'Someone Else', roles: ['User'] });
  await page.getByRole('button', { name: 'Send invite' }).click();
  await expect(page.getByText('They already have roles here')).toBeVisible();
  await expect(page.getByLabel('Name', { exact: true })).toHaveValue('Someone Else');

  const message = await emailTo(email);
  expect(message.text).toContain(`Username: ${email}`);
  const link = message.text.match(/https?:\/\/\S+\/activate\?token=\S+/)?.[0];
  expect(link).toMatch(/^http:\/\/portal\.northwind\.test:\d+\//);

  const invitee = await ownBrowser();
  await invitee.goto(link!);
  await expect(invitee.getByRole('heading', { name: 'Activate your account' })).toBeVisible();
  const passphrase = `uma ${project} keeps a long passphrase`;
  await invitee.getByLabel('New password', { exact: true }).fill(passphrase);
  await invitee.getByLabel('Confirm new password').fill(passphrase);
  await invitee.getByRole('button', { name: 'Activate and sign in' }).click();
  await expect(invitee).toHaveURL(/\/$/);
  const shell = new AppShell(invitee);
  await shell.signOut(`Uma ${project}`);
  // Signed out on their branding domain, they sign in there again.
  await expect(invitee).toHaveURL(/portal\.northwind\.test:\d+\/login$/);
  await hydrated(invitee);
  await new LoginPage(invitee).signIn(email, passphrase);
  await expect(invitee).toHaveURL(/\/$/);

  // Back in the admin's list: active now, with both roles given here.
  await page.goto('/');
  await openSection('Users');
  await users.expectOpen();
  await users.search(`uma.${project}`);
  await expect(users.row(`Uma ${project}`)).toContainText('Active');
  await expect(users.row(`Uma ${project}`)).toContainText('Messaging Agent');
  expect(consoleErrors).toEqual([]);
});

test('the role editor shows roles from above read-only and saves the ones given here', async ({ partnerAdminPage: page, consoleErrors, project }) => {
  await page.goto('/clients?q=Harbor+Dental');
  await page.getByRole('link', { name: 'Harbor Dental', exact: true }).first().click();
  await expect(page.getByRole('heading', { level: 1, name: /^Harbor Dental/ })).toBeVisible();
  await page.getByRole('main').getByRole('link', { name: 'Users', exact: true }).click();
  const users = new UsersPage(page);
  await users.expectOpen();
  await expect(users.row('Hana Harbor')).toContainText('Client Admin');
  await expect(users.row('Nora North')).toContainText('From Northwind Telecom');

  // The partner admin reaches this account from above: read-only here.
  await users.openUser('Nora North');
  const inherited = page.getByRole('region', { name: 'Inherited from above' });
  await expect(inherited).toContainText('Northwind Telecom');
  await expect(inherited).toContainText('Account Admin');
  await expect(users.roleBox('Account Admin')).not.toBeChecked();
  await expect(page.getByText('Also given from above by Northwind Telecom.').first()).toBeVisible();
  await expect(users.roleBox('Platform Admin')).toBeDisabled();
  await page.screenshot({ path: `screenshots/${project}-role-editor-inherited.png`, fullPage: true });

  // A new Account Manager of the account gets a Messaging Agent's role too.
  await page.getByRole('link', { name: 'Users of Harbor Dental' }).click();
  await users.expectOpen();
  const name = `Max ${project}`;
  await users.invite({ email: `max.${project}@harbor-dental.test`, name, roles: ['Account Manager'] });
  await page.getByRole('button', { name: 'Send invite' }).click();
  await page.getByRole('link', { name: 'Open their roles' }).click();
  await expect(page.getByRole('heading', { level: 1, name: new RegExp(`^${name}`) })).toBeVisible();
  await expect(page.getByRole('heading', { level: 1 })).toContainText('Account Manager');
  await users.roleBox('Messaging Agent').check();
  await page.getByRole('button', { name: 'Save roles' }).click();
  await expect(page.getByText('Roles saved.')).toBeVisible();
  await page.reload();
  await expect(users.roleBox('Messaging Agent')).toBeChecked();
  await expect(users.roleBox('Account Manager')).toBeChecked();
  await page.screenshot({ path: `screenshots/${project}-role-editor.png`, fullPage: true });
  expect(consoleErrors).toEqual([]);
});

test('an admin sets a generated password and the user must change it at sign-in', async ({ partnerAdminPage: page, openSection, ownBrowser, project }) => {
  const email = `gia.${project}@northwind.test`;
  const name = `Gia ${project}`;
  const users = new UsersPage(page);
  await openSection('Users');
  await users.expectOpen();
  await users.invite({ email, name, roles: ['User'] });
  await page.getByRole('button', { name: 'Send invite' }).click();
  await page.getByRole('link', { name: 'Open their roles' }).click();
  await expect(page.getByRole('heading', { level: 1, name: new RegExp(`^${name}`) })).toBeVisible();

  await page.getByRole('button', { name: 'Set a generated password' }).click();
  const shown = page.getByLabel('Generated password');
  await expect(shown).toHaveText(/^[A-Za-z0-9]{5}(-[A-Za-z0-9]{5}){3}$/);
  const password = (await shown.textContent())!;
  await page.screenshot({ path: `screenshots/${project}-generated-password.png`, fullPage: true });

  const user = await ownBrowser();
  const theirLogin = new LoginPage(user);
  await theirLogin.open();
  await theirLogin.signIn(email, password);
  await expect(user).toHaveURL('/change-password');
  await user.getByLabel('Current password').fill(password);
  await user.getByLabel('New password', { exact: true }).fill(`gia ${project} chose her own words`);
  await user.getByLabel('Confirm new password').fill(`gia ${project} chose her own words`);
  await user.getByRole('button', { name: 'Change password' }).click();
  await expect(user).toHaveURL(/\/$/);
});

test('a forgotten password is reset from a mailed link', async ({ partnerAdminPage: page, openSection, users: demoUsers, project }) => {
  const email = `rex.${project}@northwind.test`;
  // Invited with a temporary password by the admin, which Rex then forgets.
  const users = new UsersPage(page);
  await page.goto('/');
  await openSection('Users');
  await users.expectOpen();
  await users.invite({ email, name: `Rex ${project}`, roles: ['User'], language: 'Français' });
  await page.getByRole('radio', { name: /temporary password/ }).check();
  await page.getByRole('button', { name: 'Send invite' }).click();
  await expect(page.getByRole('heading', { name: 'Invite sent' })).toBeVisible();
  await new AppShell(page).signOut(demoUsers.partnerAdmin.name);

  await page.getByRole('link', { name: 'Forgot your password?' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Forgot your password?' })).toBeVisible();
  await page.getByLabel('Email').fill(email);
  await page.getByRole('button', { name: 'Send me a link' }).click();
  await expect(page.getByRole('status')).toContainText('a link to choose a new password is on its way');

  const message = await emailTo(email, (sent) => sent.text.includes('/reset-password?token='));
  expect(message.text).toContain('Bonjour Rex');
  const link = message.text.match(/https?:\/\/\S+\/reset-password\?token=\S+/)?.[0];
  expect(link).toMatch(/^http:\/\/portal\.northwind\.test:\d+\//);
  await page.goto(link!);
  await expect(page.getByRole('heading', { level: 1, name: 'Choose a new password' })).toBeVisible();
  await page.getByLabel('New password', { exact: true }).fill('password123');
  await page.getByLabel('Confirm new password').fill('password123');
  await page.getByRole('button', { name: 'Save and sign in' }).click();
  await expect(page.getByText('among the first ones guessed')).toBeVisible();
  await page.getByLabel('New password', { exact: true }).fill(`rex ${project} remembers this one`);
  await page.getByLabel('Confirm new password').fill(`rex ${project} remembers this one`);
  await page.getByRole('button', { name: 'Save and sign in' }).click();
  await expect(page).toHaveURL(/\/$/);
});
