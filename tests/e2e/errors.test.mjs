// Requests idpd must refuse without sending the browser anywhere.
import assert from 'node:assert/strict';
import { e2eSuite } from './lib/suite.mjs';
import { text } from './lib/browser.mjs';
import { discover, startAuthorization } from './lib/rp.mjs';

const suite = e2eSuite();

suite.scenario('an unregistered redirect_uri gets an error page and never a redirect', async (s) => {
  const client = await s.idpd.addClient({ id: 'web-strict', redirectUris: [s.callback.redirectUri] });
  const config = await discover(s.issuer, client);
  const attacker = `${s.callback.origin}/not-registered`;
  const started = await startAuthorization(config, attacker);
  const since = s.callback.hits.length;
  const response = await s.step('open the authorization request', () => s.page.goto(started.url.toString()));
  await s.step('idpd shows its error page', async () => {
    assert.equal(response.status(), 400);
    assert.equal(new URL(s.page.url()).origin, s.issuer);
    // The pages' layout in the browser's language (zh-CN here), the OAuth error for the developer.
    assert.equal(await s.page.locator('html').getAttribute('lang'), 'zh-CN');
    assert.equal((await s.page.locator('h1').textContent()).trim(), text('zh-CN', 'error_pages.authorize_heading'));
    assert.match(await s.page.locator('body').textContent(), /redirect_uri/);
  });
  await s.step('nothing reached the redirect URI', async () => {
    await new Promise((r) => setTimeout(r, 500));
    assert.equal(s.callback.hits.length, since);
  });
});

suite.scenario('an unknown client_id gets an error page', async (s) => {
  const url = new URL('/authorize', s.issuer);
  url.search = new URLSearchParams({ client_id: 'nobody', response_type: 'code', scope: 'openid',
    redirect_uri: s.callback.redirectUri, state: 'x', code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM', code_challenge_method: 'S256' }).toString();
  const since = s.callback.hits.length;
  const response = await s.page.goto(url.toString());
  assert.equal(response.status(), 400);
  assert.equal((await s.page.locator('h1').textContent()).trim(), text('zh-CN', 'error_pages.authorize_heading'));
  assert.match(await s.page.locator('body').textContent(), /the client is not registered/);
  assert.equal(new URL(s.page.url()).origin, s.issuer);
  assert.equal(s.callback.hits.length, since);
});

suite.scenario('a sign-in form posted without its CSRF token gets the localized error page', async (s) => {
  await s.page.goto(`${s.issuer}/signin`);
  // Another site's form: same fields, no valid token.
  await s.page.locator('form[action="/signin"] input[name=csrf]').evaluate((input) => { input.value = 'forged'; });
  await s.page.locator('#identifier').fill('someone');
  await s.page.locator('#password').fill('whatever it is');
  const [response] = await Promise.all([
    s.page.waitForResponse((r) => r.url() === `${s.issuer}/signin` && r.request().method() === 'POST'),
    s.page.locator('form[action="/signin"] button[type=submit]').click(),
  ]);
  assert.equal(response.status(), 403);
  await s.page.waitForLoadState('load');
  assert.equal(await s.page.locator('h1').textContent(), text('zh-CN', 'error.forbidden'));
  assert.equal(await s.page.locator('.alert--error p').textContent(), text('zh-CN', 'error.csrf'));
});
