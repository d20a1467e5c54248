// prompt=none and max_age: what an RP gets back with and without a session at idpd.
import assert from 'node:assert/strict';
import { e2eSuite } from './lib/suite.mjs';
import { browseToCallback, codeFlow } from './lib/flows.mjs';
import { discover, oauthErrorCode, oidc, startAuthorization } from './lib/rp.mjs';

const suite = e2eSuite();

async function setup(s, name) {
  const user = await s.step('create a user and a client', () =>
    s.idpd.addUser({ username: `${name}_user`, password: 'a passphrase nobody uses 42' }));
  const client = await s.idpd.addClient({ id: `${name}-client`, redirectUris: [s.callback.redirectUri] });
  return { user, config: await discover(s.issuer, client) };
}

suite.scenario('prompt=none answers with a code while the browser is signed in', async (s) => {
  const { user, config } = await setup(s, 'silent');
  const first = await codeFlow(s, { config, user });
  const silent = await codeFlow(s, { config, user, params: { prompt: 'none' } });
  await s.step('no page was shown and the same sign-in answers', () => {
    assert.deepEqual(first.seen, ['/signin', '/consent']);
    assert.deepEqual(silent.seen, []);
    assert.equal(silent.claims.sub, user.id);
    assert.equal(silent.claims.auth_time, first.claims.auth_time);
    assert.equal(silent.claims.sid, first.claims.sid);
  });
});

suite.scenario('prompt=none without a session returns login_required to the RP, with iss', async (s) => {
  const { config } = await setup(s, 'nosession');
  const started = await startAuthorization(config, s.callback.redirectUri, { prompt: 'none' });
  const seen = [];
  const hit = await s.step('the browser goes straight back to the RP', () =>
    browseToCallback(s, started.url, {}, seen));
  await s.step('the RP sees login_required from this issuer', async () => {
    assert.deepEqual(seen, []);
    assert.equal(hit.params.get('error'), 'login_required');
    assert.equal(hit.params.get('iss'), s.issuer);
    assert.equal(hit.params.get('state'), started.state);
    assert.equal(hit.params.get('code'), null);
    // openid-client checks state and iss before it reports the error.
    await assert.rejects(oidc.authorizationCodeGrant(config, hit.url, {
      pkceCodeVerifier: started.codeVerifier, expectedState: started.state,
    }), (err) => oauthErrorCode(err) === 'login_required');
  });
});

suite.scenario('max_age=0 shows the sign-in page again to a signed-in user', async (s) => {
  const { user, config } = await setup(s, 'maxage');
  const first = await codeFlow(s, { config, user });
  // auth_time has one-second resolution: make the second sign-in land in a later second.
  await new Promise((r) => setTimeout(r, 1100));
  const again = await codeFlow(s, { config, user, params: { max_age: '0' } });
  await s.step('the user signed in again and auth_time moved', () => {
    assert.deepEqual(again.seen, ['/signin']);
    assert.equal(again.claims.sub, user.id);
    assert.ok(again.claims.auth_time > first.claims.auth_time,
      `auth_time ${again.claims.auth_time} should be after ${first.claims.auth_time}`);
  });
});

suite.scenario('prompt=login asks a signed-in user to sign in again, and the RP gets a new session', async (s) => {
  const { user, config } = await setup(s, 'relogin');
  const first = await codeFlow(s, { config, user });
  await new Promise((r) => setTimeout(r, 1100));
  const again = await codeFlow(s, { config, user, params: { prompt: 'login' } });
  await s.step('the sign-in page was shown and a new session answered', () => {
    assert.deepEqual(again.seen, ['/signin']);
    assert.ok(again.claims.auth_time > first.claims.auth_time);
    assert.notEqual(again.claims.sid, first.claims.sid);
  });
});
