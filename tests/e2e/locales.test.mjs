// The sign-in pages in both languages: zh-CN by default, English when the RP asks with
// ui_locales or the browser prefers it, and the flow completes in each.
import assert from 'node:assert/strict';
import { e2eSuite } from './lib/suite.mjs';
import { approveConsent, codeFlow, signIn } from './lib/flows.mjs';
import { submitAndWait, text } from './lib/browser.mjs';
import { discover } from './lib/rp.mjs';

const suite = e2eSuite();

async function setup(s, name) {
  const user = await s.idpd.addUser({ username: `${name}_用户`, password: 'passphrase for locales 5' });
  const client = await s.idpd.addClient({ id: `${name}-client`, redirectUris: [s.callback.redirectUri] });
  return { user, config: await discover(s.issuer, client) };
}

// A /signin handler that records the page's language and heading before signing in.
function recordingSignIn(user, seen) {
  return {
    '/signin': async (page) => {
      seen.lang = await page.locator('html').getAttribute('lang');
      seen.heading = (await page.locator('h1').textContent()).trim();
      seen.submit = (await page.locator('form[action="/signin"] button[type=submit]').textContent()).trim();
      await signIn(page, { identifier: user.username, password: user.password });
    },
  };
}

suite.scenario('zh-CN is the default when the browser asks for no language we have', async (s) => {
  const { user, config } = await setup(s, 'fr');
  const seen = {};
  const { claims } = await codeFlow(s, { config, handlers: recordingSignIn(user, seen) });
  assert.equal(seen.lang, 'zh-CN');
  assert.equal(seen.heading, text('zh-CN', 'signin.heading'));
  assert.equal(seen.submit, text('zh-CN', 'signin.submit'));
  assert.equal(claims.sub, user.id);
}, { locale: 'fr-FR' });

suite.scenario('ui_locales=en shows the sign-in page in English to a zh-CN browser', async (s) => {
  const { user, config } = await setup(s, 'en');
  const seen = {};
  const { claims } = await codeFlow(s, { config, params: { ui_locales: 'en' }, handlers: recordingSignIn(user, seen) });
  assert.equal(seen.lang, 'en');
  assert.equal(seen.heading, text('en', 'signin.heading'));
  assert.equal(seen.submit, text('en', 'signin.submit'));
  assert.equal(claims.sub, user.id);
}, { locale: 'zh-CN' });

// ui_locales reaches GET /signin in the query; the form carries it into the POST, so the page
// that names the wrong password speaks the RP's language, not Accept-Language.
suite.scenario('a wrong password is named in the language the RP asked for, and the user can retry', async (s) => {
  const { user, config } = await setup(s, 'retry');
  let failedOnce = false;
  const handlers = {
    '/signin': async (page) => {
      if (failedOnce) {
        await signIn(page, { identifier: user.username, password: user.password });
        return;
      }
      failedOnce = true;
      await s.step('sign in with a wrong password', () =>
        signIn(page, { identifier: user.username, password: 'not the password at all' }));
      await s.step('the English page names the problem and keeps the username', async () => {
        const alert = (await page.locator('[role=alert]').first().textContent()).trim();
        assert.equal(await page.locator('#identifier').inputValue(), user.username);
        assert.equal(await page.locator('html').getAttribute('lang'), 'en');
        assert.equal(alert, text('en', 'errors.signin.failed'));
      });
      await s.step('the sign-up link of the re-rendered page is English too', async () => {
        const href = await page.locator('a', { hasText: text('en', 'signin.signup_link') }).getAttribute('href');
        assert.match(href, /ui_locales=en/);
      });
      await s.step('retry with the right password', () => signIn(page, { identifier: user.username, password: user.password }));
    },
  };
  const { claims } = await codeFlow(s, { config, params: { ui_locales: 'en' }, handlers });
  assert.equal(claims.sub, user.id);
}, { locale: 'zh-CN' });

async function headingIn(page, lang, key) {
  assert.equal(await page.locator('html').getAttribute('lang'), lang, `${page.url()} is not in ${lang}`);
  assert.equal((await page.locator('h1').first().textContent()).trim(), text(lang, key));
}

async function follow(page, linkText) {
  await submitAndWait(page, () => page.locator('a', { hasText: linkText }).first().click());
}

suite.scenario('the RP\'s language holds from sign-in to sign-up, forgot password and back; the switch overrides it', async (s) => {
  const { user, config } = await setup(s, 'walk');
  const consentLang = {};
  const handlers = {
    '/signin': async (page) => {
      await s.step('sign-in → sign-up → sign-in, all English', async () => {
        await headingIn(page, 'en', 'signin.heading');
        await follow(page, text('en', 'signin.signup_link'));
        await headingIn(page, 'en', 'signup.heading');
        await follow(page, text('en', 'signup.signin_link'));
        await headingIn(page, 'en', 'signin.heading');
      });
      await s.step('forgot password and back, still English', async () => {
        await follow(page, text('en', 'signin.forgot'));
        await headingIn(page, 'en', 'forgot.heading');
        await follow(page, text('en', 'forgot.back'));
        await headingIn(page, 'en', 'signin.heading');
      });
      await s.step('the switch to 中文 wins over ui_locales=en', async () => {
        await submitAndWait(page, () => page.locator('.lang-switch button[value="zh-CN"]').click());
        await headingIn(page, 'zh-CN', 'signin.heading');
      });
      await s.step('a wrong password keeps Chinese', async () => {
        await signIn(page, { identifier: user.username, password: 'wrong wrong wrong' });
        await headingIn(page, 'zh-CN', 'signin.heading');
      });
      await signIn(page, { identifier: user.username, password: user.password });
    },
    '/consent': async (page) => {
      consentLang.lang = await page.locator('html').getAttribute('lang');
      await approveConsent(page);
    },
  };
  const { claims } = await codeFlow(s, { config, params: { ui_locales: 'en' }, handlers });
  assert.equal(claims.sub, user.id);
  if (consentLang.lang) {
    assert.equal(consentLang.lang, 'zh-CN', 'the consent page went back to the RP\'s ui_locales');
  }
}, { locale: 'en-US' });
