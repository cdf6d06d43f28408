import { expect, type Page } from '@playwright/test';
import { DirectoryPage } from './clients-page';
import { hydrated } from './login-page';

/** What operators read about a client account: its portal pages, reached by partner
 * staff from the client page's "For operators" card. */
export class OperatorsPages {
  constructor(private readonly page: Page, private readonly javaScript = true) {}

  /** Opens `link` of `client`'s "For operators" card, from the directory. */
  async openFor(client: string, link: string) {
    const directory = new DirectoryPage(this.page);
    if (this.javaScript) {
      await directory.open();
      await directory.search(client);
    } else {
      await this.page.goto(`/clients?q=${encodeURIComponent(client)}`);
    }
    await directory.row(client).getByRole('link', { name: client, exact: true }).click();
    await this.page.getByRole('region', { name: 'For operators' }).getByRole('link', { name: link }).click();
    await expect(this.page).toHaveURL(/\?account=\d+/);
    if (this.javaScript) {
      await hydrated(this.page);
    }
  }

  /** The `?account=…` of the page open now. */
  account() {
    return new URL(this.page.url()).searchParams.get('account') ?? '';
  }

  region(name: string) {
    return this.page.getByRole('region', { name });
  }

  /** Adds a contact on the form page, with one way to reach them. */
  async addContact(name: string, role: string, mobile: string) {
    await this.page.getByRole('link', { name: 'Add contact' }).click();
    await expect(this.page.getByRole('heading', { level: 1, name: 'Add contact' })).toBeVisible();
    if (this.javaScript) {
      await hydrated(this.page);
    }
    await this.page.getByLabel('Name', { exact: true }).fill(name);
    await this.page.getByLabel('Role').fill(role);
    await this.page.getByLabel('Way 1').selectOption('mobile');
    await this.page.locator('#method-0-value').fill(mobile);
    await this.page.getByRole('button', { name: 'Add contact' }).click();
    await expect(this.page.getByRole('heading', { level: 1, name: 'Contacts' })).toBeVisible();
  }
}

/** `at` as a `datetime-local` input of `timeZone` takes it: "2026-12-02T18:05". */
export function localInput(at: Date, timeZone: string) {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(at);
  const part = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return `${part('year')}-${part('month')}-${part('day')}T${part('hour')}:${part('minute')}`;
}

/** Fails if the page is wider than the screen: nothing may scroll sideways. */
export async function expectNoSidewaysScroll(page: Page) {
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow, `${page.url()} scrolls sideways`).toBeLessThanOrEqual(0);
}
