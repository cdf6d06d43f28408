import { expect, test as base, type BrowserContext, type Page } from '@playwright/test';
import { AppShell, LoginPage } from './pages/login-page';

export { expect };

/** The demo users' password: scripts/e2e.sh seeds them with it. */
const PASSWORD = process.env.E2E_PASSWORD ?? 'e2e-Password-2026!';

export interface DemoUser {
  email: string;
  name: string;
  /** The heading of their home page. */
  home: string;
}

/** Demo users created by `switchboard seed --demo` (server/src/seed.rs). Exported for
 * test titles, which exist before any fixture; tests take the `users` fixture. */
export const USERS = {
  platformAdmin: { email: 'admin@switchboard.test', name: 'Paula Platform', home: 'Platform overview' },
  supportAgent: { email: 'support@switchboard.test', name: 'Sam Support', home: 'Platform overview' },
  partnerAdmin: { email: 'admin@northwind.test', name: 'Nora North', home: 'Northwind Telecom' },
  /** An Account Admin of Northwind who reads the product in French. */
  frenchPartnerAdmin: { email: 'gestion@northwind.test', name: 'Gaëlle Garnier', home: 'Northwind Telecom' },
  otherPartnerAdmin: { email: 'admin@bluebird.test', name: 'Blake Bird', home: 'Bluebird Voice' },
  kestrelAdmin: { email: 'admin@kestrel.test', name: 'Kit Kestrel', home: 'Kestrel Networks' },
  larkAdmin: { email: 'admin@lark.test', name: 'Lee Lark', home: 'Lark Telecom' },
  clientAdmin: { email: 'client.admin@harbor-dental.test', name: 'Hana Harbor', home: 'Harbor Dental' },
  /** A Client User of Harbor Dental who has verified email and mobile already. */
  clientUser: { email: 'reception@harbor-dental.test', name: 'Rosa Reyes', home: 'Harbor Dental' },
  messagingAgent: { email: 'messaging@northwind.test', name: 'Mia Message', home: 'East Region' },
} as const satisfies Record<string, DemoUser>;

export interface DemoPartner {
  admin: DemoUser;
  product: string;
  supportEmail: string;
  domain: string;
}

/** The demo partners' brands, as seeded. */
export const PARTNERS = {
  northwind: {
    admin: USERS.partnerAdmin,
    product: 'Northwind Connect',
    supportEmail: 'support@northwind.test',
    domain: 'portal.northwind.test',
  },
  bluebird: {
    admin: USERS.otherPartnerAdmin,
    product: 'Bluebird Portal',
    supportEmail: 'help@bluebird.test',
    domain: 'my.bluebird.test',
  },
  // Partners only the settings tests rebrand, one per project.
  kestrel: {
    admin: USERS.kestrelAdmin,
    product: 'Kestrel Connect',
    supportEmail: 'help@kestrel.test',
    domain: 'portal.kestrel.test',
  },
  lark: {
    admin: USERS.larkAdmin,
    product: 'Lark Portal',
    supportEmail: 'help@lark.test',
    domain: 'portal.lark.test',
  },
} as const satisfies Record<string, DemoPartner>;

export type Project = 'desktop' | 'mobile';

/**
 * Demo records that only one project's tests change: the two projects share one
 * database and run at once. A test that reads a record another test changes takes
 * that record from here too, so that it knows which values to expect.
 */
export interface ProjectData {
  /** The partner whose brand the settings test changes. */
  rebrandedPartner: DemoPartner;
  /** The client whose status for operators the audit test sets. */
  auditedClient: string;
  /** The client whose features, SSO token and status are changed, and its seeded status. */
  editedClient: { name: string; status: 'Pending' | 'Suspended' };
  /** The client whose company details two admins edit at once. */
  contestedClient: string;
  /** The client given a voice billing rule of its own. */
  billedClient: string;
  /** The mobile number a new Client User proves. */
  mobileNumber: string;
  /** The client whose status, contacts, resources and on-call calendar are edited. */
  briefedClient: string;
  /** A French-speaking Client User of Harbor Dental who has not verified yet, and
   * the mobile number they prove. */
  frenchClientUser: { email: string; name: string; mobileNumber: string };
}

const PROJECT_DATA: Record<Project, ProjectData> = {
  desktop: {
    rebrandedPartner: PARTNERS.kestrel,
    auditedClient: 'Harbor Dental',
    editedClient: { name: 'Granite Accounting', status: 'Suspended' },
    contestedClient: 'Bayview Bakery',
    billedClient: 'Pioneer Accounting',
    mobileNumber: '+1 617 555 0142',
    briefedClient: 'Lakeside Dental',
    frenchClientUser: { email: 'front.desk@harbor-dental.test', name: 'Félix Fournier', mobileNumber: '+33 6 12 34 56 78' },
  },
  mobile: {
    rebrandedPartner: PARTNERS.lark,
    auditedClient: 'Summit Veterinary',
    editedClient: { name: 'Maple Auto Repair', status: 'Pending' },
    contestedClient: 'Cedar Family Clinic',
    billedClient: 'Summit Bakery',
    mobileNumber: '+1 617 555 0143',
    briefedClient: 'Willow Auto Repair',
    frenchClientUser: { email: 'accueil@harbor-dental.test', name: 'Aurélie Aubert', mobileNumber: '+33 6 12 34 56 79' },
  },
};

/** The brand the settings test of `project` gives its partner. */
export function rebrand(project: Project) {
  const partner = PROJECT_DATA[project].rebrandedPartner;
  return { partner, product: `${partner.product} ${project}`, supportEmail: `help@${partner.domain}` };
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

interface Fixtures {
  password: string;
  users: typeof USERS;
  project: Project;
  projectData: ProjectData;
  /** Console errors of `page` since it opened (see collectConsoleErrors). */
  consoleErrors: string[];
  /** Signs `user` in on `page` and waits for their home page. */
  signIn: (page: Page, user: DemoUser) => Promise<void>;
  /** Follows a link of the main navigation on `page` (the test's unless given): in the
   * sidebar on a desktop, through the menu on a phone. */
  openSection: (link: string, page?: Page) => Promise<void>;
  /** A page in a browser of its own, for a second person; it has the project's screen
   * and closes after the test. */
  ownBrowser: () => Promise<Page>;
  platformAdminPage: Page;
  supportAgentPage: Page;
  partnerAdminPage: Page;
  clientAdminPage: Page;
  clientUserPage: Page;
}

/** The test's `page`, signed in as `user`. It takes `consoleErrors` so that they are
 * collected from the sign-in page on, as when a test signs in itself. */
function signedInPage(user: DemoUser) {
  return async (
    { page, consoleErrors, signIn }: { page: Page; consoleErrors: string[]; signIn: Fixtures['signIn'] },
    use: (page: Page) => Promise<void>,
  ) => {
    await signIn(page, user);
    await use(page);
  };
}

export const test = base.extend<Fixtures>({
  password: async ({}, use) => use(PASSWORD),
  users: async ({}, use) => use(USERS),
  project: async ({}, use, testInfo) => {
    const name = testInfo.project.name;
    expect(Object.keys(PROJECT_DATA), 'a project of playwright.config.ts').toContain(name);
    await use(name as Project);
  },
  projectData: async ({ project }, use) => use(PROJECT_DATA[project]),
  consoleErrors: async ({ page }, use) => use(collectConsoleErrors(page)),
  signIn: async ({ javaScriptEnabled, password }, use) => {
    await use(async (page, user) => {
      const login = new LoginPage(page, { javaScript: javaScriptEnabled });
      await login.open();
      await login.signIn(user.email, password);
      await expect(page).toHaveURL('/');
    });
  },
  openSection: async ({ page, isMobile }, use) => {
    await use((link, on = page) => new AppShell(on).openSection(link, isMobile));
  },
  ownBrowser: async ({ browser }, use) => {
    const contexts: BrowserContext[] = [];
    await use(async () => {
      // Playwright gives every context made during a test the project's options:
      // screen and phone emulation, base URL, JavaScript on or off.
      const context = await browser.newContext();
      contexts.push(context);
      return context.newPage();
    });
    await Promise.all(contexts.map((context) => context.close()));
  },
  platformAdminPage: signedInPage(USERS.platformAdmin),
  supportAgentPage: signedInPage(USERS.supportAgent),
  partnerAdminPage: signedInPage(USERS.partnerAdmin),
  clientAdminPage: signedInPage(USERS.clientAdmin),
  clientUserPage: signedInPage(USERS.clientUser),
});
