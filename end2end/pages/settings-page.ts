import { expect, type Page } from '@playwright/test';

/** A partner's settings: brand and grantable features. */
export class SettingsPage {
  constructor(private readonly page: Page) {}

  async expectOpen() {
    await expect(this.page.getByRole('heading', { level: 1, name: 'Partner settings' })).toBeVisible();
  }

  field(label: string) {
    return this.page.getByLabel(label, { exact: true });
  }

  fieldMessage(label: string) {
    return this.page.locator('.field', { has: this.field(label) }).locator('.field-message');
  }

  async save() {
    await this.page.getByRole('button', { name: 'Save settings' }).click();
  }

  /** The product name in the visible header (sidebar on desktop, top bar on a phone). */
  productName() {
    return this.page.locator('.logo-name:visible');
  }
}
