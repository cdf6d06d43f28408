import { expect, test } from '../fixtures';
import { logInAsClientUser, SessionBanner } from '../pages/impersonation';
import { hydrated } from '../pages/login-page';
import { expectNoSidewaysScroll } from '../pages/operators';
import { API_KEY, postMessage } from '../pages/platform-api';

test.beforeAll(() => {
  expect(API_KEY, 'scripts/e2e.sh passes the demo API key as E2E_API_KEY').toMatch(/^sbk_/);
});

test('a message the platform sends appears in the client admin\'s inbox, opens and is acknowledged', async ({ clientAdminPage: page, consoleErrors, project, request, isMobile }) => {
  await page.goto('/inbox');
  await expect(page.getByRole('heading', { level: 1, name: 'Inbox' })).toBeVisible();
  await hydrated(page);
  if (isMobile) {
    await expect(page.getByRole('navigation', { name: 'Portal' }).getByRole('link', { name: 'Inbox' })).toBeVisible();
  }

  const caller = `Morgan ${project} ${Date.now()}`;
  const answer = await postMessage(request, {
    external_id: `e2e-${caller}`,
    channel: 'call',
    priority: 'urgent',
    received_at: new Date().toISOString(),
    caller_name: caller,
    callback_number: '+1 617 555 0123',
    text: 'Chipped a front tooth, asks to be seen today.\nAvailable after 2pm.',
    fields: [{ label: 'Patient', value: caller }],
    taken_by: 'Operator Jamie',
  });
  expect(answer.balances).toHaveProperty('sms');

  // Announced, not jumped in: the pill shows it, and a tap loads it.
  const pill = page.getByRole('button', { name: /\d+ new/ });
  await expect(pill).toBeVisible({ timeout: 15_000 });
  await pill.click();
  const row = page.getByRole('link', { name: new RegExp(caller) });
  await expect(row).toBeVisible();
  await expect(row).toContainText('Urgent');
  await expectNoSidewaysScroll(page);

  await row.click();
  await expect(page.getByRole('heading', { level: 1, name: caller })).toBeVisible();
  await expect(page.getByRole('link', { name: '+1 617 555 0123' })).toHaveAttribute('href', 'tel:+16175550123');
  await expect(page.getByRole('region', { name: 'Message' })).toContainText('Available after 2pm.');
  const history = page.getByRole('region', { name: 'History' });
  await expect(history).toContainText('Taken by Operator Jamie');
  await expect(history).toContainText('Opened by Hana Harbor');
  await hydrated(page);
  await page.getByRole('button', { name: 'Acknowledge' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Acknowledged by' })).toContainText('Acknowledged by Hana Harbor');
  await expect(history).toContainText('Acknowledged by Hana Harbor');
  await expectNoSidewaysScroll(page);
  await page.screenshot({ path: `screenshots/message-${project}.png`, fullPage: true });
  expect(consoleErrors).toEqual([]);
});

test('the client\'s home shows what is unread and urgent, the latest and the credit', async ({ clientAdminPage: page, project }) => {
  await expect(page.getByRole('heading', { level: 1, name: 'Harbor Dental' })).toBeVisible();
  const stats = page.getByRole('region', { name: 'Your inbox and credit' });
  await expect(stats).toContainText('Unread');
  await expect(stats).toContainText('SMS credits');
  await expect(page.getByRole('region', { name: 'Latest messages' }).getByRole('link').first()).toBeVisible();
  await expectNoSidewaysScroll(page);
  await page.screenshot({ path: `screenshots/portal-home-${project}.png`, fullPage: true });
  await page.getByRole('link', { name: /Urgent, not acknowledged/ }).click();
  await expect(page).toHaveURL(/\/inbox\?urgent=1/);
  await expect(page.getByRole('checkbox', { name: 'Urgent' })).toBeChecked();
});

test.describe('without JavaScript', () => {
  test.use({ javaScriptEnabled: false });

  test('the inbox filters, and a message opens and is acknowledged as plain forms', async ({ clientAdminPage: page, request, project }) => {
    const caller = `Jules ${project} ${Date.now()}`;
    await postMessage(request, {
      external_id: `e2e-${caller}`,
      channel: 'sms',
      received_at: new Date().toISOString(),
      caller_name: caller,
      callback_number: '+1 617 555 0188',
      text: 'Can I move my cleaning to next week?',
    });
    await page.goto('/inbox');
    await page.getByLabel('Search messages').fill(caller);
    await page.getByRole('button', { name: 'Search' }).click();
    await expect(page).toHaveURL(/q=Jules/);
    const rows = page.getByRole('list', { name: 'Messages' }).getByRole('listitem');
    await expect(rows).toHaveCount(1);
    await rows.first().getByRole('link').click();
    await expect(page.getByRole('heading', { level: 1, name: caller })).toBeVisible();
    await page.getByRole('button', { name: 'Acknowledge' }).click();
    await expect(page.getByRole('status').filter({ hasText: 'Acknowledged by' })).toContainText('Acknowledged by Hana Harbor');
  });
});

for (const width of [390, 320]) {
  test(`the inbox and a message fit a ${width} px screen`, async ({ clientAdminPage: page }) => {
    await page.setViewportSize({ width, height: 800 });
    await page.goto('/inbox');
    await expect(page.getByRole('list', { name: 'Messages' })).toBeVisible();
    await expectNoSidewaysScroll(page);
    await page.screenshot({ path: `screenshots/inbox-${width}.png`, fullPage: true });
    await page.getByRole('list', { name: 'Messages' }).getByRole('link').first().click();
    await expect(page.getByRole('region', { name: 'History' })).toBeVisible();
    await expectNoSidewaysScroll(page);
  });
}

test('the recording of a call plays on the message taken on it', async ({ clientAdminPage: page, consoleErrors }) => {
  await page.goto('/inbox?q=Lena%20Ortiz');
  const row = page.getByRole('list', { name: 'Messages' }).getByRole('link').first();
  await expect(row).toContainText('Recording');
  await row.click();
  const audio = page.getByLabel('Recording of the call');
  await expect(audio).toBeVisible();
  // The browser fetched the audio's start through the session and read its length.
  await expect
    .poll(() => audio.evaluate((element: HTMLAudioElement) => element.duration), { timeout: 10_000 })
    .toBeGreaterThan(4);
  // Muted, as a browser lets a page play without a tap.
  await audio.evaluate((element: HTMLAudioElement) => {
    element.muted = true;
    return element.play();
  });
  await expect.poll(() => audio.evaluate((element: HTMLAudioElement) => element.currentTime)).toBeGreaterThan(0);
  expect(consoleErrors).toEqual([]);
});

test('a messaging agent finds a client\'s texts from its page and replies', async ({ page, signIn, users, request, project, consoleErrors }) => {
  const caller = `Robin ${project} ${Date.now()}`;
  await postMessage(request, {
    external_id: `e2e-${caller}`,
    channel: 'sms',
    received_at: new Date().toISOString(),
    caller_name: caller,
    callback_number: '+1 617 555 0166',
    text: 'Is there parking near the office?',
  });
  await signIn(page, users.messagingAgent);
  await page.goto('/clients?q=Harbor%20Dental');
  await page.getByRole('link', { name: 'Harbor Dental', exact: true }).first().click();
  await page.getByRole('link', { name: 'Inbox' }).last().click();
  await expect(page.getByRole('heading', { level: 1, name: 'Inbox' })).toBeVisible();
  await page.getByLabel('Search messages').fill(caller);
  await page.getByRole('button', { name: 'Search' }).click();
  await page.getByRole('list', { name: 'Messages' }).getByRole('link').first().click();
  await expect(page.getByRole('heading', { level: 1, name: caller })).toBeVisible();
  await hydrated(page);
  await page.getByRole('button', { name: 'Send reply' }).click();
  await expect(page.getByText('Write the reply first.')).toBeVisible();
  await page.getByLabel('Reply by text').fill('Yes: the garage on Boylston Street, first hour free.');
  await page.getByRole('button', { name: 'Send reply' }).click();
  const history = page.getByRole('region', { name: 'History' });
  await expect(history).toContainText('Replied by Mia Message: Yes: the garage on Boylston Street');
  await expectNoSidewaysScroll(page);
  expect(consoleErrors).toEqual([]);
});

test('a client user sees only the messages addressed to them, and no other by its address', async ({ clientUserPage: page, consoleErrors, project, request, users }) => {
  const stamp = `${project} ${Date.now()}`;
  const theirs = `Tess ${stamp}`;
  const notTheirs = `Theo ${stamp}`;
  await postMessage(request, {
    external_id: `e2e-${theirs}`,
    received_at: new Date().toISOString(),
    caller_name: theirs,
    callback_number: '+1 617 555 0131',
    text: 'Asks reception to move Thursday\'s cleaning to the afternoon.',
    recipients: [users.clientUser.email],
  });
  const other = await postMessage(request, {
    external_id: `e2e-${notTheirs}`,
    received_at: new Date().toISOString(),
    caller_name: notTheirs,
    callback_number: '+1 617 555 0132',
    text: 'For the practice owner only: a question about the lease.',
    recipients: [users.clientAdmin.email],
  });

  await page.goto('/inbox');
  await expect(page.getByRole('heading', { level: 1, name: 'Inbox' })).toBeVisible();
  const messages = page.getByRole('list', { name: 'Messages' });
  await expect(messages.getByRole('link', { name: new RegExp(theirs) })).toBeVisible();
  await expect(messages.getByRole('link', { name: new RegExp(notTheirs) })).toHaveCount(0);
  await expectNoSidewaysScroll(page);
  await page.screenshot({ path: `screenshots/inbox-client-user-${project}.png`, fullPage: true });

  // Not by its address either: it reads as a page that does not exist.
  await page.goto(`/inbox/${other.id}`);
  await expect(page.getByRole('alert')).toContainText('does not exist, or you do not have access to it');
  await expect(page.getByText(notTheirs)).toHaveCount(0);
  expect(consoleErrors).toEqual([]);
});

test('a partner admin who opens a message as the client user leaves it unread for them', async ({ partnerAdminPage: page, ownBrowser, project, request, signIn, users }) => {
  const caller = `Ursula ${project} ${Date.now()}`;
  await postMessage(request, {
    external_id: `e2e-${caller}`,
    received_at: new Date().toISOString(),
    caller_name: caller,
    callback_number: '+1 617 555 0133',
    text: 'Wants to know whether the new patient forms can be sent by email.',
    recipients: [users.clientUser.email],
  });

  // The partner's admin logs in to Harbor Dental as its Client User and reads it.
  await logInAsClientUser(page, 'Harbor Dental', users.clientUser, `Checking what reception sees (${project})`);
  const banner = new SessionBanner(page);
  await expect(banner.banner()).toContainText(`as ${users.clientUser.name}`);
  await page.goto('/inbox');
  const row = page.getByRole('list', { name: 'Messages' }).getByRole('link', { name: new RegExp(caller) });
  await expect(row).toContainText('Unread');
  await row.click();
  await expect(page.getByRole('heading', { level: 1, name: caller })).toBeVisible();
  const history = page.getByRole('region', { name: 'History' });
  await expect(history).toContainText(`Viewed by Nora North, logged in as ${users.clientUser.name}`);
  await expect(history).not.toContainText(`Opened by ${users.clientUser.name}`);
  await page.goto('/inbox');
  await expect(page.getByRole('list', { name: 'Messages' }).getByRole('link', { name: new RegExp(caller) })).toContainText('Unread');
  await banner.stop();

  // The client user still finds it unread.
  const them = await ownBrowser();
  await signIn(them, users.clientUser);
  await them.goto('/inbox');
  const theirRow = them.getByRole('list', { name: 'Messages' }).getByRole('link', { name: new RegExp(caller) });
  await expect(theirRow).toContainText('Unread');
  await theirRow.click();
  await expect(them.getByRole('region', { name: 'History' })).toContainText(`Opened by ${users.clientUser.name}`);
  await them.goto('/inbox');
  await expect(them.getByRole('list', { name: 'Messages' }).getByRole('link', { name: new RegExp(caller) })).not.toContainText('Unread');
});
