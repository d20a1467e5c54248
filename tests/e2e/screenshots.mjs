// `make screenshots`: every person-facing page, in zh-CN and English, at desktop (1280×800)
// and phone (390×844) widths, as PNGs in var/screenshots/<lang>-<width>-<page>.png. It starts
// its own idpd like the e2e tests (IDPD_BINARY, default build/idpd) and prints each file.
// `node tests/e2e/screenshots.mjs signin consent` takes only the pages named.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Idpd, repoRoot } from './lib/idpd.mjs';
import { launchBrowser, newContext, submitAndWait, viewports } from './lib/browser.mjs';
import { signIn, signUp } from './lib/flows.mjs';
import { linkIn, parseMail } from './lib/mail.mjs';

const outDir = process.env.IDPD_SCREENSHOTS_DIR || path.join(repoRoot, 'var', 'screenshots');
const user = { username: 'screenshot_用户', password: 'screenshots need a passphrase 1', email: 'shots@example.test' };

// A mail idpd wrote to <var>/outbox (notify.email_transport = "file") for `address`, newest
// first, whose file name holds `kind`; waits up to 10 s for the outbox worker.
async function mailTo(idpd, address, kind) {
  const dir = path.join(idpd.dir, 'var', 'outbox');
  const deadline = Date.now() + 10_000;
  for (;;) {
    const files = existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.eml') && f.includes(kind)).sort().reverse() : [];
    for (const f of files) {
      const mail = parseMail(readFileSync(path.join(dir, f), 'latin1'));
      if (mail.to.includes(address)) {
        return linkIn(mail, idpd.issuer);
      }
    }
    if (Date.now() > deadline) {
      throw new Error(`no ${kind} mail to ${address} in ${dir}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

let serial = 0;
// A fresh account for pages that use up a link (one per language and width).
async function freshUser(idpd, { verified }) {
  serial += 1;
  const u = { username: `shot_${serial}`, password: user.password, email: `shot${serial}@example.test` };
  await idpd.addUser({ ...u, verifiedEmail: verified });
  return u;
}

async function signedIn(page, issuer, who = user) {
  await page.goto(`${issuer}/signin`);
  await signIn(page, { identifier: who.username, password: who.password });
}

// The verification link of a fresh account with an unverified address (sent with "resend").
async function verificationLink(page, { issuer, idpd }) {
  const u = await freshUser(idpd, { verified: false });
  await signedIn(page, issuer, u);
  await submitAndWait(page, () => page.locator('form[action="/account/emails/resend"] button').click());
  await submitAndWait(page, () => page.locator('form[action="/signout"] button').click());
  return mailTo(idpd, u.email, 'verify');
}

// The reset link of a fresh account, asked for on the forgot-password page.
async function resetLink(page, { issuer, idpd }) {
  const u = await freshUser(idpd, { verified: true });
  await page.goto(`${issuer}/forgot-password`);
  await page.locator('#identifier').fill(u.username);
  await submitAndWait(page, () => page.locator('form[action="/forgot-password"] button[type=submit]').click());
  return mailTo(idpd, u.email, 'reset');
}

// An authorization request of the third-party client, which asks for consent.
function authorizeUrl(issuer) {
  const verifier = 'screenshots-pkce-verifier-0123456789-abcdefghijklmnop';
  const challenge = createHash('sha256').update(verifier).digest('base64url');
  const q = new URLSearchParams({
    response_type: 'code', client_id: client.id, redirect_uri: `${issuer}/healthz`, scope: 'openid profile email',
    state: 'shots', code_challenge: challenge, code_challenge_method: 'S256',
  });
  return `${issuer}/authorize?${q}`;
}

// A fresh account each time: a consent once given is not asked for again.
async function consentPage(page, { issuer, idpd }) {
  const u = await freshUser(idpd, { verified: true });
  await page.goto(authorizeUrl(issuer));
  await signIn(page, { identifier: u.username, password: u.password });
}

const client = { id: 'photo-print', name: '照片冲印 Photo Print' };

// Each page: how to bring the browser there from a fresh profile.
const pages = {
  signin: (page, { issuer }) => page.goto(`${issuer}/signin`),
  'signin-errors': async (page, { issuer }) => {
    await page.goto(`${issuer}/signin`);
    await signIn(page, { identifier: user.username, password: 'not the password' });
  },
  'signin-empty': async (page, { issuer }) => {
    await page.goto(`${issuer}/signin`);
    await submitAndWait(page, () => page.locator('form[action="/signin"] button[type=submit]').click());
  },
  signup: (page, { issuer }) => page.goto(`${issuer}/signup`),
  'signup-errors': async (page, { issuer }) => {
    await page.goto(`${issuer}/signup`);
    await signUp(page, { username: '12', email: 'not-an-email', password: 'password', confirm: 'other', acceptTerms: false });
  },
  'signup-captcha-wrong': async (page, { issuer }) => {
    await page.goto(`${issuer}/signup`);
    await page.locator('#captcha').fill('?????');
    await signUp(page, { username: 'new_person', email: 'new.person@example.test', password: 'a fine passphrase 42' });
  },
  terms: (page, { issuer }) => page.goto(`${issuer}/terms`),
  'verify-email': async (page, ctx) => page.goto(await verificationLink(page, ctx)),
  'verify-email-done': async (page, ctx) => {
    await page.goto(await verificationLink(page, ctx));
    await submitAndWait(page, () => page.locator('form[action="/verify-email"] button[type=submit]').click());
  },
  'verify-email-invalid': (page, { issuer }) => page.goto(`${issuer}/verify-email?token=${'A'.repeat(43)}`),
  'forgot-password': (page, { issuer }) => page.goto(`${issuer}/forgot-password`),
  'forgot-password-sent': async (page, { issuer }) => {
    await page.goto(`${issuer}/forgot-password`);
    await page.locator('#identifier').fill('someone@example.test');
    await submitAndWait(page, () => page.locator('form[action="/forgot-password"] button[type=submit]').click());
  },
  'reset-password': async (page, ctx) => page.goto(await resetLink(page, ctx)),
  'reset-password-errors': async (page, ctx) => {
    await page.goto(await resetLink(page, ctx));
    await page.locator('#password').fill('short');
    await page.locator('#confirm').fill('different');
    await submitAndWait(page, () => page.locator('form[action="/reset-password"] button[type=submit]').click());
  },
  consent: consentPage,
  account: async (page, { issuer }) => {
    await signedIn(page, issuer);
    await page.goto(`${issuer}/account`);
  },
  ...Object.fromEntries(['emails', 'password', 'bindings', 'security'].map((tab) => [
    `account-${tab}`,
    async (page, { issuer }) => {
      await signedIn(page, issuer);
      await page.goto(`${issuer}/account/${tab}`);
    },
  ])),
  'account-username-taken': async (page, { issuer }) => {
    await signedIn(page, issuer);
    await page.goto(`${issuer}/account`);
    await page.locator('#new-username').fill('12');
    await submitAndWait(page, () => page.locator('form[action="/account/username"] button[type=submit]').click());
  },
  'account-apps': async (page, ctx) => {
    await consentPage(page, ctx);
    await submitAndWait(page, () => page.locator('form[action="/consent"] button[value="allow"]').click());
    await page.goto(`${ctx.issuer}/account/apps`);
  },
  'logout-confirm': async (page, { issuer }) => {
    await signedIn(page, issuer);
    await page.goto(`${issuer}/logout`);
  },
  'signed-out': async (page, { issuer }) => {
    await signedIn(page, issuer);
    await page.goto(`${issuer}/logout`);
    await submitAndWait(page, () => page.locator('.card form button[type=submit]').click());
  },
  'error-csrf': async (page, { issuer }) => {
    await page.goto(`${issuer}/signin`);
    await page.locator('form[action="/signin"] input[name=csrf]').evaluate((input) => { input.value = 'forged'; });
    await signIn(page, { identifier: user.username, password: user.password });
  },
  'error-authorize': (page, { issuer }) => page.goto(`${issuer}/authorize?client_id=unknown&response_type=code`),
  'not-found': (page, { issuer }) => page.goto(`${issuer}/no-such-page`),
};

const only = process.argv.slice(2);

async function main() {
  mkdirSync(outDir, { recursive: true });
  // Mail goes to files under var/outbox (the default transport), picked up quickly.
  const idpd = await Idpd.start({ IDPD_NOTIFY_POLL_INTERVAL: '200ms' });
  let browser;
  let failed = false;
  try {
    await idpd.addUser({ ...user, verifiedEmail: true });
    await idpd.addClient({ ...client, redirectUris: [`${idpd.issuer}/healthz`] });
    browser = await launchBrowser();
    for (const lang of ['zh-CN', 'en']) {
      for (const [width, viewport] of Object.entries(viewports)) {
        for (const [name, visit] of Object.entries(pages).filter(([n]) => only.length === 0 || only.includes(n))) {
          const context = await newContext(browser, { locale: lang, viewport });
          const page = await context.newPage();
          const file = path.join(outDir, `${lang}-${width}-${name}.png`);
          try {
            await visit(page, { issuer: idpd.issuer, idpd });
            await page.screenshot({ path: file, fullPage: true });
            console.log(file);
          } catch (err) {
            failed = true;
            console.error(`screenshots: ${name} (${lang}, ${width}) at ${page.url()}: ${err.message}`);
          } finally {
            await context.close();
          }
        }
      }
    }
  } finally {
    await browser?.close();
    await idpd.stop();
    if (failed) {
      console.error(idpd.logTail(20));
    }
    idpd.cleanup(failed);
  }
  process.exitCode = failed ? 1 : 0;
}

await main();
