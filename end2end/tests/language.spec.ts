import type { Page } from '@playwright/test';
import { expect, test } from '../fixtures';
import { logInAsClientUser, SessionBanner } from '../pages/impersonation';
import { expectNoEnglish, pageLanguage } from '../pages/language';
import { hydrated, LoginPage } from '../pages/login-page';
import { textTo } from '../pages/mail';
import { expectNoSidewaysScroll } from '../pages/operators';

/** What the partner's own records say on its pages (names of groups, clients, tags,
 * audit details), which stays in the words it was written in. */
const PARTNER_WORDS = [
  '.tree-name', '.row-title', 'td .muted.small', '.breadcrumb', '.ledger-note', '.key-title strong',
  'select[name="group"] option', 'select[name="new_parent"] option', 'select[name="under"] option',
  '.audit-details',
];

/** Takes a screenshot of `page` at its size and at the narrowest phones' 320 px, and
 * fails if anything makes it scroll sideways at either. */
async function lookAtNarrowScreens(page: Page, name: string) {
  await expectNoSidewaysScroll(page);
  await page.screenshot({ path: `screenshots/${name}.png`, fullPage: true });
  const size = page.viewportSize()!;
  if (size.width > 390) {
    return;
  }
  await page.setViewportSize({ width: 320, height: size.height });
  await expectNoSidewaysScroll(page);
  await page.screenshot({ path: `screenshots/${name}-320.png`, fullPage: true });
  await page.setViewportSize(size);
}

test('a visitor whose browser asks for French gets the sign-in page in French, and can switch', async ({ browser, project }) => {
  const context = await browser.newContext({ locale: 'fr-FR' });
  const page = await context.newPage();
  await page.goto('/login');
  await expect(pageLanguage(page)).toHaveAttribute('lang', 'fr');
  await expect(page.getByRole('heading', { level: 1, name: 'Connexion' })).toBeVisible();
  await expect(page).toHaveTitle(/^Connexion/);
  await expectNoEnglish(page);
  await hydrated(page);
  await lookAtNarrowScreens(page, `${project}-fr-sign-in`);

  // A failed sign-in is answered in French, at the fields and for the form.
  await page.getByRole('button', { name: 'Se connecter' }).click();
  await expect(page.getByText('Saisissez votre adresse e-mail.')).toBeVisible();
  await page.getByLabel('Adresse e-mail').fill(`nobody.${project}@example.test`);
  await page.getByLabel('Mot de passe').fill('not the password');
  await page.getByRole('button', { name: 'Se connecter' }).click();
  await expect(page.getByRole('alert')).toContainText('Adresse e-mail ou mot de passe incorrect.');

  // The switch keeps English for this browser, across visits.
  await page.getByRole('button', { name: 'Read in English' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Sign in' })).toBeVisible();
  await expect(pageLanguage(page)).toHaveAttribute('lang', 'en');
  await page.reload();
  await expect(page.getByRole('heading', { level: 1, name: 'Sign in' })).toBeVisible();
  await page.getByRole('button', { name: 'Lire en français' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Connexion' })).toBeVisible();
  await expect(pageLanguage(page)).toHaveAttribute('lang', 'fr');
  await context.close();
});

test('a French client user verifies her mobile, then reads home and inbox in French', async ({ ownBrowser, password, project, projectData }) => {
  // A long walk, each page also looked at on the narrowest phones.
  test.slow();
  const french = projectData.frenchClientUser;
  // Her browser asks for English: her own language wins once she is known.
  const page = await ownBrowser();
  const login = new LoginPage(page);
  await login.open();
  await login.signIn(french.email, password);

  await expect(page).toHaveURL('/verify');
  await expect(pageLanguage(page)).toHaveAttribute('lang', 'fr');
  await expect(page.getByRole('heading', { level: 1, name: 'Vérifiez votre compte' })).toBeVisible();
  await hydrated(page);
  await expectNoEnglish(page);
  const mobile = page.getByRole('listitem').filter({ has: page.getByRole('heading', { name: 'Numéro de mobile' }) });
  await mobile.getByLabel('Numéro de mobile').fill('06 12 34 56 78');
  await mobile.getByRole('button', { name: 'Envoyer le code' }).click();
  await expect(mobile.getByText('Commencez par + et l’indicatif du pays')).toBeVisible();
  await expectNoEnglish(page);
  await lookAtNarrowScreens(page, `${project}-fr-verify`);
  await mobile.getByLabel('Numéro de mobile').fill(french.mobileNumber);
  await mobile.getByRole('button', { name: 'Envoyer le code' }).click();
  const texted = await textTo(french.mobileNumber.replace(/ /g, ''));
  const code = texted.body.slice(0, 6);
  expect(texted.body).toContain('est votre code de vérification');
  await mobile.getByLabel('Code reçu par SMS').fill(code);
  await mobile.getByRole('button', { name: 'Vérifier' }).click();

  // Home: what came in, her tasks, who is on call — all in French.
  await expect(page).toHaveURL('/');
  await expect(page.getByRole('heading', { level: 1, name: 'Harbor Dental' })).toBeVisible();
  await expect(page.getByText(`Bonjour, ${french.name.split(' ')[0]}`)).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Derniers messages' })).toBeVisible();
  await hydrated(page);
  // Who is on call shows the account's own notes on their numbers, and the status its own words.
  await expectNoEnglish(page, ['.status-showing', '.method-list .muted']);
  await lookAtNarrowScreens(page, `${project}-fr-home`);

  // The inbox, and a message in it.
  await page.goto('/inbox');
  await expect(page.getByRole('heading', { level: 1, name: 'Messages' })).toBeVisible();
  const messages = page.getByRole('list', { name: 'Messages' });
  await expect(messages.getByRole('link', { name: /Élodie Marchand/ })).toBeVisible();
  await expectNoEnglish(page);
  await lookAtNarrowScreens(page, `${project}-fr-inbox`);
  await messages.getByRole('link', { name: /Élodie Marchand/ }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Élodie Marchand' })).toBeVisible();
  await expect(page.getByRole('region', { name: 'Historique' })).toBeVisible();
  await hydrated(page);
  await expectNoEnglish(page);
  await lookAtNarrowScreens(page, `${project}-fr-message`);

  // She can read the product in English from her account menu, and go back.
  const menu = () => page.getByRole('button', { name: new RegExp(`^${french.name}`) });
  await menu().click();
  await page.getByRole('button', { name: 'Read in English' }).click();
  await expect(page.getByRole('region', { name: 'History' })).toBeVisible();
  await expect(pageLanguage(page)).toHaveAttribute('lang', 'en');
  await page.goto('/inbox');
  await expect(page.getByRole('heading', { level: 1, name: 'Inbox' })).toBeVisible();
  await hydrated(page);
  await menu().click();
  await page.getByRole('button', { name: 'Lire en français' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Messages' })).toBeVisible();
  await expect(pageLanguage(page)).toHaveAttribute('lang', 'fr');

  // Her tasks, and one she adds, mistake and all.
  await page.goto('/tasks');
  await expect(page.getByRole('heading', { level: 1, name: 'Tâches' })).toBeVisible();
  await hydrated(page);
  await expectNoEnglish(page);
  await lookAtNarrowScreens(page, `${project}-fr-tasks`);
  await page.getByRole('link', { name: 'Ajouter une tâche' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Ajouter une tâche' })).toBeVisible();
  await hydrated(page);
  await page.getByRole('button', { name: 'Ajouter une tâche' }).click();
  await expect(page.getByText('Dites ce qu’il y a à faire.').first()).toBeVisible();
  await expectNoEnglish(page);
  await page.getByLabel('À faire').fill('Rappeler Élodie Marchand demain matin');
  await page.getByRole('button', { name: 'Ajouter une tâche' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Rappeler Élodie Marchand demain matin' })).toBeVisible();
  await expect(page.getByRole('region', { name: 'Historique' })).toContainText(`Ajoutée par ${french.name}`);
  await hydrated(page);
  await expectNoEnglish(page);
  await lookAtNarrowScreens(page, `${project}-fr-task`);

  // What operators are told about the account, in her language around the account's own words.
  await page.goto('/status');
  await expect(page.getByRole('heading', { level: 1, name: 'Statut pour les opérateurs' })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Ce que lisent les opérateurs' })).toBeVisible();
  await hydrated(page);
  await expectNoEnglish(page, ['.status-showing', '.template-text', '.history-text']);
  await lookAtNarrowScreens(page, `${project}-fr-status`);

  await page.goto('/contacts');
  await expect(page.getByRole('heading', { level: 1, name: 'Contacts' })).toBeVisible();
  await expect(page.getByText('Les personnes que les opérateurs peuvent joindre')).toBeVisible();
  await hydrated(page);
  await expectNoEnglish(page, ['.contact-head', '.method-list .muted', '.contact-instructions']);
  await lookAtNarrowScreens(page, `${project}-fr-contacts`);

  await page.goto('/resources');
  await expect(page.getByRole('heading', { level: 1, name: 'Ressources' })).toBeVisible();
  await hydrated(page);
  await expectNoEnglish(page, ['.resource-card h2', '.resource-note']);
  await lookAtNarrowScreens(page, `${project}-fr-resources`);

  await page.goto('/on-call');
  await expect(page.getByRole('heading', { level: 1, name: 'Astreinte' })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'La semaine à venir' })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Règles hebdomadaires' })).toBeVisible();
  await expect(page.getByText('lun.–ven.').first()).toBeVisible();
  await hydrated(page);
  await expectNoEnglish(page, ['.rule-row .muted', '.method-list .muted']);
  await lookAtNarrowScreens(page, `${project}-fr-on-call`);
});

test('an English impersonator of a French client user reads the product, banner included, in English', async ({ partnerAdminPage: page, project, projectData }) => {
  const french = projectData.frenchClientUser;
  await logInAsClientUser(page, 'Harbor Dental', french, `Checking the French front desk's view (${project})`);
  const banner = new SessionBanner(page);
  await expect(banner.banner()).toContainText(`acting as ${french.name}`);
  await expect(banner.banner()).toContainText('Log in as Client');
  await expect(pageLanguage(page)).toHaveAttribute('lang', 'en');
  await page.goto('/inbox');
  await expect(page.getByRole('heading', { level: 1, name: 'Inbox' })).toBeVisible();
  await expect(banner.banner().getByRole('button', { name: 'Stop' })).toBeVisible();
  await banner.stop();
  await expect(banner.banner()).toHaveCount(0);
});

test('a French partner admin runs her clients, groups, people and settings in French', async ({ page, signIn, openSection, project, users }) => {
  // A long walk, each page also looked at on the narrowest phones.
  test.slow();
  /** Waits for the page headed `heading`, then checks it holds no English and fits. */
  const readInFrench = async (heading: string, screenshot: string) => {
    await expect(page.getByRole('heading', { level: 1, name: heading })).toBeVisible();
    await hydrated(page);
    await expectNoEnglish(page, PARTNER_WORDS);
    await lookAtNarrowScreens(page, `${project}-fr-${screenshot}`);
  };
  await signIn(page, users.frenchPartnerAdmin);
  await expect(pageLanguage(page)).toHaveAttribute('lang', 'fr');
  await readInFrench('Northwind Telecom', 'partner-home');

  await openSection('Clients');
  await readInFrench('Clients', 'clients');
  await page.getByRole('link', { name: 'Harbor Dental', exact: true }).first().click();
  await readInFrench('Harbor Dental', 'client');

  // A new client sent empty is refused in French, at each field.
  await page.goto('/clients/new');
  await expect(page.getByRole('heading', { level: 1, name: 'Ajouter un compte client' })).toBeVisible();
  await hydrated(page);
  await page.getByRole('button', { name: 'Ajouter le client' }).click();
  await expect(page.getByText('Choisissez un groupe pour le client.')).toBeVisible();
  await page.getByLabel('Groupe', { exact: true }).selectOption({ label: 'Northwind Telecom › West Region' });
  await page.getByRole('button', { name: 'Ajouter le client' }).click();
  await expect(page.getByText('Saisissez le nom de l’entreprise.')).toBeVisible();
  await expect(page.getByText('Saisissez le nom du contact.')).toBeVisible();
  await readInFrench('Ajouter un compte client', 'new-client');

  for (const [section, heading, screenshot] of [
    ['Groupes', 'Groupes', 'groups'],
    ['Utilisateurs', 'Utilisateurs', 'users'],
    ['Réglages', 'Réglages du partenaire', 'settings'],
    ['Journal d’audit', 'Journal d’audit', 'audit'],
  ]) {
    await openSection(section);
    await readInFrench(heading, screenshot);
  }
});
