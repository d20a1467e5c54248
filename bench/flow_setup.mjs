// What bench/wrk/flow.lua needs from a running idpd, got as a browser would: the sign-in
// page's pre-session cookie and form token, a signed-in session, and (for userinfo) an access
// token from one authorization-code flow. Prints NAME=value lines for `env`.
// Usage: node bench/flow_setup.mjs BASE ISSUER USERNAME PASSWORD CLIENT_ID CLIENT_SECRET REDIRECT_URI
import { createHash } from 'node:crypto';

const [base, issuer, username, password, clientId, clientSecret, redirectUri] = process.argv.slice(2);
const origin = new URL(issuer).origin;
const timeout = () => AbortSignal.timeout(10_000);

function fail(message) {
  console.error(`flow_setup: ${message}`);
  process.exit(1);
}

function cookieNamed(response, name) {
  const found = response.headers.getSetCookie().map((c) => c.split(';')[0]).find((c) => c.includes(`${name}=`));
  return found ?? fail(`no ${name} cookie from ${response.url} (HTTP ${response.status})`);
}

const page = await fetch(`${base}/signin`, { signal: timeout() });
const formCookie = cookieNamed(page, 'idpd_form');
const csrf = /name="csrf" value="([^"]+)"/.exec(await page.text())?.[1] ?? fail('no form token on /signin');
const signinBody = new URLSearchParams({ identifier: username, password }).toString();

const signedIn = await fetch(`${base}/signin`, {
  method: 'POST', redirect: 'manual', signal: timeout(),
  headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: origin, Cookie: formCookie },
  body: `${signinBody}&csrf=${encodeURIComponent(csrf)}`,
});
if (signedIn.status !== 303) {
  fail(`POST /signin answered ${signedIn.status}: is ${username} there with this password?`);
}
const sessionCookie = cookieNamed(signedIn, 'idpd_session');

// One PKCE pair for every flow: the bench measures the server, not verifier generation.
const verifier = 'bench-pkce-verifier-4f1c2b7e9a0d4c6b8e2f1a3c5d7e9f0b';
const challenge = createHash('sha256').update(verifier).digest('base64url');
const authorizePath = `/authorize?${new URLSearchParams({
  response_type: 'code', client_id: clientId, redirect_uri: redirectUri, scope: 'openid profile',
  state: 'bench', code_challenge: challenge, code_challenge_method: 'S256',
})}`;
const tokenBody = `grant_type=authorization_code&redirect_uri=${encodeURIComponent(redirectUri)}` +
  `&code_verifier=${verifier}&code=`;
const clientAuth = `Basic ${Buffer.from(`${encodeURIComponent(clientId)}:${encodeURIComponent(clientSecret)}`).toString('base64')}`;

// One flow now, for the userinfo scenario's token (and to prove the flow works before wrk).
const authorized = await fetch(`${base}${authorizePath}`, { redirect: 'manual', signal: timeout(), headers: { Cookie: sessionCookie } });
const code = new URL(authorized.headers.get('location') ?? 'x:', base).searchParams.get('code')
  ?? fail(`/authorize answered ${authorized.status} without a code (${authorized.headers.get('location')})`);
const token = await fetch(`${base}/token`, {
  method: 'POST', signal: timeout(),
  headers: { 'Content-Type': 'application/x-www-form-urlencoded', Authorization: clientAuth },
  body: tokenBody + code,
});
const tokens = await token.json();
if (!tokens.access_token) {
  fail(`/token answered ${token.status}: ${JSON.stringify(tokens)}`);
}

for (const [name, value] of Object.entries({
  BENCH_FORM_COOKIE: formCookie,
  BENCH_CSRF: csrf,
  BENCH_SIGNIN_BODY: signinBody,
  BENCH_ORIGIN: origin,
  BENCH_SESSION_COOKIE: sessionCookie,
  BENCH_AUTHORIZE_PATH: authorizePath,
  BENCH_TOKEN_BODY: tokenBody,
  BENCH_CLIENT_AUTH: clientAuth,
  BENCH_ACCESS_TOKEN: tokens.access_token,
})) {
  if (/[\n\0]/.test(value)) {
    fail(`${name} has a line break`);
  }
  console.log(`${name}=${value}`);
}
