import AxeBuilder from '@axe-core/playwright';
import type { APIRequestContext, Page } from '@playwright/test';
import { expect, test } from '../fixtures';
import { hydrated } from '../pages/login-page';
import { expectNoSidewaysScroll, localInput } from '../pages/operators';

/** The demo API key of Harbor Dental, which scripts/e2e.sh reads from the seeding. */
const API_KEY = process.env.E2E_API_KEY ?? '';
const HARBOR_ZONE = 'America/New_York';

/** Posts a message for Harbor Dental as the call platform would. */
async function postMessage(request: APIRequestContext, message: Record<string, unknown>) {
  const response = await request.post('/api/v1/messages', {
    headers: { Authorization: `Bearer ${API_KEY}`, 'Content-Type': 'application/json' },
    data: message,
  });
  expect(response.status(), await response.text()).toBe(201);
  return response.json();
}

/** Today in Harbor Dental's zone, as a date input takes it. */
function harborToday() {
  return localInput(new Date(), HARBOR_ZONE).slice(0, 10);
}

/** No serious or critical accessibility problem on the page open now. */
async function expectAccessible(page: Page) {
  const results = await new AxeBuilder({ page }).analyze();
  const serious = results.violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .map((violation) => `${violation.id}: ${violation.nodes.map((node) => node.target.join(' ')).join(', ')}`);
  expect(serious, page.url()).toEqual([]);
}

test.beforeAll(() => {
  expect(API_KEY, 'scripts/e2e.sh passes the demo API key as E2E_API_KEY').toMatch(/^sbk_/);
});

test('a task made from a message is completed by the client user it is for', async ({ clientAdminPage: page, consoleErrors, ownBrowser, signIn, users, project, request }) => {
  test.setTimeout(90_000);
  const caller = `Lena ${project} ${Date.now()}`;
  const message = await postMessage(request, {
    external_id: `e2e-task-${caller}`,
    channel: 'call',
    received_at: new Date().toISOString(),
    caller_name: caller,
    callback_number: '+1 617 555 0150',
    text: 'Cracked a molar, asks for the first slot tomorrow.',
    recipients: [users.clientUser.email],
  });

  // The admin makes the task on the message, for the client user, due today at 16:00.
  await page.goto(`/inbox/${message.id}`);
  await expect(page.getByRole('heading', { level: 1, name: caller })).toBeVisible();
  await hydrated(page);
  const tasks = page.getByRole('region', { name: 'Tasks', exact: true });
  await tasks.getByText('Make a task from this message').click();
  const title = tasks.getByLabel('What is to be done');
  await expect(title).toHaveValue(`Call back ${caller}`);
  await expect(tasks.getByLabel('Notes')).toHaveValue('Cracked a molar, asks for the first slot tomorrow.');
  await tasks.getByLabel('For', { exact: true }).selectOption({ label: users.clientUser.name });
  await tasks.getByLabel('Priority').selectOption('urgent');
  // A time without its day is refused at the time, and nothing typed is lost.
  await tasks.getByLabel('Due time (optional)').fill('16:00');
  await tasks.getByRole('button', { name: 'Add task' }).click();
  await expect(tasks.locator('#task-due-time-message')).toHaveText('Give the day too, or leave the time empty.');
  await expect(title).toHaveValue(`Call back ${caller}`);
  await tasks.getByLabel('Due day (optional)').fill(harborToday());
  await tasks.getByRole('button', { name: 'Add task' }).click();
  const linked = tasks.getByRole('link', { name: new RegExp(`Call back ${caller}`) });
  await expect(linked).toContainText('Due today 16:00');
  await expect(linked).toContainText(users.clientUser.name);
  await expectNoSidewaysScroll(page);
  await page.screenshot({ path: `screenshots/${project}-message-task.png`, fullPage: true });

  // The task links back to its message.
  await linked.click();
  await expect(page.getByRole('heading', { level: 1, name: `Call back ${caller}` })).toBeVisible();
  await expect(page.getByRole('link', { name: `The message of ${caller}` })).toHaveAttribute('href', `/inbox/${message.id}`);
  await expect(page.getByRole('region', { name: 'Activity' })).toContainText(`Made from a message by ${users.clientAdmin.name}`);
  const taskUrl = page.url();

  // The client user finds it among her tasks and marks it done.
  const rosa = await ownBrowser();
  await signIn(rosa, users.clientUser);
  await rosa.goto('/tasks');
  await expect(rosa.getByRole('heading', { level: 1, name: 'Tasks' })).toBeVisible();
  await expect(rosa.getByText('The tasks for you, and those you made.')).toBeVisible();
  const hers = rosa.getByRole('link', { name: new RegExp(`Call back ${caller}`) });
  await expect(hers).toContainText('Urgent');
  await expectNoSidewaysScroll(rosa);
  await rosa.screenshot({ path: `screenshots/${project}-tasks-client-user.png`, fullPage: true });
  await hers.click();
  await expect(rosa.getByRole('heading', { level: 1, name: `Call back ${caller}` })).toBeVisible();
  await hydrated(rosa);
  await expect(rosa.getByText('Edit task')).toHaveCount(0);
  await expect(rosa.getByRole('button', { name: 'Cancel task' })).toHaveCount(0);
  await rosa.getByRole('button', { name: 'Mark done' }).click();
  await expect(rosa.getByRole('button', { name: 'Reopen' })).toBeVisible();
  await expect(rosa.getByRole('region', { name: 'Task', exact: true })).toContainText(`Done by ${users.clientUser.name}`);
  await expect(rosa.getByRole('region', { name: 'Activity' })).toContainText(`Marked done by ${users.clientUser.name}`);
  await expectNoSidewaysScroll(rosa);
  await rosa.screenshot({ path: `screenshots/${project}-task-done.png`, fullPage: true });

  // The admin sees it done.
  await page.goto(taskUrl);
  await expect(page.getByRole('region', { name: 'Task', exact: true })).toContainText(`Done by ${users.clientUser.name}`);
  expect(consoleErrors).toEqual([]);
});

test('an admin edits a task, and a second browser\'s stale save is refused', async ({ clientAdminPage: page, consoleErrors, ownBrowser, signIn, users, project }) => {
  const title = `Order cards ${project} ${Date.now()}`;
  await page.goto('/tasks');
  await hydrated(page);
  await page.getByRole('link', { name: 'Add task' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Add task' })).toBeVisible();
  await hydrated(page);
  await page.getByLabel('What is to be done').fill(title);
  await page.getByLabel('For', { exact: true }).selectOption({ label: 'The answering service' });
  await page.getByRole('button', { name: 'Add task' }).click();
  await expect(page.getByRole('heading', { level: 1, name: title })).toBeVisible();
  const taskUrl = page.url();

  const other = await ownBrowser();
  await signIn(other, users.clientAdmin);
  await other.goto(taskUrl);
  await hydrated(other);
  await hydrated(page);
  await page.getByText('Edit task').click();
  await page.getByLabel('Notes').fill('500 of them.');
  await page.getByRole('button', { name: 'Save task' }).click();
  await expect(page.getByRole('region', { name: 'Task', exact: true })).toContainText('500 of them.');
  await expect(page.getByRole('region', { name: 'Activity' })).toContainText('Edited by Hana Harbor: notes');

  await other.getByText('Edit task').click();
  await other.getByLabel('Notes').fill('A thousand.');
  await other.getByRole('button', { name: 'Save task' }).click();
  await expect(other.getByRole('alert')).toContainText('Hana Harbor edited this task');
  await expect(other.getByLabel('Notes')).toHaveValue('A thousand.');
  await other.screenshot({ path: `screenshots/${project}-task-conflict.png`, fullPage: true });

  // For the answering service, it is in what operators get, until it is cancelled.
  await page.goto('/operator-preview');
  await expect(page.getByLabel('Operator view document')).toContainText(title);
  await page.goto(taskUrl);
  await hydrated(page);
  await page.getByRole('button', { name: 'Cancel task' }).click();
  await expect(page.getByRole('button', { name: 'Reopen' })).toBeVisible();
  await page.goto('/operator-preview');
  await expect(page.getByLabel('Operator view document')).not.toContainText(title);
  expect(consoleErrors).toEqual([]);
});

test('the task pages are accessible and fit a phone, for an admin and a client user', async ({ clientAdminPage: page, ownBrowser, signIn, users, consoleErrors, project }) => {
  test.setTimeout(90_000);
  const rosa = await ownBrowser();
  await signIn(rosa, users.clientUser);
  await page.goto('/');
  await expect(page.getByRole('region', { name: 'Open tasks' })).toBeVisible();
  await page.screenshot({ path: `screenshots/${project}-home-tasks.png`, fullPage: true });
  await page.goto('/tasks');
  await page.screenshot({ path: `screenshots/${project}-tasks.png`, fullPage: true });
  const first = await page.getByRole('list', { name: 'Tasks' }).getByRole('link').first().getAttribute('href');
  const widths = project === 'mobile' ? [390, 320] : [1280];
  for (const [who, paths] of [
    [page, ['/tasks', '/tasks?show=closed', '/tasks/new', first!]],
    [rosa, ['/', '/tasks', '/tasks/new']],
  ] as const) {
    for (const path of paths) {
      await who.goto(path);
      await expect(who.getByRole('heading', { level: 1 })).toBeVisible();
      await hydrated(who);
      await expectAccessible(who);
      for (const width of widths) {
        await who.setViewportSize({ width, height: 844 });
        await expectNoSidewaysScroll(who);
      }
    }
  }
  await page.goto(first!);
  await page.screenshot({ path: `screenshots/${project}-task.png`, fullPage: true });
  await rosa.goto('/');
  await expect(rosa.getByRole('region', { name: 'Your open tasks' })).toBeVisible();
  expect(consoleErrors).toEqual([]);
});

test.describe('without JavaScript', () => {
  test.use({ javaScriptEnabled: false });

  test('a task is added and marked done with plain forms', async ({ clientAdminPage: page, project }) => {
    const title = `Check the rota ${project} ${Date.now()}`;
    await page.goto('/tasks/new');
    await expect(page.getByRole('heading', { level: 1, name: 'Add task' })).toBeVisible();
    await page.getByLabel('What is to be done').fill(title);
    await page.getByLabel('Due day (optional)').fill(harborToday());
    await page.getByLabel('Due time (optional)').fill('09:30');
    await page.getByRole('button', { name: 'Add task' }).click();
    await expect(page.getByRole('heading', { level: 1, name: title })).toBeVisible();
    await expect(page.getByRole('region', { name: 'Task', exact: true })).toContainText('Due today 09:30');
    await page.getByRole('button', { name: 'Mark done' }).click();
    await expect(page.getByRole('button', { name: 'Reopen' })).toBeVisible();
    await page.goto('/tasks?show=closed');
    await expect(page.getByRole('link', { name: new RegExp(title) })).toBeVisible();
    await page.screenshot({ path: `screenshots/${project}-tasks-no-js.png`, fullPage: true });
  });
});
