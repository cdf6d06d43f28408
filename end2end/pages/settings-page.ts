import { expect, type Page } from '@playwright/test';
import { hydrated } from './login-page';

/** A partner's settings: brand and grantable features. */
export class SettingsPage {
  constructor(private readonly page: Page) {}

  /** Opens the page from the main navigation, through the menu on a phone. */
  async openFromNavigation(isMobile: boolean) {
    await hydrated(this.page);
    const navigation = this.page.getByRole('navigation', { name: 'Main' });
    if (isMobile) {
      await this.page.getByRole('button', { name: 'Menu' }).click();
    }
    await navigation.getByRole('link', { name: 'Settings' }).click();
    await expect(this.page.getByRole('heading', { level: 1, name: 'Partner settings' })).toBeVisible();
    if (isMobile) {
      // The menu closes once it has taken you somewhere.
      await expect(navigation).toBeHidden();
    }
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
