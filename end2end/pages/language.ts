import { expect, type Page } from '@playwright/test';

/**
 * Words of the product's English that French text never holds: finding one on a page
 * shown in French means something was left untranslated.
 */
const ENGLISH_WORDS = [
  'the', 'and', 'your', 'you', 'with', 'from', 'this', 'that', 'what', 'when', 'who',
  'sign', 'signed', 'open', 'opened', 'unread', 'home', 'inbox', 'tasks', 'welcome',
  'loading', 'verify', 'verified', 'send', 'sent', 'number', 'settings', 'due', 'today',
  'tomorrow', 'nothing', 'yet', 'latest', 'new', 'change', 'status', 'calls', 'credits',
  'received', 'acknowledged', 'acknowledge', 'reply', 'history', 'search', 'filters',
  'password', 'left', 'hours', 'ago', 'now', 'back', 'all', 'owed', 'until',
  'nobody', 'call', 'text', 'overdue', 'where', 'access', 'roles', 'apply', 'clear',
  'older', 'newest', 'recording', 'unknown', 'caller', 'taken', 'help', 'write',
  'rules', 'week', 'ahead', 'weekly', 'overrides', 'gaps', 'closed', 'operators',
  'resources', 'templates', 'default', 'fetched', 'clocks', 'shift', 'every', 'day',
  'first', 'then', 'none', 'way', 'address', 'instructions', 'preview', 'users',
  'groups', 'partner', 'seats', 'features', 'suspended', 'pending', 'save', 'add',
  'delete', 'rename', 'move', 'keys', 'name', 'tags', 'company', 'balance',
];

/** All the text a person can meet on `page`: what it shows, its title, and what
 * assistive technology reads (labels, titles, placeholders); less the text of the
 * elements `accountWords` selects, which the account wrote in its own language. */
async function wordsOn(page: Page, accountWords: string[]): Promise<string> {
  return page.evaluate((accountWords) => {
    const attributes = ['aria-label', 'title', 'placeholder', 'alt'];
    const labelled = Array.from(document.querySelectorAll(attributes.map((name) => `[${name}]`).join(',')));
    const said = labelled.flatMap((element) =>
      attributes.map((name) => element.getAttribute(name) ?? '').filter((value) => value !== ''),
    );
    // Spaces as they fall in the layout: an option's text may wrap in the page's.
    const spaced = (text: string) => text.replace(/\s+/g, ' ').trim();
    const written = accountWords.flatMap((selector) =>
      Array.from(document.querySelectorAll<HTMLElement>(selector)).map((element) => spaced(element.textContent ?? '')),
    );
    const shown = written
      .filter((words) => words !== '')
      // The longest first: a short one (a partner's name) may be part of a long one.
      .sort((a, b) => b.length - a.length)
      .reduce((text, words) => text.split(words).join(' '), spaced(document.body.innerText));
    return [document.title, shown, ...said].join('\n');
  }, accountWords);
}

/** Fails, naming the words, if `page` shows any English word of the product. The
 * elements `accountWords` selects hold what the account wrote (a contact's notes,
 * a status), which stays in the language it was written in. */
export async function expectNoEnglish(page: Page, accountWords: string[] = []) {
  const text = await wordsOn(page, accountWords);
  // A word inside a time zone's name (America/New_York) or joined to another by a dot
  // (an audit action: message.opened, status.set) is an identifier, not English.
  const found = ENGLISH_WORDS.filter((word) =>
    new RegExp(`(^|[^\\p{L}_/.-])${word}(?=$|[^\\p{L}_/.-]|\\.(?!\\p{L}))`, 'iu').test(text),
  );
  expect(found, `English on ${page.url()}:\n${text}`).toEqual([]);
}

/** The page's language, as `<html lang>` says it. */
export function pageLanguage(page: Page) {
  return page.locator('html');
}
