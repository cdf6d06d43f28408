import { expect, type Page } from '@playwright/test';
import { hydrated } from './login-page';

export class GroupsPage {
  /** `javaScript: false` for a browser without it: nothing will hydrate then. */
  constructor(
    private readonly page: Page,
    private readonly options = { javaScript: true },
  ) {}

  async open() {
    await this.page.goto('/groups');
    await expect(this.page.getByRole('heading', { level: 1, name: 'Groups' })).toBeVisible();
    await expect(this.tree()).toBeVisible();
    await this.ready();
  }

  /** The server draws the tree and the group: with JavaScript on, act once the app
   * runs, or a form would post before it and the page would load anew. */
  async ready() {
    if (this.options.javaScript) {
      await hydrated(this.page);
    }
  }

  tree() {
    return this.page.getByRole('tree', { name: 'Groups' });
  }

  /** A tree item by its exact name (its accessible name also holds the client count). */
  item(name: string) {
    return this.tree().getByRole('treeitem', { name: new RegExp(`^${name} \\d+`) });
  }

  /** The link a tree item selects its group by. */
  link(name: string) {
    return this.item(name).locator('.tree-row').first().getByRole('link');
  }

  async select(name: string) {
    await this.ready();
    await this.item(name).locator('.tree-row').first().click();
    await expect(this.detailHeading()).toHaveText(name);
  }

  detailHeading() {
    return this.page.getByRole('heading', { level: 2 });
  }

  async addSubGroup(name: string) {
    await this.ready();
    await this.page.getByLabel('Sub-group name').fill(name);
    await this.page.getByRole('button', { name: 'Add sub-group' }).click();
    await expect(this.detailHeading()).toHaveText(name);
  }

  async rename(name: string) {
    await this.ready();
    await this.page.getByLabel('Group name', { exact: true }).fill(name);
    await this.page.getByRole('button', { name: 'Rename group' }).click();
  }

  async moveInto(label: string) {
    await this.ready();
    await this.page.getByLabel('Move into').selectOption({ label });
    await this.page.getByRole('button', { name: 'Move group' }).click();
  }

  async delete() {
    await this.ready();
    await this.page.getByRole('button', { name: 'Delete group' }).click();
  }
}
