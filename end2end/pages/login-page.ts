import { expect, type Page } from '@playwright/test';

/** Waits until the page has hydrated: before that, forms post without JavaScript. */
export async function hydrated(page: Page) {
  await expect(page.locator('html[data-hydrated]')).toHaveCount(1);
}

export class LoginPage {
  /** `javaScript: false` for a browser without it: nothing will hydrate then. */
  constructor(
    private readonly page: Page,
    private readonly options = { javaScript: true },
  ) {}

  async open() {
    await this.page.goto('/login');
    await expect(this.page.getByRole('heading', { level: 1, name: 'Sign in' })).toBeVisible();
    if (this.options.javaScript) {
      await hydrated(this.page);
    }
  }

  async signIn(email: string, password: string) {
    await this.page.getByLabel('Email').fill(email);
    await this.page.getByLabel('Password').fill(password);
    await this.page.getByRole('button', { name: 'Sign in' }).click();
  }

  alert() {
    return this.page.getByRole('alert');
  }
}

export class AppShell {
  constructor(private readonly page: Page) {}

  heading() {
    return this.page.getByRole('heading', { level: 1 });
  }

  userMenu(name: string) {
    return this.page.getByRole('button', { name: new RegExp(`^${name}`) });
  }

  async signOut(name: string) {
    await this.userMenu(name).click();
    await this.page.getByRole('button', { name: 'Sign out' }).click();
  }

  mainNavigation() {
    // Named in the reader's language: English or French.
    return this.page.getByRole('navigation', { name: /^(Main|Principale)$/ });
  }

  /** Follows a link of the main navigation: in the sidebar on a desktop, through the
   * menu on a phone, which closes once it has taken you there. */
  async openSection(link: string, isMobile: boolean) {
    await hydrated(this.page);
    if (isMobile) {
      await this.page.getByRole('button', { name: 'Menu' }).click();
    }
    await this.mainNavigation().getByRole('link', { name: link, exact: true }).click();
    if (isMobile) {
      await expect(this.mainNavigation()).toBeHidden();
    }
  }
}
