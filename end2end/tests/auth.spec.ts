import { expect, test, USERS } from '../fixtures';
import { AppShell, hydrated, LoginPage } from '../pages/login-page';

for (const user of [USERS.platformAdmin, USERS.partnerAdmin, USERS.clientAdmin]) {
  test(`${user.name} signs in, sees their home page and signs out`, async ({ page, consoleErrors, password, project }) => {
    const login = new LoginPage(page);
    const shell = new AppShell(page);

    await login.open();
    await page.screenshot({ path: `screenshots/${project}-login.png` });
    await login.signIn(user.email, password);

    await expect(page).toHaveURL('/');
    await expect(shell.heading()).toHaveText(user.home);
    await expect(shell.userMenu(user.name)).toBeVisible();
    await page.screenshot({
      path: `screenshots/${project}-home-${user.email.split('@')[0]}.png`,
      fullPage: true,
    });

    await shell.signOut(user.name);
    await expect(page).toHaveURL('/login');
    await page.goto('/');
    await expect(page).toHaveURL('/login');
    expect(consoleErrors).toEqual([]);
  });
}

test('a wrong password is refused with a clear message and the email is kept', async ({ page, users, project }) => {
  const login = new LoginPage(page);
  await login.open();
  await login.signIn(users.partnerAdmin.email, 'not-the-password');

  await expect(login.alert()).toHaveText('Email or password is incorrect.');
  await expect(page.getByLabel('Email')).toHaveValue(users.partnerAdmin.email);
  await expect(page).toHaveURL(/\/login/);
  await page.screenshot({ path: `screenshots/${project}-login-error.png` });
});

test('a sign-in link that cannot be used lands on the sign-in page saying why', async ({ page }) => {
  await page.goto('/sso/login?client=1&email=nobody%40example.com&expires=1&nonce=n&signature=00');
  await expect(page).toHaveURL(/\/login\?link=refused$/);
  await expect(page.getByRole('alert')).toHaveText(
    'This sign-in link is not valid: it may have expired or been used already.',
  );
  await expect(page.getByRole('heading', { level: 1, name: 'Sign in' })).toBeVisible();
});

test('signed-out visitors are sent to sign in, and back where they were going after', async ({ page, users, password }) => {
  await page.goto('/');
  await expect(page).toHaveURL('/login');

  await page.goto('/change-password');
  await expect(page).toHaveURL('/login?next=/change-password');
  await hydrated(page);
  await new LoginPage(page).signIn(users.partnerAdmin.email, password);
  await expect(page).toHaveURL('/change-password');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Change your password');
});

test('an unknown address shows a page-not-found page', async ({ page }) => {
  const response = await page.goto('/no-such-page');
  expect(response?.status()).toBe(404);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Page not found');
});

test('a temporary password must be replaced before anything else', async ({ page, project }) => {
  // scripts/e2e.sh creates one such admin per project: each changes its password once.
  const email = `temp.${project}@switchboard.test`;
  const temporary = process.env[`TEMP_PASSWORD_${project.toUpperCase()}`];
  expect(temporary, 'scripts/e2e.sh creates the temporary-password admins').toBeTruthy();
  const login = new LoginPage(page);
  await login.open();
  await login.signIn(email, temporary!);

  await expect(page).toHaveURL('/change-password');
  await expect(page.getByText('You signed in with a temporary password')).toBeVisible();
  await page.goto('/');
  await expect(page).toHaveURL('/change-password');

  await page.getByLabel('Current password').fill(temporary!);
  await page.getByLabel('New password', { exact: true }).fill('short');
  await page.getByLabel('Confirm new password').fill('different');
  await page.getByRole('button', { name: 'Change password' }).click();
  await expect(page.getByText('Use at least 10 characters')).toBeVisible();
  await expect(page.getByText('The two new passwords do not match.')).toBeVisible();
  await page.screenshot({ path: `screenshots/${project}-change-password-errors.png`, fullPage: true });

  await page.getByLabel('New password', { exact: true }).fill('plum orchard lantern river');
  await page.getByLabel('Confirm new password').fill('plum orchard lantern river');
  await page.getByRole('button', { name: 'Change password' }).click();
  await expect(page).toHaveURL('/');
  await expect(new AppShell(page).heading()).toHaveText('Platform overview');
});

test('the navigation fits the screen: sidebar on desktop, menu on phones', async ({ partnerAdminPage: page, users, isMobile }) => {
  const shell = new AppShell(page);
  await expect(shell.heading()).toHaveText(users.partnerAdmin.home);

  if (isMobile) {
    await expect(shell.mainNavigation()).toBeHidden();
    await page.getByRole('button', { name: 'Menu' }).click();
  }
  await expect(shell.mainNavigation()).toBeVisible();
  await expect(shell.mainNavigation().getByRole('link', { name: 'Home' })).toHaveAttribute('aria-current', 'page');
  await expect(shell.mainNavigation().getByRole('link', { name: 'Groups' })).toBeVisible();
});

test('client users are not offered the partner tools', async ({ clientAdminPage: page }) => {
  await expect(page.getByRole('link', { name: 'Groups' })).toHaveCount(0);
});

test.describe('with JavaScript off', () => {
  test.use({ javaScriptEnabled: false });

  test('the sign-in form still works, wrong password included', async ({ page, users, password }) => {
    const login = new LoginPage(page, { javaScript: false });
    const shell = new AppShell(page);
    await login.open();

    await login.signIn(users.clientAdmin.email, 'not-the-password');
    await expect(login.alert()).toHaveText('Email or password is incorrect.');

    await login.signIn(users.clientAdmin.email, password);
    await expect(page).toHaveURL('/');
    await expect(shell.heading()).toHaveText(users.clientAdmin.home);

    await shell.signOut(users.clientAdmin.name);
    await expect(page).toHaveURL('/login');
  });
});
