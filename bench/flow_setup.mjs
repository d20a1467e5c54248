// What bench/wrk/flow.lua needs from a running server, got as a browser would: a signed-in
// session, the /authorize URL and token request of a code flow, an access token (for
// userinfo) and, with BENCH_REFRESH_COUNT=N, the first tokens of N refresh chains (flows that
// asked for offline_access). Prints NAME=value lines for `env`.
//   idpd: GET /signin for the pre-session cookie and form token, one POST /signin, then flows
//         from that session (the client is first-party: no consent page).
//   peer: oidc-provider's /auth sends the browser to its interaction URL, which the peer's bench
//         set-up (bench/peer/server.mjs) answers by signing bench_user in and granting what was
//         asked; the session cookies it sets serve the later flows. offline_access needs
//         prompt=consent there (OIDC Core §11), so the refresh chains' flows ask for it.
// Usage: node bench/flow_setup.mjs idpd|peer BASE ISSUER USERNAME PASSWORD CLIENT_ID CLIENT_SECRET REDIRECT_URI
import { createHash } from 'node:crypto';

const [kind, base, issuer, username, password, clientId, clientSecret, redirectUri] = process.argv.slice(2);
const origin = new URL(issuer).origin;
const timeout = () => AbortSignal.timeout(10_000);
const paths = kind === 'peer' ? { authorize: '/auth', token: '/token' } : { authorize: '/authorize', token: '/token' };

function fail(message) {
  console.error(`flow_setup: ${message}`);
  process.exit(1);
}

// The cookies a browser would hold, by name.
const jar = new Map();
function keep(response) {
  for (const c of response.headers.getSetCookie()) {
    const [pair] = c.split(';');
    const eq = pair.indexOf('=');
    jar.set(pair.slice(0, eq), pair.slice(eq + 1));
  }
}
const cookies = (filter) => [...jar].filter(([name]) => filter(name)).map(([n, v]) => `${n}=${v}`).join('; ');

let formCookie = '', csrf = '', signinBody = '';
if (kind === 'idpd') {
  const page = await fetch(`${base}/signin`, { signal: timeout() });
  keep(page);
  formCookie = cookies((n) => n.endsWith('idpd_form')) || fail('no idpd_form cookie from /signin');
  csrf = /name="csrf" value="([^"]+)"/.exec(await page.text())?.[1] ?? fail('no form token on /signin');
  signinBody = new URLSearchParams({ identifier: username, password }).toString();
  const signedIn = await fetch(`${base}/signin`, {
    method: 'POST', redirect: 'manual', signal: timeout(),
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: origin, Cookie: formCookie },
    body: `${signinBody}&csrf=${encodeURIComponent(csrf)}`,
  });
  if (signedIn.status !== 303) {
    fail(`POST /signin answered ${signedIn.status}: is ${username} there with this password?`);
  }
  keep(signedIn);
}
const sessionCookie = () => cookies((n) => (kind === 'idpd' ? n.endsWith('idpd_session') : n.startsWith('_session')));

// One PKCE pair for every flow: the bench measures the server, not verifier generation.
const verifier = 'bench-pkce-verifier-4f1c2b7e9a0d4c6b8e2f1a3c5d7e9f0b';
const challenge = createHash('sha256').update(verifier).digest('base64url');
const authorizePathFor = (scope, extra = {}) => `${paths.authorize}?${new URLSearchParams({
  response_type: 'code', client_id: clientId, redirect_uri: redirectUri, scope,
  state: 'bench-state', code_challenge: challenge, code_challenge_method: 'S256', ...extra,
})}`;
const authorizePath = authorizePathFor('openid profile');
const tokenBody = `grant_type=authorization_code&redirect_uri=${encodeURIComponent(redirectUri)}` +
  `&code_verifier=${verifier}&code=`;
const clientAuth = `Basic ${Buffer.from(`${encodeURIComponent(clientId)}:${encodeURIComponent(clientSecret)}`).toString('base64')}`;

// Follows the redirects of one authorization (the peer's interaction included) to the code.
async function authorize(path) {
  let url = new URL(path, base);
  for (let hop = 0; hop < 8; hop += 1) {
    const answer = await fetch(url, { redirect: 'manual', signal: timeout(), headers: { Cookie: cookies(() => true) } });
    keep(answer);
    const location = answer.headers.get('location');
    if (!location) {
      fail(`${url.pathname} answered ${answer.status} without a redirect`);
    }
    const next = new URL(location, url);
    if (next.href.startsWith(redirectUri)) {
      return next.searchParams.get('code') ?? fail(`no code: ${location}`);
    }
    url = next;
  }
  return fail('too many redirects');
}

async function codeFlow(path) {
  const code = await authorize(path);
  const token = await fetch(`${base}${paths.token}`, {
    method: 'POST', signal: timeout(),
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', Authorization: clientAuth },
    body: tokenBody + code,
  });
  const answer = await token.json();
  if (!answer.access_token) {
    fail(`the token endpoint answered ${token.status}: ${JSON.stringify(answer)}`);
  }
  return answer;
}

// One flow now, for the userinfo scenario's token (and to prove the flow works before wrk).
const tokens = await codeFlow(authorizePath);
// Refresh chains: more than wrk has connections, so none ever waits for a token.
const refreshTokens = [];
for (let i = 0; i < Number(process.env.BENCH_REFRESH_COUNT ?? 0); i += 1) {
  const extra = kind === 'peer' ? { prompt: 'consent' } : {};
  const answer = await codeFlow(authorizePathFor('openid profile offline_access', extra));
  refreshTokens.push(answer.refresh_token ?? fail(`no refresh token: ${JSON.stringify(answer)}`));
}

for (const [name, value] of Object.entries({
  BENCH_FORM_COOKIE: formCookie,
  BENCH_CSRF: csrf,
  BENCH_SIGNIN_BODY: signinBody,
  BENCH_ORIGIN: origin,
  BENCH_SESSION_COOKIE: sessionCookie(),
  BENCH_AUTHORIZE_PATH: authorizePath,
  BENCH_TOKEN_PATH: paths.token,
  BENCH_TOKEN_BODY: tokenBody,
  BENCH_CLIENT_AUTH: clientAuth,
  BENCH_ACCESS_TOKEN: tokens.access_token,
  BENCH_REFRESH_TOKENS: refreshTokens.join(','),
})) {
  if (/[\n\0]/.test(value)) {
    fail(`${name} has a line break`);
  }
  console.log(`${name}=${value}`);
}
