// The peer idpd is measured against: node-oidc-provider (OpenID Certified), configured like the
// idpd that bench/run.sh starts:
//   * four confidential clients bench-opaque, bench-rs256, bench-es256, bench-eddsa, one shared
//     secret, client_secret_basic, grant client_credentials only, allowed scope "api";
//   * access tokens live 10 minutes, audience = the issuer (idpd's default), opaque for
//     bench-opaque and an RFC 9068 JWT signed with RS256 / ES256 / EdDSA for the others;
//   * introspection and revocation on, everything else off;
//   * the same key set as idpd publishes: an active and a next key for RS256, PS256, ES256 and
//     EdDSA (8 keys), made once into PEER_KEYS_FILE so that later starts only read them.
// Tokens live in oidc-provider's default in-process adapter (an LRU of 1000 entries, nothing
// persisted): far less storage work than idpd's SQLite or MariaDB. The results say so.
//
// Environment: PEER_PORT (required), PEER_SECRET (required), PEER_KEYS_FILE (required).
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
  clients: ['bench-opaque', 'bench-rs256', 'bench-es256', 'bench-eddsa'].map((id) => ({
    client_id: id,
    client_secret: secret,
    grant_types: ['client_credentials'],
    response_types: [],
    redirect_uris: [],
    token_endpoint_auth_method: 'client_secret_basic',
    scope: 'api',
  })),
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
      defaultResource: () => issuer,
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
  scopes: ['openid', 'api'],
  ttl: { ClientCredentials: ttl, AccessToken: ttl },
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
