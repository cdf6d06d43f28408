import { expect } from '@playwright/test';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** One email the server wrote to SWITCHBOARD_MAIL_DIR (scripts/e2e.sh sets it). */
export interface DeliveredEmail {
  subject: string;
  from: string;
  text: string;
  html: string;
}

/** Waits for the server's mail worker to deliver a message to `recipient` (the one
 * that `which` picks, when they get several). */
export async function emailTo(
  recipient: string,
  which: (email: DeliveredEmail) => boolean = () => true,
): Promise<DeliveredEmail> {
  const folder = process.env.SWITCHBOARD_MAIL_DIR;
  expect(folder, 'scripts/e2e.sh sets SWITCHBOARD_MAIL_DIR').toBeTruthy();
  let found: DeliveredEmail | undefined;
  await expect
    .poll(
      () => {
        found = readdirSync(folder!, { withFileTypes: true })
          .filter((entry) => entry.isFile() && entry.name.endsWith('.eml'))
          .map((entry) => readFileSync(join(folder!, entry.name), 'utf8'))
          .filter((raw) => header(raw, 'To').includes(`<${recipient}>`))
          .map(parse)
          .find(which);
        return found !== undefined;
      },
      { message: `an email to ${recipient}`, timeout: 15_000 },
    )
    .toBe(true);
  return found!;
}

function parse(raw: string): DeliveredEmail {
  return {
    subject: header(raw, 'Subject'),
    from: header(raw, 'From'),
    text: part(raw, 'text/plain'),
    html: part(raw, 'text/html'),
  };
}

function header(raw: string, name: string): string {
  const match = raw.match(new RegExp(`^${name}: (.*(?:\\r?\\n[ \\t].*)*)`, 'mi'));
  return match ? match[1].replace(/\r?\n[ \t]/g, ' ') : '';
}

/** The decoded body of the part of `type` (quoted-printable, base64 or plain). */
function part(raw: string, type: string): string {
  const start = raw.search(new RegExp(`^Content-Type: ${type}`, 'mi'));
  if (start < 0) return '';
  const rest = raw.slice(start);
  const bodyStart = rest.search(/\r?\n\r?\n/);
  const headers = rest.slice(0, bodyStart);
  const body = rest.slice(bodyStart).replace(/^\r?\n\r?\n/, '').split(/\r?\n--/)[0];
  const encoding = (headers.match(/^Content-Transfer-Encoding: (.*)$/mi)?.[1] ?? '').trim().toLowerCase();
  if (encoding === 'base64') return Buffer.from(body.replace(/\s/g, ''), 'base64').toString('utf8');
  if (encoding === 'quoted-printable') {
    const bytes = body
      .replace(/=\r?\n/g, '')
      .replace(/=([0-9A-F]{2})/gi, (_, hex) => String.fromCharCode(parseInt(hex, 16)));
    return Buffer.from(bytes, 'latin1').toString('utf8');
  }
  return body;
}

/** One text message the server wrote to SWITCHBOARD_SMS_DIR (scripts/e2e.sh sets it),
 * as the SMS webhook would receive it. */
export interface DeliveredText {
  id: string;
  to: string;
  body: string;
  sender: string;
  purpose: string;
}

/** Waits for the server's worker to deliver the latest text message to `number`. */
export async function textTo(number: string): Promise<DeliveredText> {
  const folder = process.env.SWITCHBOARD_SMS_DIR;
  expect(folder, 'scripts/e2e.sh sets SWITCHBOARD_SMS_DIR').toBeTruthy();
  let found: DeliveredText | undefined;
  await expect
    .poll(
      () => {
        const texts = readdirSync(folder!, { withFileTypes: true })
          .filter((entry) => entry.isFile() && entry.name.endsWith('.json'))
          .map((entry) => JSON.parse(readFileSync(join(folder!, entry.name), 'utf8')) as DeliveredText)
          .filter((text) => text.to === number)
          // Ids grow with each message: the latest is the one with the highest.
          .sort((a, b) => Number(a.id.split('-').pop()) - Number(b.id.split('-').pop()));
        found = texts.pop();
        return found !== undefined;
      },
      { message: `a text message to ${number}`, timeout: 15_000 },
    )
    .toBe(true);
  return found!;
}
