// The sign-in pages in both languages: zh-CN by default, English when the RP asks with
// ui_locales or the browser prefers it, and the flow completes in each.
import assert from 'node:assert/strict';
import { e2eSuite } from './lib/suite.mjs';
import { codeFlow, signIn } from './lib/flows.mjs';
import { text } from './lib/browser.mjs';
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

// idpd bug: the language ui_locales chose for GET /signin is not carried into the POST, so the
// page that names the wrong password falls back to Accept-Language (here zh-CN).
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
        assert.doesNotMatch(alert, /[\u4e00-\u9fff]/, `the English sign-in answered in Chinese: ${alert}`);
      });
      await s.step('retry with the right password', () => signIn(page, { identifier: user.username, password: user.password }));
    },
  };
  const { claims } = await codeFlow(s, { config, params: { ui_locales: 'en' }, handlers });
  assert.equal(claims.sub, user.id);
}, { locale: 'zh-CN', todo: 'idpd keeps ui_locales only on GET /signin; a failed POST answers in Accept-Language' });
