import { expect, type Page } from '@playwright/test';
import { hydrated } from './login-page';

/** The client directory. */
export class DirectoryPage {
  constructor(private readonly page: Page) {}

  async open(query = '') {
    await this.page.goto(`/clients${query}`);
    await expect(this.page.getByRole('heading', { level: 1, name: 'Clients' })).toBeVisible();
    await hydrated(this.page);
  }

  async search(text: string) {
    await this.page.getByLabel('Search').fill(text);
    await this.page.getByRole('button', { name: 'Apply' }).click();
  }

  table() {
    return this.page.getByRole('table');
  }

  row(name: string) {
    return this.table().getByRole('row').filter({ has: this.page.getByRole('link', { name, exact: true }) });
  }

  tree() {
    return this.page.getByRole('tree', { name: 'Groups' });
  }

  treeItem(name: string) {
    return this.tree().getByRole('treeitem', { name: new RegExp(`^${name} \\d+`) });
  }

  /** The link a tree item filters the directory by. */
  treeLink(name: string) {
    return this.treeItem(name).locator('.tree-row').first().getByRole('link');
  }
}

export interface NewClient {
  name: string;
  contact: string;
  email: string;
  phone: string;
  group: string;
  tags?: string;
  features: string[];
  seats?: string;
  sms?: string;
  voice?: string;
  temporaryPassword?: boolean;
}

/** Add New Client. */
export class NewClientPage {
  constructor(private readonly page: Page) {}

  async open() {
    await this.page.goto('/clients/new');
    await expect(this.page.getByRole('heading', { level: 1, name: 'Add a client account' })).toBeVisible();
    await hydrated(this.page);
  }

  async fill(client: NewClient) {
    const page = this.page;
    await page.getByLabel('Company name').fill(client.name);
    await page.getByLabel('Contact name').fill(client.contact);
    await page.getByLabel('Email').fill(client.email);
    await page.getByLabel('Phone').fill(client.phone);
    await page.getByLabel('Tags').fill(client.tags ?? '');
    await page.getByLabel('Group').selectOption({ label: client.group });
    for (const feature of client.features) {
      await page.getByRole('checkbox', { name: feature, exact: true }).check();
    }
    await page.getByLabel('User seats').fill(client.seats ?? '5');
    await page.getByLabel('Initial SMS credits').fill(client.sms ?? '0');
    await page.getByLabel('Initial voice credits').fill(client.voice ?? '0');
    if (client.temporaryPassword) {
      await page.getByRole('radio', { name: /temporary password/ }).check();
    }
  }

  async submit() {
    await this.page.getByRole('button', { name: 'Add client' }).click();
  }
}

/** One client account's page. */
export class ClientPage {
  constructor(private readonly page: Page) {}

  heading() {
    return this.page.getByRole('heading', { level: 1 });
  }

  status() {
    return this.heading().locator('.badge');
  }

  section(name: string) {
    return this.page.getByRole('region', { name });
  }

  async saveFeatures(features: Record<string, boolean>, seats?: string) {
    const section = this.section('Features and seats');
    for (const [feature, on] of Object.entries(features)) {
      await section.getByRole('checkbox', { name: feature, exact: true }).setChecked(on);
    }
    if (seats !== undefined) {
      await section.getByLabel('User seats').fill(seats);
    }
    await section.getByRole('button', { name: 'Save features and seats' }).click();
  }
}
