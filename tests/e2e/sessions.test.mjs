// What an RP relies on after the first code exchange, through openid-client: refresh tokens
// that rotate and whose reuse ends the grant, a withdrawn consent ending them, RP-initiated
// logout with a back-channel logout token, a pushed authorization request (PAR), and
// DPoP-bound tokens that /userinfo accepts only with a proof of the key.
import assert from 'node:assert/strict';
import * as jose from 'jose';
import { e2eSuite } from './lib/suite.mjs';
import { browseToCallback, codeFlow, defaultHandlers } from './lib/flows.mjs';
import { submitAndWait } from './lib/browser.mjs';
import { callbackInput, discover, oauthErrorCode, oidc } from './lib/rp.mjs';

// Strict reuse detection, so "reused" does not depend on how fast the test runs.
const suite = e2eSuite({ serverEnv: { IDPD_OIDC_REFRESH_TOKEN_REUSE_GRACE: '0s' } });

const offline = 'openid profile offline_access';

async function refreshClient(s, id) {
  const client = await s.idpd.addClient({
    id, redirectUris: [s.callback.redirectUri], grantTypes: ['authorization_code', 'refresh_token'],
    scope: 'openid profile email offline_access', accessTokenFormat: 'opaque',
  });
  return { client, config: await discover(s.issuer, client) };
}

suite.scenario('a refresh token rotates, and spending a used one ends the whole grant', async (s) => {
  const user = await s.idpd.addUser({ username: 'refresher', password: 'refreshing passphrase 21' });
  const { config } = await refreshClient(s, 'web-refresh');
  const { tokens, claims } = await codeFlow(s, { config, user, params: { scope: offline } });
  assert.ok(tokens.refresh_token, 'offline_access with the refresh grant gives a refresh token');
  const next = await s.step('refresh: a new pair, the same user', async () => {
    const refreshed = await oidc.refreshTokenGrant(config, tokens.refresh_token);
    assert.notEqual(refreshed.refresh_token, tokens.refresh_token);
    assert.notEqual(refreshed.access_token, tokens.access_token);
    assert.equal(refreshed.claims().sub, claims.sub);
    assert.equal(refreshed.claims().auth_time, claims.auth_time);
    const info = await oidc.fetchUserInfo(config, refreshed.access_token, claims.sub);
    assert.equal(info.preferred_username, 'refresher');
    return refreshed;
  });
  await s.step('the first refresh token again: invalid_grant', async () => {
    await assert.rejects(oidc.refreshTokenGrant(config, tokens.refresh_token),
      (err) => oauthErrorCode(err) === 'invalid_grant');
  });
  await s.step('that reuse ended the grant: the newest tokens are dead too', async () => {
    await assert.rejects(oidc.refreshTokenGrant(config, next.refresh_token),
      (err) => oauthErrorCode(err) === 'invalid_grant');
    assert.deepEqual(await oidc.tokenIntrospection(config, next.access_token), { active: false });
  });
});

suite.scenario('withdrawing an app on /account/apps ends its refresh tokens', async (s) => {
  const user = await s.idpd.addUser({ username: 'withdrawer', password: 'withdrawing passphrase 22' });
  const { config } = await refreshClient(s, 'web-withdraw');
  const { tokens } = await codeFlow(s, { config, user, params: { scope: offline } });
  await s.step('withdraw the app on the account page', async () => {
    await s.page.goto(`${s.issuer}/account/apps`);
    await submitAndWait(s.page, () =>
      s.page.locator('form[action="/account/apps/web-withdraw/withdraw"] button').click());
  });
  await s.step('the refresh token no longer works', async () => {
    await assert.rejects(oidc.refreshTokenGrant(config, tokens.refresh_token),
      (err) => oauthErrorCode(err) === 'invalid_grant');
    assert.deepEqual(await oidc.tokenIntrospection(config, tokens.access_token), { active: false });
  });
});

suite.scenario('RP-initiated logout returns to the RP and sends a back-channel logout token', async (s) => {
  const user = await s.idpd.addUser({ username: 'leaver', password: 'leaving passphrase 23' });
  const client = await s.idpd.addClient({
    id: 'web-logout', redirectUris: [s.callback.redirectUri],
    postLogoutRedirectUris: [`${s.callback.origin}/signed-out`],
    backchannelLogoutUri: `${s.callback.origin}/backchannel`, firstParty: true,
  });
  const config = await discover(s.issuer, client);
  assert.equal(config.serverMetadata().backchannel_logout_supported, true);
  const { tokens, claims } = await codeFlow(s, { config, user });
  assert.ok(claims.sid, 'the ID token names the session');
  const since = s.callback.hits.length;
  await s.step('the RP sends the browser to /logout with its ID token', async () => {
    const url = oidc.buildEndSessionUrl(config, {
      id_token_hint: tokens.id_token, post_logout_redirect_uri: `${s.callback.origin}/signed-out`,
      state: 'bye-1',
    });
    await s.page.goto(url.toString());
  });
  const hits = await s.step('the browser comes back, and a logout token arrives', async () => {
    const deadline = Date.now() + 15_000;
    while (Date.now() < deadline) {
      const mine = s.callback.hits.slice(since);
      const back = mine.find((h) => h.url.pathname === '/signed-out');
      const notice = mine.find((h) => h.url.pathname === '/backchannel');
      if (back && notice) {
        return { back, notice };
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error('no return to /signed-out and back-channel notice within 15 s');
  });
  await s.step('the return carries state; the logout token verifies against /jwks', async () => {
    assert.equal(hits.back.url.searchParams.get('state'), 'bye-1');
    assert.equal(hits.notice.method, 'POST');
    const logoutToken = hits.notice.params.get('logout_token');
    const jwks = jose.createRemoteJWKSet(new URL(config.serverMetadata().jwks_uri));
    const { payload, protectedHeader } = await jose.jwtVerify(logoutToken, jwks,
      { issuer: s.issuer, audience: 'web-logout', typ: 'logout+jwt' });
    assert.equal(protectedHeader.typ, 'logout+jwt');
    assert.equal(payload.sid, claims.sid);
    assert.equal(payload.sub, claims.sub);
    assert.equal(payload.nonce, undefined);
    assert.deepEqual(payload.events, { 'http://schemas.openid.net/event/backchannel-logout': {} });
  });
  await s.step('the browser is signed out: prompt=none answers login_required', async () => {
    const started = oidc.buildAuthorizationUrl(config, {
      redirect_uri: s.callback.redirectUri, scope: 'openid', prompt: 'none', state: 'after-logout',
      code_challenge: await oidc.calculatePKCECodeChallenge(oidc.randomPKCECodeVerifier()),
      code_challenge_method: 'S256',
    });
    const hit = await browseToCallback(s, started, {});
    assert.equal(hit.params.get('error'), 'login_required');
    assert.equal(hit.params.get('state'), 'after-logout');
  });
});

suite.scenario('a pushed authorization request (PAR) signs in, and its request_uri works once', async (s) => {
  const user = await s.idpd.addUser({ username: 'pusher', password: 'pushing passphrase 24' });
  const client = await s.idpd.addClient({ id: 'web-par', redirectUris: [s.callback.redirectUri], firstParty: true });
  const config = await discover(s.issuer, client);
  assert.ok(config.serverMetadata().pushed_authorization_request_endpoint);
  const codeVerifier = oidc.randomPKCECodeVerifier();
  const nonce = oidc.randomNonce();
  const state = oidc.randomState();
  const challenge = await oidc.calculatePKCECodeChallenge(codeVerifier);
  const url = await s.step('push the request', () => oidc.buildAuthorizationUrlWithPAR(config, {
    redirect_uri: s.callback.redirectUri, scope: 'openid profile', state, nonce,
    code_challenge: challenge, code_challenge_method: 'S256',
  }));
  assert.ok(url.searchParams.get('request_uri').startsWith('urn:ietf:params:oauth:request_uri:'));
  assert.equal(url.searchParams.get('redirect_uri'), null, 'only client_id and request_uri travel');
  const hit = await s.step('sign in through the pushed request', () =>
    browseToCallback(s, url, defaultHandlers(user)));
  await s.step('redeem the code', async () => {
    const tokens = await oidc.authorizationCodeGrant(config, callbackInput(hit),
      { pkceCodeVerifier: codeVerifier, expectedState: state, expectedNonce: nonce, idTokenExpected: true });
    const info = await oidc.fetchUserInfo(config, tokens.access_token, tokens.claims().sub);
    assert.equal(info.preferred_username, 'pusher');
  });
  await s.step('the same request_uri again is refused on a page', async () => {
    const response = await s.page.goto(url.toString());
    assert.equal(response.status(), 400);
    assert.match(await s.page.content(), /invalid_request_uri|request_uri/);
    assert.equal(new URL(s.page.url()).origin, s.issuer, 'never redirected to the RP');
  });
});

suite.scenario('DPoP: tokens bound to the RP key, and /userinfo demands a proof of it', async (s) => {
  const user = await s.idpd.addUser({ username: 'dpopper', password: 'proving passphrase 25' });
  const client = await s.idpd.addClient({
    id: 'web-dpop', isPublic: true, redirectUris: [s.callback.redirectUri],
    grantTypes: ['authorization_code', 'refresh_token'], scope: 'openid profile offline_access',
    firstParty: true,
  });
  const config = await discover(s.issuer, client);
  assert.ok(config.serverMetadata().dpop_signing_alg_values_supported.includes('ES256'));
  const DPoP = oidc.getDPoPHandle(config, await oidc.randomDPoPKeyPair('ES256'));
  const codeVerifier = oidc.randomPKCECodeVerifier();
  const state = oidc.randomState();
  const url = oidc.buildAuthorizationUrl(config, {
    redirect_uri: s.callback.redirectUri, scope: offline, state,
    code_challenge: await oidc.calculatePKCECodeChallenge(codeVerifier), code_challenge_method: 'S256',
  });
  const hit = await browseToCallback(s, url, defaultHandlers(user));
  const tokens = await s.step('redeem the code with a DPoP proof', () =>
    oidc.authorizationCodeGrant(config, callbackInput(hit),
      { pkceCodeVerifier: codeVerifier, expectedState: state, idTokenExpected: true }, undefined, { DPoP }));
  assert.equal(tokens.token_type, 'dpop');
  const sub = tokens.claims().sub;
  await s.step('userinfo with a proof of the key answers', async () => {
    const info = await oidc.fetchUserInfo(config, tokens.access_token, sub, { DPoP });
    assert.equal(info.preferred_username, 'dpopper');
  });
  await s.step('the same token as a plain Bearer token is refused', async () => {
    const refused = await oidc.fetchUserInfo(config, tokens.access_token, sub).then(() => null, (err) => err);
    assert.ok(refused, 'a DPoP-bound token must not work without its proof');
  });
  await s.step('a public client refreshes only with the same key', async () => {
    const other = oidc.getDPoPHandle(config, await oidc.randomDPoPKeyPair('ES256'));
    await assert.rejects(oidc.refreshTokenGrant(config, tokens.refresh_token, undefined, { DPoP: other }),
      (err) => oauthErrorCode(err) === 'invalid_grant');
    const refreshed = await oidc.refreshTokenGrant(config, tokens.refresh_token, undefined, { DPoP });
    assert.equal(refreshed.token_type, 'dpop');
  });
});
