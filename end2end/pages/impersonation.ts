import { expect, type Page } from '@playwright/test';
import { ClientPage } from './clients-page';
import { hydrated } from './login-page';

/** The session banner shown on every page while impersonating. */
export class SessionBanner {
  constructor(private readonly page: Page) {}

  banner() {
    return this.page.getByRole('region', { name: 'Impersonation' });
  }

  warning() {
    return this.banner().getByRole('alert').filter({ hasText: 'Also in this account now' });
  }

  async stop() {
    await hydrated(this.page);
    await this.banner().getByRole('button', { name: 'Stop' }).click();
  }
}

/** The "Log in as" form of a client account. */
export class LogInAsPage {
  constructor(private readonly page: Page) {}

  async expectOpen(account: string) {
    await expect(this.page.getByRole('heading', { level: 1, name: `Log in to ${account}` })).toBeVisible();
    await hydrated(this.page);
  }

  async logIn(options: { mode: 'Log in as Client' | 'Log in as Partner'; user?: string; reason: string; minutes?: string }) {
    await this.page.getByRole('radio', { name: new RegExp(`^${options.mode}`) }).check();
    if (options.user) {
      await this.page.getByLabel('Act as').selectOption({ label: options.user });
    }
    await this.page.getByLabel('Reason').fill(options.reason);
    if (options.minutes) {
      await this.page.getByLabel('For').selectOption({ label: options.minutes });
    }
    await this.page.getByRole('button', { name: 'Log in', exact: true }).click();
  }
}

/** Logs in to client account `client` as its Client User `user`, from the client's
 * page, giving `reason`. */
export async function logInAsClientUser(
  page: Page,
  client: string,
  user: { name: string; email: string },
  reason: string,
) {
  await page.goto(`/clients?q=${encodeURIComponent(client)}`);
  await page.getByRole('link', { name: client, exact: true }).first().click();
  await new ClientPage(page).section('Log in as').getByRole('link', { name: 'Log in as Client' }).click();
  const logInAs = new LogInAsPage(page);
  await logInAs.expectOpen(client);
  await logInAs.logIn({ mode: 'Log in as Client', user: `${user.name} · Client User (${user.email})`, reason });
}
