// The authorization code flow with PKCE, as a new and a returning user live it: sign-up on the
// real page, a confidential client (client_secret_basic) and a public one (none), userinfo.
import assert from 'node:assert/strict';
import { e2eSuite } from './lib/suite.mjs';
import { codeFlow, signUp } from './lib/flows.mjs';
import { submitAndWait } from './lib/browser.mjs';
import { discover, oauthErrorCode, oidc } from './lib/rp.mjs';

// The captcha (a server-drawn image) is for people; its own tests are in tests/integration/web.
const suite = e2eSuite({ serverEnv: { IDPD_CAPTCHA_ENABLED: 'false' } });

async function webClient(s, id) {
  const client = await s.idpd.addClient({ id, redirectUris: [s.callback.redirectUri] });
  return discover(s.issuer, client);
}

suite.scenario('a new user signs up on the way and the confidential client gets tokens and userinfo', async (s) => {
  const config = await s.step('register a confidential client', () => webClient(s, 'web-confidential'));
  const newcomer = { username: 'newcomer_小明', email: 'newcomer@example.test', password: 'a long and unusual passphrase 7' };
  const handlers = {
    // The sign-in page offers sign-up; the sign-up page brings the browser back to /authorize.
    '/signin': (page) => submitAndWait(page, () => page.locator('.card__footer a').click()),
    '/signup': (page) => signUp(page, newcomer),
  };
  const { tokens, claims, seen } = await codeFlow(s, { config, handlers });

  await s.step('check the pages and the ID token', () => {
    assert.deepEqual(seen, ['/signin', '/signup', '/consent']);  // a third-party client asks once
    assert.equal(claims.iss, s.issuer);
    assert.equal(claims.aud, 'web-confidential');
    assert.match(claims.sub, /^\d+$/);
    assert.equal(tokens.token_type.toLowerCase(), 'bearer');
    assert.ok(tokens.expires_in > 0);
  });
  await s.step('read userinfo with the access token', async () => {
    const info = await oidc.fetchUserInfo(config, tokens.access_token, claims.sub);
    assert.equal(info.sub, claims.sub);
    assert.equal(info.preferred_username, newcomer.username);
    assert.equal(info.email, newcomer.email);
    assert.equal(info.email_verified, false);
  });
  await s.step('the new account exists for the operator too', async () => {
    const shown = await s.idpd.cli(['user', 'show', '--username', newcomer.username]);
    assert.match(shown, new RegExp(`^id: +${claims.sub}$`, 'm'));
  });
});

suite.scenario('a public client (no secret) completes the flow with PKCE alone', async (s) => {
  const user = await s.step('create a user with the CLI', () =>
    s.idpd.addUser({ username: 'public_user', password: 'correct horse battery staple 9', email: 'pub@example.test', verifiedEmail: true }));
  const client = await s.step('register a public client', () =>
    s.idpd.addClient({ id: 'spa-public', isPublic: true, redirectUris: [s.callback.redirectUri] }));
  const config = await discover(s.issuer, client);
  const { tokens, claims, seen } = await codeFlow(s, { config, user });
  await s.step('check the ID token and userinfo', async () => {
    assert.deepEqual(seen, ['/signin', '/consent']);
    assert.equal(claims.sub, user.id);
    assert.equal(claims.aud, 'spa-public');
    assert.ok(Math.abs(claims.auth_time - Date.now() / 1000) < 120, `auth_time ${claims.auth_time}`);
    const info = await oidc.fetchUserInfo(config, tokens.access_token, user.id);
    assert.equal(info.email, user.email);
    assert.equal(info.email_verified, true);
  });
  await s.step('the code cannot be redeemed a second time', async () => {
    const { started, hit } = await codeFlow(s, { config, user });
    await assert.rejects(oidc.authorizationCodeGrant(config, hit.url, {
      pkceCodeVerifier: started.codeVerifier, expectedState: started.state, expectedNonce: started.nonce,
    }), (err) => oauthErrorCode(err) === 'invalid_grant');
  });
});

suite.scenario('login_hint prefills the sign-in form', async (s) => {
  const user = await s.idpd.addUser({ username: 'hinted_user', password: 'another fine passphrase 3' });
  const config = await webClient(s, 'web-hint');
  let prefilled;
  const handlers = {
    '/signin': async (page) => {
      prefilled = await page.locator('#identifier').inputValue();
      await page.locator('#password').fill(user.password);
      await submitAndWait(page, () => page.locator('form[action="/signin"] button[type=submit]').click());
    },
  };
  const { claims } = await codeFlow(s, { config, params: { login_hint: user.username }, handlers });
  assert.equal(prefilled, user.username);
  assert.equal(claims.sub, user.id);
});

suite.scenario('response_mode=form_post brings the code back in a POST the user continues', async (s) => {
  const user = await s.idpd.addUser({ username: 'form_poster', password: 'posting forms since 1999' });
  const config = await webClient(s, 'web-form-post');
  const handlers = {
    // The form_post page has no script (CSP): the user presses its one button.
    '/authorize': (page) => submitAndWait(page, () => page.locator('form[method=post] button[type=submit]').click()),
  };
  const { hit, claims, seen } = await codeFlow(s, { config, user, params: { response_mode: 'form_post' }, handlers });
  assert.deepEqual(seen, ['/signin', '/consent', '/authorize']);
  assert.equal(hit.method, 'POST');
  assert.equal(hit.params.get('iss'), s.issuer);
  assert.equal(claims.sub, user.id);
});
