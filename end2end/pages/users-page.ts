import { expect, type Page } from '@playwright/test';
import { hydrated } from './login-page';

export interface Invitee {
  email: string;
  name: string;
  roles: string[];
  language?: string;
}

/** The people with access at a node, and the invite form and user page beside it. */
export class UsersPage {
  constructor(private readonly page: Page) {}

  async expectOpen() {
    await expect(this.page.getByRole('heading', { level: 1, name: 'Users' })).toBeVisible();
    await hydrated(this.page);
  }

  row(name: string) {
    return this.page.getByRole('listitem').filter({ has: this.page.getByRole('link', { name, exact: true }) });
  }

  async search(text: string) {
    await this.page.getByLabel('Search').fill(text);
    await this.page.getByRole('button', { name: 'Apply' }).click();
  }

  async openUser(name: string) {
    await this.row(name).getByRole('link', { name, exact: true }).click();
    await expect(this.page.getByRole('heading', { level: 1, name: new RegExp(`^${name}`) })).toBeVisible();
    await hydrated(this.page);
  }

  /** Opens the invite form from the users page and fills it in. */
  async invite(person: Invitee) {
    await this.page.getByRole('link', { name: 'Invite a user' }).click();
    await this.fillInvite(person);
  }

  async fillInvite(person: Invitee) {
    await expect(this.page.getByRole('heading', { level: 1, name: 'Invite a user' })).toBeVisible();
    await hydrated(this.page);
    await this.page.getByLabel('Email', { exact: true }).fill(person.email);
    await this.page.getByLabel('Name', { exact: true }).fill(person.name);
    if (person.language) {
      await this.page.getByLabel('Language').selectOption({ label: person.language });
    }
    for (const role of person.roles) {
      await this.roleBox(role).check();
    }
  }

  /** A role's checkbox: its name starts with the role's label. */
  roleBox(role: string) {
    return this.page.getByRole('checkbox', { name: new RegExp(`^${role} `) });
  }
}
