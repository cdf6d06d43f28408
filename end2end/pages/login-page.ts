import { expect, type Browser, type Page } from '@playwright/test';

export const PASSWORD = process.env.E2E_PASSWORD ?? 'e2e-Password-2026!';

/** Demo users created by `switchboard seed --demo`. */
export const USERS = {
  platformAdmin: { email: 'admin@switchboard.test', name: 'Paula Platform', home: 'Platform overview' },
  partnerAdmin: { email: 'admin@northwind.test', name: 'Nora North', home: 'Northwind Telecom' },
  clientAdmin: { email: 'client.admin@harbor-dental.test', name: 'Hana Harbor', home: 'Harbor Dental' },
} as const;

/** A second person at the same screen size as `page`: a browser context of their own. */
export async function ownBrowser(browser: Browser, page: Page) {
  const context = await browser.newContext({ viewport: page.viewportSize() ?? undefined });
  return { context, page: await context.newPage() };
}

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

  async signIn(email: string, password: string = PASSWORD) {
    await this.page.getByLabel('Email').fill(email);
    await this.page.getByLabel('Password').fill(password);
    await this.page.getByRole('button', { name: 'Sign in' }).click();
  }

  /** Signs in with the right password and waits for the home page. */
  async signInAs(email: string) {
    await this.signIn(email);
    await expect(this.page).toHaveURL('/');
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
    return this.page.getByRole('navigation', { name: 'Main' });
  }
}

/**
 * Errors a broken hydration or a CSP violation would print; expected failed requests
 * aside, and Chromium's note that plain http on a branding domain (the tests' stand-in
 * for https) ignores our Cross-Origin-Opener-Policy.
 */
export function collectConsoleErrors(page: Page): string[] {
  const errors: string[] = [];
  const expected = (text: string) =>
    text.startsWith('Failed to load resource') ||
    text.startsWith('The Cross-Origin-Opener-Policy header has been ignored');
  page.on('console', (message) => {
    if (message.type() === 'error' && !expected(message.text())) {
      errors.push(message.text());
    }
  });
  page.on('pageerror', (error) => errors.push(String(error)));
  return errors;
}
