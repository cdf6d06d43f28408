import type { Page } from '@playwright/test';
import { expect, test } from '../fixtures';
import { GroupsPage } from '../pages/groups-page';

/** The groups page, opened on `page`. */
async function openGroups(page: Page) {
  const groups = new GroupsPage(page);
  await groups.open();
  return groups;
}

test('an admin adds, renames, moves and deletes a sub-group', async ({ partnerAdminPage: page, consoleErrors, project }) => {
  const name = `Pilot ${project}`;
  const groups = await openGroups(page);

  await groups.select('West Region');
  await groups.addSubGroup(name);
  await expect(page).toHaveURL(/\/groups\?path=\d+\.\d+\.\d+$/);
  await expect(groups.item(name)).toBeVisible();
  await page.screenshot({ path: `screenshots/${project}-groups.png`, fullPage: true });

  await groups.rename(`${name} renamed`);
  await expect(groups.detailHeading()).toHaveText(`${name} renamed`);
  await expect(groups.item(`${name} renamed`)).toBeVisible();

  await groups.moveInto('Northwind Telecom › East Region');
  await expect(page.getByText('Switchboard › Northwind Telecom › East Region', { exact: true })).toBeVisible();

  await groups.delete();
  await expect(groups.item(`${name} renamed`)).toHaveCount(0);
  await expect(groups.detailHeading()).toHaveText('West Region');
  expect(consoleErrors).toEqual([]);
});

test('a group that still holds clients or sub-groups is not deleted', async ({ partnerAdminPage: page }) => {
  const groups = await openGroups(page);
  await groups.select('East Region');
  await groups.delete();
  await expect(page.getByRole('alert')).toContainText('This group still holds');
  await expect(groups.item('East Region')).toBeVisible();
});

test('names are checked at the field', async ({ partnerAdminPage: page, project }) => {
  const groups = await openGroups(page);
  await groups.select('Northwind Telecom');
  await page.getByLabel('Sub-group name').fill('east region');
  await page.getByRole('button', { name: 'Add sub-group' }).click();
  await expect(page.getByText('Another group here already has that name.')).toBeVisible();
  await expect(page.getByLabel('Sub-group name')).toHaveValue('east region');
  await page.screenshot({ path: `screenshots/${project}-groups-name-error.png`, fullPage: true });
});

test('the tree is usable with the keyboard alone', async ({ partnerAdminPage: page }) => {
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

test('a stale copy is refused and the conflict is shown', async ({ ownBrowser, signIn, users, project }) => {
  const name = `Race ${project}`;
  const signedInGroups = async () => {
    const page = await ownBrowser();
    await signIn(page, users.partnerAdmin);
    return { page, groups: await openGroups(page) };
  };
  const first = await signedInGroups();
  await first.groups.select('West Region');
  await first.groups.addSubGroup(name);

  const second = await signedInGroups();
  await second.page.goto(first.page.url());
  await expect(second.groups.detailHeading()).toHaveText(name);

  await first.groups.rename(`${name} by first`);
  await expect(first.groups.detailHeading()).toHaveText(`${name} by first`);

  await second.groups.rename(`${name} by second`);
  await expect(second.page.getByRole('alert')).toContainText('Nora North renamed this group just now, after you opened it');
  await second.page.screenshot({ path: `screenshots/${project}-groups-conflict.png`, fullPage: true });
  await second.page.getByRole('button', { name: 'Reload' }).click();
  await expect(second.groups.detailHeading()).toHaveText(`${name} by first`);

  await second.groups.delete();
  await expect(second.groups.item(`${name} by first`)).toHaveCount(0);
});

test('a page opened at a group hydrates its server-drawn tree and panel without an error', async ({ partnerAdminPage: page, consoleErrors }) => {
  const groups = await openGroups(page);
  await groups.select('East Region');
  // Loaded afresh, the server draws the tree (East Region open) and the group's panel.
  await page.reload();
  await groups.ready();
  await expect(groups.detailHeading()).toHaveText('East Region');
  await expect(groups.item('East Region')).toHaveAttribute('aria-expanded', 'true');
  await expect(groups.item('Boston Metro')).toBeVisible();

  // The tree the browser took over answers the keyboard.
  await groups.item('East Region').focus();
  await page.keyboard.press('ArrowLeft');
  await expect(groups.item('East Region')).toHaveAttribute('aria-expanded', 'false');
  await expect(groups.item('East Region')).toBeFocused();
  await page.keyboard.press('ArrowRight');
  await expect(groups.item('Boston Metro')).toBeVisible();
  // Focus comes back once the tree has been drawn again.
  await expect(groups.item('East Region')).toBeFocused();
  await page.keyboard.press('ArrowDown');
  await expect(groups.item('Boston Metro')).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(groups.detailHeading()).toHaveText('Boston Metro');
  expect(consoleErrors).toEqual([]);
});

test.describe('with JavaScript off', () => {
  test.use({ javaScriptEnabled: false });

  test('the tree is drawn by the server, and its links select a group and show what it holds', async ({ partnerAdminPage: page, project }) => {
    const groups = new GroupsPage(page, { javaScript: false });
    await groups.open();
    await expect(groups.item('Northwind Telecom')).toHaveAttribute('aria-expanded', 'true');
    await expect(groups.item('East Region')).toHaveAttribute('aria-expanded', 'false');
    await expect(groups.item('Boston Metro')).toHaveCount(0);

    await groups.link('East Region').click();
    await expect(page).toHaveURL(/\/groups\?path=\d+\.\d+$/);
    await expect(groups.detailHeading()).toHaveText('East Region');
    await expect(groups.item('East Region')).toHaveAttribute('aria-selected', 'true');
    await expect(groups.item('East Region')).toHaveAttribute('aria-expanded', 'true');

    await groups.link('Boston Metro').click();
    await expect(groups.detailHeading()).toHaveText('Boston Metro');
    await expect(page.getByText('Switchboard › Northwind Telecom › East Region', { exact: true })).toBeVisible();
    await expect(page.getByRole('button', { name: 'Rename group' })).toBeVisible();
    await expect(groups.item('Back Bay')).toBeVisible();
    await page.screenshot({ path: `screenshots/${project}-groups-no-js.png`, fullPage: true });
  });
});
