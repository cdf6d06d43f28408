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
];

/** All the text a person can meet on `page`: what it shows, its title, and what
 * assistive technology reads (labels, titles, placeholders). */
async function wordsOn(page: Page): Promise<string> {
  return page.evaluate(() => {
    const attributes = ['aria-label', 'title', 'placeholder', 'alt'];
    const labelled = Array.from(document.querySelectorAll(attributes.map((name) => `[${name}]`).join(',')));
    const said = labelled.flatMap((element) =>
      attributes.map((name) => element.getAttribute(name) ?? '').filter((value) => value !== ''),
    );
    return [document.title, document.body.innerText, ...said].join('\n');
  });
}

/** Fails, naming the words, if `page` shows any English word of the product. */
export async function expectNoEnglish(page: Page) {
  const text = await wordsOn(page);
  // A word inside a time zone's name (America/New_York) is an identifier, not English.
  const found = ENGLISH_WORDS.filter((word) => new RegExp(`(^|[^\\p{L}_/-])${word}($|[^\\p{L}_/-])`, 'iu').test(text));
  expect(found, `English on ${page.url()}:\n${text}`).toEqual([]);
}

/** The page's language, as `<html lang>` says it. */
export function pageLanguage(page: Page) {
  return page.locator('html');
}
