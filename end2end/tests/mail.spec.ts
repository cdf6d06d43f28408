import { collectConsoleErrors, expect, PARTNERS, test } from '../fixtures';
import { NewClientPage } from '../pages/clients-page';
import { emailTo } from '../pages/mail';

test("a new client's first admin activates their account from the welcome email", async ({ partnerAdminPage: page, ownBrowser, project }) => {
  const address = `ivy.${project}@ivy-florist.test`;
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
  // In the partner's brand.
  const { product } = PARTNERS.northwind;
  expect(email.subject).toBe(`Your ${product} account`);
  // The sender's name, without the address and any quotes around the name.
  expect(email.from.replace(/\s*<[^>]*>$/, '').replace(/^"(.*)"$/, '$1')).toBe(product);
  expect(email.text).toContain(`Username: ${address}`);
  expect(email.text).not.toContain('Switchboard');
  const link = email.text.match(/https?:\/\/\S+\/activate\?token=\S+/)?.[0];
  expect(link, 'an activation link on the branding domain').toMatch(/^http:\/\/portal\.northwind\.test:\d+\//);

  const shown = await ownBrowser();
  await shown.setContent(email.html);
  await shown.screenshot({ path: `screenshots/${project}-welcome-email.png`, fullPage: true });
  await shown.close();

  // The client admin, in a browser of their own, follows the link.
  const client = await ownBrowser();
  const errors = collectConsoleErrors(client);
  await client.goto(link!);
  await expect(client.getByRole('heading', { name: 'Activate your account' })).toBeVisible();
  await expect(client.getByText(address)).toBeVisible();
  await expect(client.locator('.logo-name').first()).toHaveText(product);
  await client.getByLabel('New password', { exact: true }).fill('ivy florist long passphrase');
  await client.getByLabel('Confirm new password').fill('ivy florist long passphrase');
  await client.getByRole('button', { name: 'Activate and sign in' }).click();
  await expect(client.getByRole('heading', { level: 1, name: `Ivy Florist ${project}` })).toBeVisible();

  // The link worked once.
  await client.goto(link!);
  await expect(client.getByText('This activation link has expired or was already used.')).toBeVisible();
  expect(errors).toEqual([]);
});
