// Consent as a person meets it: a third-party client asks once and lists what it wants in the
// reader's language; Deny reaches the RP as access_denied; the answer is remembered; withdrawing
// it on "authorized applications" makes the client ask again.
import assert from 'node:assert/strict';
import { e2eSuite } from './lib/suite.mjs';
import { approveConsent, browseToCallback, codeFlow } from './lib/flows.mjs';
import { submitAndWait } from './lib/browser.mjs';
import { discover, startAuthorization } from './lib/rp.mjs';

const suite = e2eSuite();

async function setup(s, name) {
  const user = await s.step('create a user and a third-party client', () =>
    s.idpd.addUser({ username: `${name}_user`, password: 'consenting adults only 12' }));
  const client = await s.idpd.addClient({ id: `${name}-app`, redirectUris: [s.callback.redirectUri] });
  return { user, config: await discover(s.issuer, client) };
}

suite.scenario('the consent page lists the scopes, is remembered, and can be withdrawn', async (s) => {
  const { user, config } = await setup(s, 'remember');
  let listed = [];
  const handlers = {
    '/consent': async (page) => {
      listed = await page.locator('.scopes__item').allTextContents();
      await approveConsent(page);
    },
  };
  const first = await codeFlow(s, { config, user, params: { scope: 'openid email' }, handlers });
  await s.step('the page said what the client gets, in Chinese by default', () => {
    assert.deepEqual(first.seen, ['/signin', '/consent']);
    assert.equal(listed.length, 2);
    assert.ok(listed.some((line) => line.includes('邮箱')), listed.join(' | '));
  });
  const second = await codeFlow(s, { config, user, params: { scope: 'openid email' } });
  await s.step('the second request is answered without a page', () => {
    assert.deepEqual(second.seen, []);
    assert.equal(second.claims.sub, user.id);
  });
  await s.step('withdraw on the authorized applications page', async () => {
    await s.page.goto(`${s.issuer}/account/apps`);
    await submitAndWait(s.page, () =>
      s.page.locator('form[action="/account/apps/remember-app/withdraw"] button').click());
    assert.match(await s.page.locator('.alert').textContent(), /撤销/);
  });
  const third = await codeFlow(s, { config, user, params: { scope: 'openid email' } });
  assert.deepEqual(third.seen, ['/consent']);
});

suite.scenario('Deny sends the user back to the RP with access_denied and iss', async (s) => {
  const { user, config } = await setup(s, 'deny');
  const started = await startAuthorization(config, s.callback.redirectUri);
  const seen = [];
  const hit = await s.step('sign in and deny', () => browseToCallback(s, started.url, {
    '/signin': async (page) => {
      await page.locator('#identifier').fill(user.username);
      await page.locator('#password').fill(user.password);
      await submitAndWait(page, () => page.locator('form[action="/signin"] button[type=submit]').click());
    },
    '/consent': (page) => approveConsent(page, { allow: false }),
  }, seen));
  assert.deepEqual(seen, ['/signin', '/consent']);
  assert.equal(hit.params.get('error'), 'access_denied');
  assert.equal(hit.params.get('iss'), s.issuer);
  assert.equal(hit.params.get('state'), started.state);
  assert.equal(hit.params.get('code'), null);
});
