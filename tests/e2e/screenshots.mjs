// `make screenshots`: every person-facing page, in zh-CN and English, at desktop (1280×800)
// and phone (390×844) widths, as PNGs in var/screenshots/<lang>-<width>-<page>.png. It starts
// its own idpd like the e2e tests (IDPD_BINARY, default build/idpd) and prints each file.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { Idpd, repoRoot } from './lib/idpd.mjs';
import { launchBrowser, newContext, submitAndWait, viewports } from './lib/browser.mjs';
import { signIn, signUp } from './lib/flows.mjs';

const outDir = process.env.IDPD_SCREENSHOTS_DIR || path.join(repoRoot, 'var', 'screenshots');
const user = { username: 'screenshot_用户', password: 'screenshots need a passphrase 1', email: 'shots@example.test' };

// Each page: how to bring the browser there from a fresh profile.
const pages = {
  signin: (page, issuer) => page.goto(`${issuer}/signin`),
  'signin-errors': async (page, issuer) => {
    await page.goto(`${issuer}/signin`);
    await signIn(page, { identifier: user.username, password: 'not the password' });
  },
  'signin-empty': async (page, issuer) => {
    await page.goto(`${issuer}/signin`);
    await submitAndWait(page, () => page.locator('form[action="/signin"] button[type=submit]').click());
  },
  signup: (page, issuer) => page.goto(`${issuer}/signup`),
  'signup-errors': async (page, issuer) => {
    await page.goto(`${issuer}/signup`);
    await signUp(page, { username: '12', email: 'not-an-email', password: 'password', confirm: 'other', acceptTerms: false });
  },
  terms: (page, issuer) => page.goto(`${issuer}/terms`),
  account: async (page, issuer) => {
    await page.goto(`${issuer}/signin`);
    await signIn(page, { identifier: user.username, password: user.password });
    await page.goto(`${issuer}/account`);
  },
  'error-csrf': async (page, issuer) => {
    await page.goto(`${issuer}/signin`);
    await page.locator('form[action="/signin"] input[name=csrf]').evaluate((input) => { input.value = 'forged'; });
    await signIn(page, { identifier: user.username, password: user.password });
  },
  'error-authorize': (page, issuer) => page.goto(`${issuer}/authorize?client_id=unknown&response_type=code`),
  'not-found': (page, issuer) => page.goto(`${issuer}/no-such-page`),
};

async function main() {
  mkdirSync(outDir, { recursive: true });
  const idpd = await Idpd.start();
  let browser;
  let failed = false;
  try {
    await idpd.addUser({ ...user, verifiedEmail: true });
    browser = await launchBrowser();
    for (const lang of ['zh-CN', 'en']) {
      for (const [width, viewport] of Object.entries(viewports)) {
        for (const [name, visit] of Object.entries(pages)) {
          const context = await newContext(browser, { locale: lang, viewport });
          const page = await context.newPage();
          const file = path.join(outDir, `${lang}-${width}-${name}.png`);
          try {
            await visit(page, idpd.issuer);
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
