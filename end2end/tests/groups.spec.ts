import { expect, test, type Browser, type Page } from '@playwright/test';
import { GroupsPage } from '../pages/groups-page';
import { collectConsoleErrors, LoginPage, USERS } from '../pages/login-page';

/** The groups page, signed in as the partner's Account Admin. */
async function openGroups(page: Page) {
  const login = new LoginPage(page);
  await login.open();
  await login.signInAs(USERS.partnerAdmin.email);
  const groups = new GroupsPage(page);
  await groups.open();
  return groups;
}

async function signedInGroups(browser: Browser, options: object = {}) {
  const context = await browser.newContext(options);
  const page = await context.newPage();
  return { context, page, groups: await openGroups(page) };
}

test('an admin adds, renames, moves and deletes a sub-group', async ({ page }, testInfo) => {
  const errors = collectConsoleErrors(page);
  const name = `Pilot ${testInfo.project.name}`;
  const groups = await openGroups(page);

  await groups.select('West Region');
  await groups.addSubGroup(name);
  await expect(page).toHaveURL(/\/groups\?path=\d+\.\d+\.\d+$/);
  await expect(groups.item(name)).toBeVisible();
  await page.screenshot({ path: `screenshots/${testInfo.project.name}-groups.png`, fullPage: true });

  await groups.rename(`${name} renamed`);
  await expect(groups.detailHeading()).toHaveText(`${name} renamed`);
  await expect(groups.item(`${name} renamed`)).toBeVisible();

  await groups.moveInto('Northwind Telecom › East Region');
  await expect(page.getByText('Switchboard › Northwind Telecom › East Region', { exact: true })).toBeVisible();

  await groups.delete();
  await expect(groups.item(`${name} renamed`)).toHaveCount(0);
  await expect(groups.detailHeading()).toHaveText('West Region');
  expect(errors).toEqual([]);
});

test('a group that still holds clients or sub-groups is not deleted', async ({ page }) => {
  const groups = await openGroups(page);
  await groups.select('East Region');
  await groups.delete();
  await expect(page.getByRole('alert')).toContainText('This group still holds');
  await expect(groups.item('East Region')).toBeVisible();
});

test('names are checked at the field', async ({ page }, testInfo) => {
  const groups = await openGroups(page);
  await groups.select('Northwind Telecom');
  await page.getByLabel('Sub-group name').fill('east region');
  await page.getByRole('button', { name: 'Add sub-group' }).click();
  await expect(page.getByText('Another group here already has that name.')).toBeVisible();
  await expect(page.getByLabel('Sub-group name')).toHaveValue('east region');
  await page.screenshot({ path: `screenshots/${testInfo.project.name}-groups-name-error.png`, fullPage: true });
});

test('the tree is usable with the keyboard alone', async ({ page }) => {
  const groups = await openGroups(page);

  await groups.tree().focus();
  await page.keyboard.press('ArrowDown');
  await expect(groups.item('Northwind Telecom')).toBeFocused();
  await page.keyboard.press('ArrowDown');
  await expect(groups.item('East Region')).toBeFocused();
  await expect(groups.item('East Region')).toHaveAttribute('aria-expanded', 'false');
  await page.keyboard.press('ArrowRight');
  await expect(groups.item('East Region')).toHaveAttribute('aria-expanded', 'true');
  await expect(groups.item('East Region')).toBeFocused();
  await page.keyboard.press('ArrowDown');
  await expect(groups.item('Boston Metro')).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(groups.detailHeading()).toHaveText('Boston Metro');
  await expect(groups.item('Boston Metro')).toHaveAttribute('aria-selected', 'true');
  await page.keyboard.press('ArrowLeft');
  await expect(groups.item('East Region')).toBeFocused();
  await page.keyboard.press('ArrowLeft');
  await expect(groups.item('East Region')).toHaveAttribute('aria-expanded', 'false');
});

test('a stale copy is refused and the conflict is shown', async ({ browser }, testInfo) => {
  const name = `Race ${testInfo.project.name}`;
  const mobile = testInfo.project.name === 'mobile' ? { viewport: { width: 390, height: 844 } } : {};
  const first = await signedInGroups(browser, mobile);
  await first.groups.select('West Region');
  await first.groups.addSubGroup(name);

  const second = await signedInGroups(browser, mobile);
  await second.page.goto(first.page.url());
  await expect(second.groups.detailHeading()).toHaveText(name);

  await first.groups.rename(`${name} by first`);
  await expect(first.groups.detailHeading()).toHaveText(`${name} by first`);

  await second.groups.rename(`${name} by second`);
  await expect(second.page.getByRole('alert')).toContainText('Nora North renamed this group just now, after you opened it');
  await second.page.screenshot({ path: `screenshots/${testInfo.project.name}-groups-conflict.png`, fullPage: true });
  await second.page.getByRole('button', { name: 'Reload' }).click();
  await expect(second.groups.detailHeading()).toHaveText(`${name} by first`);

  await second.groups.delete();
  await expect(second.groups.item(`${name} by first`)).toHaveCount(0);
  await first.context.close();
  await second.context.close();
});
