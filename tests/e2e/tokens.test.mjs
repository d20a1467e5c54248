// What an API and an RP do with access tokens: introspection before and after revocation,
// client_credentials with a JWT (verified offline against /jwks with jose) and an opaque token.
import assert from 'node:assert/strict';
import * as jose from 'jose';
import { e2eSuite } from './lib/suite.mjs';
import { codeFlow } from './lib/flows.mjs';
import { discover, oauthErrorCode, oidc } from './lib/rp.mjs';

const suite = e2eSuite();

suite.scenario('an access token is active at /introspect until the RP revokes it', async (s) => {
  const user = await s.idpd.addUser({ username: 'revoker', password: 'yet another passphrase 11' });
  const client = await s.idpd.addClient({ id: 'web-revoke', redirectUris: [s.callback.redirectUri], accessTokenFormat: 'opaque' });
  const config = await discover(s.issuer, client);
  const { tokens, claims } = await codeFlow(s, { config, user });
  await s.step('introspection says active, with the user and the client', async () => {
    const info = await oidc.tokenIntrospection(config, tokens.access_token);
    assert.equal(info.active, true);
    assert.equal(info.sub, claims.sub);
    assert.equal(info.client_id, 'web-revoke');
    assert.equal(info.iss, s.issuer);
    assert.deepEqual(info.scope.split(' ').sort(), ['email', 'openid', 'profile']);
  });
  await s.step('revoke, then introspection says inactive and userinfo refuses it', async () => {
    await oidc.tokenRevocation(config, tokens.access_token);
    const info = await oidc.tokenIntrospection(config, tokens.access_token);
    assert.deepEqual(info, { active: false });
    const refused = await oidc.fetchUserInfo(config, tokens.access_token, claims.sub).then(() => null, (err) => err);
    assert.equal(oauthErrorCode(refused), 'invalid_token');
  });
});

suite.scenario('a revoked JWT access token is inactive at /introspect', async (s) => {
  const user = await s.idpd.addUser({ username: 'jwt_revoker', password: 'yet another passphrase 12' });
  const client = await s.idpd.addClient({ id: 'web-jwt', redirectUris: [s.callback.redirectUri], accessTokenFormat: 'jwt' });
  const config = await discover(s.issuer, client);
  const { tokens } = await codeFlow(s, { config, user });
  assert.equal((await oidc.tokenIntrospection(config, tokens.access_token)).active, true);
  await oidc.tokenRevocation(config, tokens.access_token);
  assert.equal((await oidc.tokenIntrospection(config, tokens.access_token)).active, false);
});

suite.scenario('client_credentials: a JWT access token an API verifies offline against /jwks', async (s) => {
  const client = await s.idpd.addClient({ id: 'service-jwt', grantTypes: ['client_credentials'], scope: 'api.read api.write', accessTokenFormat: 'jwt', alg: 'ES256' });
  const config = await discover(s.issuer, client);
  const tokens = await s.step('client_credentials grant', () =>
    oidc.clientCredentialsGrant(config, { scope: 'api.read' }));
  await s.step('verify the token with jose and the published keys', async () => {
    assert.equal(tokens.id_token, undefined);
    const jwks = jose.createRemoteJWKSet(new URL(config.serverMetadata().jwks_uri));
    const { payload, protectedHeader } = await jose.jwtVerify(tokens.access_token, jwks, {
      issuer: s.issuer, typ: 'at+jwt', algorithms: ['ES256'], requiredClaims: ['exp', 'iat', 'jti'],
    });
    assert.equal(protectedHeader.alg, 'ES256');
    assert.equal(payload.client_id, 'service-jwt');
    assert.equal(payload.sub, 'service-jwt');
    assert.equal(payload.scope, 'api.read');
    assert.ok(payload.exp - payload.iat > 0 && payload.exp - payload.iat <= 600);
  });
  await s.step('a scope the client does not have is refused', async () => {
    await assert.rejects(oidc.clientCredentialsGrant(config, { scope: 'admin' }),
      (err) => oauthErrorCode(err) === 'invalid_scope');
  });
  await s.step('openid is never granted to a client alone', async () => {
    await assert.rejects(oidc.clientCredentialsGrant(config, { scope: 'openid' }),
      (err) => oauthErrorCode(err) === 'invalid_scope');
  });
});

suite.scenario('client_credentials: an opaque access token only /introspect can read', async (s) => {
  const client = await s.idpd.addClient({ id: 'service-opaque', grantTypes: ['client_credentials'], scope: 'api.read', accessTokenFormat: 'opaque' });
  const config = await discover(s.issuer, client);
  const tokens = await oidc.clientCredentialsGrant(config);
  await s.step('the token is not a JWT', () => {
    assert.throws(() => jose.decodeJwt(tokens.access_token));
  });
  await s.step('introspection reads it, then revocation ends it', async () => {
    const info = await oidc.tokenIntrospection(config, tokens.access_token);
    assert.equal(info.active, true);
    assert.equal(info.client_id, 'service-opaque');
    assert.equal(info.scope, 'api.read');
    await oidc.tokenRevocation(config, tokens.access_token);
    assert.equal((await oidc.tokenIntrospection(config, tokens.access_token)).active, false);
  });
  await s.step('a wrong secret is refused', async () => {
    const wrong = await discover(s.issuer, { ...client, secret: 'not-the-secret' });
    // RFC 6749 §5.2: 401 with a Basic challenge (openid-client reports the challenge, not the body).
    await assert.rejects(oidc.clientCredentialsGrant(wrong),
      (err) => err.status === 401 && err.cause?.[0]?.scheme === 'basic');
  });
});
