import { expect, PARTNERS, rebrand, test } from '../fixtures';
import { SettingsPage } from '../pages/settings-page';

test('a partner admin rebrands the portal, with errors shown at their fields', async ({ page, consoleErrors, signIn, openSection, project }) => {
  // Each project changes its own partner, since both run at once on one database.
  const { partner, product, supportEmail } = rebrand(project);
  await signIn(page, partner.admin);
  const settings = new SettingsPage(page);
  await openSection('Settings');
  await settings.expectOpen();
  await expect(settings.field('Branding domains')).toHaveValue(partner.domain);

  await settings.field('Product name').fill(product);
  // The browser lets this address through; the server does not.
  await settings.field('Support email').fill('help@northwind');
  await settings.field('Branding domains').fill(`${partner.domain}\nhttps://bad.example`);
  await settings.field('First increment (seconds)').fill('0');
  await settings.save();
  await expect(settings.fieldMessage('Support email')).toContainText('name@example.com');
  await expect(settings.fieldMessage('First increment (seconds)')).toContainText('from 1 to 3600');
  await expect(settings.fieldMessage('Branding domains')).toContainText('https://bad.example');
  await expect(settings.field('Product name')).toHaveValue(product);
  await page.screenshot({ path: `screenshots/${project}-settings-errors.png`, fullPage: true });

  await settings.field('Support email').fill(supportEmail);
  await settings.field('Branding domains').fill(partner.domain);
  await settings.field('Primary colour').fill('#7c3aed');
  await settings.field('First increment (seconds)').fill('30');
  await settings.field('Then every (seconds)').fill('6');
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
  await expect(settings.field('First increment (seconds)')).toHaveValue('30');
  await expect(settings.field('Then every (seconds)')).toHaveValue('6');
  const brandColour = await page.evaluate(() =>
    getComputedStyle(document.documentElement).getPropertyValue('--brand').trim(),
  );
  expect(brandColour).toBe('#7c3aed');
  // Help comes from the partner: its support address is in the account menu.
  await page.locator('.user-menu summary').click();
  await expect(page.getByRole('link', { name: 'Contact support' })).toHaveAttribute('href', `mailto:${supportEmail}`);
  await page.screenshot({ path: `screenshots/${project}-account-menu.png` });
  await page.screenshot({ path: `screenshots/${project}-settings.png`, fullPage: true });
  expect(consoleErrors).toEqual([]);
});

test('a page opened on a branding domain wears that partner brand', async ({ page, baseURL, project }) => {
  const partner = PARTNERS.bluebird;
  // Chromium resolves every *.test host to this machine (see playwright.config.ts).
  const port = new URL(baseURL!).port;
  await page.goto(`http://${partner.domain}:${port}/login`);
  await expect(page.getByRole('heading', { level: 1, name: 'Sign in' })).toBeVisible();
  await expect(page.locator('.logo-name')).toHaveText(partner.product);
  await expect(page).toHaveTitle(`Sign in · ${partner.product}`);
  await expect(page.getByText('Trouble signing in? Write to')).toBeVisible();
  await expect(page.getByRole('link', { name: partner.supportEmail, exact: true })).toBeVisible();
  await page.screenshot({ path: `screenshots/${project}-branded-sign-in.png` });

  await page.goto('/login');
  await expect(page.locator('.logo-name')).toHaveText('Switchboard');
  await expect(page.getByText('Trouble signing in?')).toHaveCount(0);
});
