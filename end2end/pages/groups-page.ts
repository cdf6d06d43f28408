import { expect, type Page } from '@playwright/test';

export class GroupsPage {
  constructor(private readonly page: Page) {}

  async open() {
    await this.page.goto('/groups');
    await expect(this.page.getByRole('heading', { level: 1, name: 'Groups' })).toBeVisible();
    await expect(this.tree()).toBeVisible();
  }

  tree() {
    return this.page.getByRole('tree', { name: 'Groups' });
  }

  /** A tree item by its exact name (its accessible name also holds the client count). */
  item(name: string) {
    return this.tree().getByRole('treeitem', { name: new RegExp(`^${name} \\d+`) });
  }

  async select(name: string) {
    await this.item(name).locator('.tree-row').first().click();
    await expect(this.detailHeading()).toHaveText(name);
  }

  detailHeading() {
    return this.page.getByRole('heading', { level: 2 });
  }

  async addSubGroup(name: string) {
    await this.page.getByLabel('Sub-group name').fill(name);
    await this.page.getByRole('button', { name: 'Add sub-group' }).click();
    await expect(this.detailHeading()).toHaveText(name);
  }

  async rename(name: string) {
    await this.page.getByLabel('Group name', { exact: true }).fill(name);
    await this.page.getByRole('button', { name: 'Rename group' }).click();
  }

  async moveInto(label: string) {
    await this.page.getByLabel('Move into').selectOption({ label });
    await this.page.getByRole('button', { name: 'Move group' }).click();
  }

  async delete() {
    await this.page.getByRole('button', { name: 'Delete group' }).click();
  }
}
