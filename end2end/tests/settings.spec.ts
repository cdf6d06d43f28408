import { expect, test } from '@playwright/test';
import { collectConsoleErrors, LoginPage } from '../pages/login-page';
import { SettingsPage } from '../pages/settings-page';

// Each project changes its own partner, since both run at once on one database.
const PARTNERS = {
  desktop: { admin: 'admin@northwind.test', product: 'Northwind Connect', domain: 'portal.northwind.test' },
  mobile: { admin: 'admin@bluebird.test', product: 'Bluebird Portal', domain: 'my.bluebird.test' },
} as const;

test('a partner admin rebrands the portal, with errors shown at their fields', async ({ page, isMobile }, testInfo) => {
  const errors = collectConsoleErrors(page);
  const project = testInfo.project.name as keyof typeof PARTNERS;
  const partner = PARTNERS[project];
  const login = new LoginPage(page);
  await login.open();
  await login.signInAs(partner.admin);
  const settings = new SettingsPage(page);
  await settings.openFromNavigation(isMobile);
  await expect(settings.field('Branding domains')).toHaveValue(new RegExp(partner.domain));

  const product = `${partner.product} ${project}`;
  await settings.field('Product name').fill(product);
  // The browser lets this address through; the server does not.
  await settings.field('Support email').fill('help@northwind');
  await settings.field('Branding domains').fill(`${partner.domain}\nhttps://bad.example`);
  await settings.save();
  await expect(settings.fieldMessage('Support email')).toContainText('name@example.com');
  await expect(settings.fieldMessage('Branding domains')).toContainText('https://bad.example');
  await expect(settings.field('Product name')).toHaveValue(product);
  await page.screenshot({ path: `screenshots/${project}-settings-errors.png`, fullPage: true });

  await settings.field('Support email').fill(`help@${partner.domain}`);
  await settings.field('Branding domains').fill(partner.domain);
  await settings.field('Primary colour').fill('#7c3aed');
  await settings.save();
  await expect(page.getByRole('status')).toHaveText('Settings saved.');
  await expect(settings.field('Product name')).toHaveValue(product);
  // "Saved" speaks of the last save only: a refused one takes it away.
  await settings.field('Support email').fill('help@northwind');
  await settings.save();
  await expect(settings.fieldMessage('Support email')).toContainText('name@example.com');
  await expect(page.getByRole('status')).toHaveText('');

  // The new brand shows at once after a reload: name, tab title and colours.
  await page.reload();
  await expect(settings.productName()).toHaveText(product);
  await expect(page).toHaveTitle(`Partner settings · ${product}`);
  const brandColour = await page.evaluate(() =>
    getComputedStyle(document.documentElement).getPropertyValue('--brand').trim(),
  );
  expect(brandColour).toBe('#7c3aed');
  // Help comes from the partner: its support address is in the account menu.
  await page.locator('.user-menu summary').click();
  await expect(page.getByRole('link', { name: 'Contact support' })).toHaveAttribute(
    'href',
    `mailto:help@${partner.domain}`,
  );
  await page.screenshot({ path: `screenshots/${project}-account-menu.png` });
  await page.screenshot({ path: `screenshots/${project}-settings.png`, fullPage: true });
  expect(errors).toEqual([]);
});

test('a page opened on a branding domain wears that partner brand', async ({ page }) => {
  // Chromium resolves every *.test host to this machine (see playwright.config.ts).
  const port = new URL(test.info().project.use.baseURL ?? 'http://127.0.0.1:3917').port;
  await page.goto(`http://my.bluebird.test:${port}/login`);
  await expect(page.getByRole('heading', { level: 1, name: 'Sign in' })).toBeVisible();
  await expect(page.locator('.logo-name')).toContainText('Bluebird Portal');
  await expect(page).toHaveTitle(/Bluebird Portal/);
  // The mobile project may be changing Bluebird's support address meanwhile.
  await expect(page.getByText('Trouble signing in? Write to')).toBeVisible();
  await expect(page.getByRole('link', { name: /^help@(my\.)?bluebird\.test$/ })).toBeVisible();
  await page.screenshot({ path: `screenshots/${test.info().project.name}-branded-sign-in.png` });

  await page.goto('/login');
  await expect(page.locator('.logo-name')).toHaveText('Switchboard');
  await expect(page.getByText('Trouble signing in?')).toHaveCount(0);
});
