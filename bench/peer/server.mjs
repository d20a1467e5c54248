// The peer idpd is measured against: node-oidc-provider (OpenID Certified), configured like the
// idpd that bench/run.sh starts:
//   * four confidential clients bench-opaque, bench-rs256, bench-es256, bench-eddsa, one shared
//     secret, client_secret_basic, grant client_credentials only, allowed scope "api";
//   * access tokens live 10 minutes, audience = the issuer (idpd's default), opaque for
//     bench-opaque and an RFC 9068 JWT signed with RS256 / ES256 / EdDSA for the others;
//   * introspection and revocation on, everything else off;
//   * for the flows with a user (userinfo, refresh, code flow from a session): the account
//     bench_user and the client bench-web (code + refresh_token, client_secret_basic, ID tokens
//     ES256, redirect URI PEER_REDIRECT_URI), whose /interaction/:uid signs bench_user in and
//     grants what was asked at once — the peer has no password pages, so its flows start from
//     a session, like idpd's code-flow-session; refresh tokens rotate on every use, as idpd's;
//   * the same key set as idpd publishes: an active and a next key for RS256, PS256, ES256 and
//     EdDSA (8 keys), made once into PEER_KEYS_FILE so that later starts only read them.
// Tokens live in oidc-provider's default in-process adapter (an LRU of 1000 entries, nothing
// persisted): far less storage work than idpd's SQLite or MariaDB. The results say so.
//
// Environment: PEER_PORT, PEER_SECRET, PEER_KEYS_FILE, PEER_REDIRECT_URI (all required).
import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';

import Provider from 'oidc-provider';

function required(name) {
  const value = process.env[name];
  if (!value) {
    console.error(`peer: ${name} is not set`);
    process.exit(2);
  }
  return value;
}

const port = Number(required('PEER_PORT'));
const secret = required('PEER_SECRET');
const keysFile = required('PEER_KEYS_FILE');
const redirectUri = required('PEER_REDIRECT_URI');
const benchUser = 'bench_user';
const issuer = `http://localhost:${port}`;

// One active and one next key per algorithm, like idpd's key store.
function makeKeys() {
  const specs = [
    ['RS256', 'rsa', { modulusLength: 2048 }],
    ['PS256', 'rsa', { modulusLength: 2048 }],
    ['ES256', 'ec', { namedCurve: 'P-256' }],
    ['EdDSA', 'ed25519', {}],
  ];
  const keys = [];
  for (let round = 0; round < 2; round += 1) {
    for (const [alg, type, options] of specs) {
      const { privateKey } = generateKeyPairSync(type, options);
      keys.push({ ...privateKey.export({ format: 'jwk' }), alg, use: 'sig', kid: randomUUID() });
    }
  }
  return keys;
}

if (!existsSync(keysFile)) {
  writeFileSync(keysFile, JSON.stringify({ keys: makeKeys() }), { mode: 0o600 });
}
const jwks = JSON.parse(readFileSync(keysFile, 'utf8'));

const tokenAlg = { 'bench-rs256': 'RS256', 'bench-es256': 'ES256', 'bench-eddsa': 'EdDSA' };
const ttl = 600; // seconds, idpd's oidc.access_token_ttl default

const provider = new Provider(issuer, {
  clients: [
    ...['bench-opaque', 'bench-rs256', 'bench-es256', 'bench-eddsa'].map((id) => ({
      client_id: id,
      client_secret: secret,
      grant_types: ['client_credentials'],
      response_types: [],
      redirect_uris: [],
      token_endpoint_auth_method: 'client_secret_basic',
      scope: 'api',
    })),
    {
      client_id: 'bench-web',
      client_secret: secret,
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      redirect_uris: [redirectUri],
      token_endpoint_auth_method: 'client_secret_basic',
      id_token_signed_response_alg: 'ES256',
      scope: 'openid profile offline_access',
    },
  ],
  findAccount: (_ctx, id) => (id === benchUser
    ? { accountId: id, claims: () => ({ sub: id, preferred_username: id, name: 'Bench User' }) }
    : undefined),
  claims: { openid: ['sub'], profile: ['name', 'preferred_username'] },
  interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
  rotateRefreshToken: true,
  jwks,
  cookies: { keys: ['bench-cookie-key-not-used-by-these-scenarios'] },
  features: {
    devInteractions: { enabled: false },
    clientCredentials: { enabled: true },
    introspection: { enabled: true },
    revocation: { enabled: true },
    resourceIndicators: {
      enabled: true,
      // No `resource` parameter in the request: the token is for the issuer, as in idpd.
      // bench-web's tokens are for userinfo (opaque, oidc-provider's rule for userinfo tokens).
      defaultResource: (_ctx, client) => (client.clientId === 'bench-web' ? undefined : issuer),
      useGrantedResource: () => true,
      getResourceServerInfo: (_ctx, _resource, client) => {
        const alg = tokenAlg[client.clientId];
        return {
          scope: 'api',
          audience: issuer,
          accessTokenTTL: ttl,
          accessTokenFormat: alg ? 'jwt' : 'opaque',
          ...(alg ? { jwt: { sign: { alg } } } : {}),
        };
      },
    },
  },
  scopes: ['openid', 'api', 'profile', 'offline_access'],
  ttl: {
    ClientCredentials: ttl, AccessToken: ttl, AuthorizationCode: 60, IdToken: 3600,
    RefreshToken: 14 * 24 * 3600, Session: 14 * 24 * 3600, Grant: 14 * 24 * 3600, Interaction: 3600,
  },
});

// The interaction: bench_user signs in and grants every scope asked for, with no page.
provider.use(async (ctx, next) => {
  if (!/^\/interaction\/[^/]+$/.test(ctx.path)) {
    return next();
  }
  const details = await provider.interactionDetails(ctx.req, ctx.res);
  // A new grant each time: each refresh chain is then its own grant, as each code is its own
  // refresh family in idpd (oidc-provider ends a grant's other refresh tokens on rotation).
  const grant = new provider.Grant({ accountId: benchUser, clientId: details.params.client_id });
  grant.addOIDCScope(details.params.scope);
  const grantId = await grant.save();
  const to = await provider.interactionResult(ctx.req, ctx.res,
    { login: { accountId: benchUser }, consent: { grantId } }, { mergeWithLastSubmission: false });
  ctx.status = 303;
  ctx.set('Location', to);
  return undefined;
});

const server = provider.listen(port, '127.0.0.1', () => {
  console.error(`peer: oidc-provider serving ${issuer} (pid ${process.pid})`);
});

function stop() {
  server.close(() => process.exit(0));
  setTimeout(() => process.exit(0), 2000).unref();
}
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
