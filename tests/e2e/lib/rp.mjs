// A relying party built on openid-client (an independent, certified OIDC implementation): a
// tiny loopback HTTP server receives the browser at the redirect_uri, and every protocol step
// (discovery, PKCE, state, nonce, the ID token checks, userinfo, introspection, revocation,
// client_credentials) is openid-client's, not ours.
import { createHash } from 'node:crypto';
import { createServer } from 'node:http';
import * as oidc from 'openid-client';

const callbackTimeoutMs = 15_000;

// Serves /callback on 127.0.0.1 and records each request that reaches it (GET query or
// form_post body), so a test can wait for "the browser came back" and read what it carried.
export class CallbackServer {
  constructor() {
    this.hits = [];
    this.waiters = [];
    this.server = createServer((req, res) => this.#receive(req, res));
  }

  async start() {
    await new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(0, '127.0.0.1', resolve);
    });
    this.origin = `http://127.0.0.1:${this.server.address().port}`;
    this.redirectUri = `${this.origin}/callback`;
    return this;
  }

  #receive(req, res) {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk) => { body += chunk; });
    req.on('end', () => {
      const url = new URL(req.url, this.origin);
      // Chromium asks the RP's origin for /favicon.ico after showing the callback page, at its
      // own pace: recorded, that request could pass for the next flow's callback.
      if (url.pathname === '/favicon.ico') {
        res.writeHead(404);
        res.end();
        return;
      }
      const hit = { method: req.method, url, body, params: req.method === 'POST' ? new URLSearchParams(body) : url.searchParams };
      this.hits.push(hit);
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end('<!doctype html><title>RP</title><h1 id="rp-callback">RP callback received</h1>');
      for (const waiter of this.waiters.splice(0)) {
        waiter(hit);
      }
    });
  }

  // The next hit after `since` (an index into this.hits), or a timeout error.
  next(since) {
    if (this.hits.length > since) {
      return Promise.resolve(this.hits[since]);
    }
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`the browser did not come back to ${this.redirectUri} within ${callbackTimeoutMs} ms`)), callbackTimeoutMs);
      this.waiters.push((hit) => { clearTimeout(timer); resolve(hit); });
    });
  }

  close() {
    this.server.closeAllConnections?.();
    return new Promise((r) => this.server.close(r));
  }
}

// openid-client's Configuration for a registered client. http://localhost is allowed only
// because the tests run idpd on plain loopback HTTP.
export async function discover(issuer, client) {
  const auth = client.secret ? oidc.ClientSecretBasic(client.secret) : oidc.None();
  const metadata = { id_token_signed_response_alg: client.alg ?? 'RS256' };
  if (client.secret) {
    metadata.client_secret = client.secret;
  }
  const config = await oidc.discovery(new URL(issuer), client.id, metadata, auth,
    { execute: [oidc.allowInsecureRequests] });
  // Verify the ID token's signature against /jwks too (by default openid-client trusts the
  // token endpoint's TLS for that, and we have none here).
  oidc.enableNonRepudiationChecks(config);
  return config;
}

// One authorization request: PKCE S256, state and nonce, as openid-client builds them.
export async function startAuthorization(config, redirectUri, params = {}) {
  const codeVerifier = oidc.randomPKCECodeVerifier();
  const state = oidc.randomState();
  const nonce = oidc.randomNonce();
  const url = oidc.buildAuthorizationUrl(config, {
    redirect_uri: redirectUri,
    scope: 'openid profile email',
    code_challenge: await oidc.calculatePKCECodeChallenge(codeVerifier),
    code_challenge_method: 'S256',
    state,
    nonce,
    ...params,
  });
  return { url, codeVerifier, state, nonce };
}

// Redeems the callback: openid-client checks state, iss (RFC 9207), the code exchange, and
// the ID token (signature, iss, aud, exp, nonce). at_hash is checked here, since openid-client
// leaves it out for the code flow.
export async function finishAuthorization(config, started, hit) {
  const tokens = await oidc.authorizationCodeGrant(config, callbackInput(hit), {
    pkceCodeVerifier: started.codeVerifier,
    expectedState: started.state,
    expectedNonce: started.nonce,
    idTokenExpected: true,
  });
  const claims = tokens.claims();
  const expected = atHash(tokens.access_token, config.clientMetadata().id_token_signed_response_alg);
  if (claims.at_hash !== expected) {
    throw new Error(`ID token at_hash ${claims.at_hash} does not match the access token (${expected})`);
  }
  return { tokens, claims };
}

// The callback as openid-client takes it: the URL of a query response, or the request of a
// form_post one.
export function callbackInput(hit) {
  if (hit.method !== 'POST') {
    return hit.url;
  }
  return new Request(hit.url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: hit.body,
  });
}

// OIDC Core §3.1.3.6: the left half of the hash of the access token, base64url.
export function atHash(accessToken, alg) {
  const hash = alg === 'EdDSA' ? 'sha512' : `sha${alg.slice(2)}`;
  const digest = createHash(hash).update(accessToken, 'ascii').digest();
  return digest.subarray(0, digest.length / 2).toString('base64url');
}

export { oidc };

// The OAuth error code of an openid-client failure, whichever way the server sent it: a JSON
// error body (ResponseBodyError, AuthorizationResponseError) or a WWW-Authenticate challenge.
export function oauthErrorCode(err) {
  if (typeof err?.error === 'string') {
    return err.error;
  }
  const challenges = Array.isArray(err?.cause) ? err.cause : [];
  return challenges.map((c) => c.parameters?.error).find(Boolean) ?? `(no OAuth error: ${err?.message})`;
}
