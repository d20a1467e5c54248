// Two-step verification as a relying party sees it: a user sets up TOTP on the account pages
// (codes computed here with a small RFC 6238 implementation), an RP asking for the MFA acr
// gets an ID token whose amr holds otp after the browser enters a code, and a session that
// signed in with the password only is stepped up with a code and no new password.
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { e2eSuite } from './lib/suite.mjs';
import { submitAndWait } from './lib/browser.mjs';
import { codeFlow, signIn } from './lib/flows.mjs';
import { discover } from './lib/rp.mjs';

const suite = e2eSuite();
const MFA = 'https://refeds.org/profile/mfa';
const SFA = 'https://refeds.org/profile/sfa';

// RFC 4648 §6 base32, as the set-up page shows the secret (groups of four).
function base32Decode(text) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = 0;
  let value = 0;
  const out = [];
  for (const c of text.replace(/\s+/g, '')) {
    value = (value << 5) | alphabet.indexOf(c);
    bits += 5;
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  return Buffer.from(out);
}

// RFC 6238 with RFC 4226 §5.3 truncation: SHA-1, 6 digits, 30-second steps.
function totp(secret, unixSeconds) {
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(unixSeconds / 30)));
  const mac = createHmac('sha1', secret).update(counter).digest();
  const offset = mac[mac.length - 1] & 0x0f;
  const code = (mac.readUInt32BE(offset) & 0x7fffffff) % 1_000_000;
  return String(code).padStart(6, '0');
}

// Every code works once (a step must be later than the last one taken), and the server takes
// one step either side: each use here takes the next step.
function codes(secret) {
  let step = 0;
  return () => totp(secret, Date.now() / 1000 + 30 * step++);
}

async function setUpTotp(s, page) {
  await page.goto(new URL('/account/security/totp', s.issuer).toString());
  await submitAndWait(page, () =>
    page.locator('form[action="/account/security/totp/start"] button').click());
  assert.equal(new URL(page.url()).pathname, '/account/security/totp/setup');
  const qr = await page.request.get(new URL('/account/security/totp/qr.svg', s.issuer).toString());
  assert.equal(qr.status(), 200, 'the QR code image loads');
  assert.match(qr.headers()['content-type'], /^image\/svg\+xml/);
  const secret = base32Decode(await page.locator('#totp-secret').textContent());
  assert.equal(secret.length, 20, 'a 160-bit secret');
  const next = codes(secret);
  await page.locator('#code').fill(next());
  await submitAndWait(page, () =>
    page.locator('form[action="/account/security/totp/activate"] button').click());
  const recovery = await page.locator('#recovery-codes li').allTextContents();
  assert.equal(recovery.length, 10, 'ten recovery codes are shown once');
  return next;
}

async function setup(s, name) {
  const user = await s.step('create a user and a client', () =>
    s.idpd.addUser({ username: `${name}_user`, password: 'a passphrase nobody uses 42' }));
  const client = await s.idpd.addClient({ id: `${name}-client`, redirectUris: [s.callback.redirectUri] });
  return { user, config: await discover(s.issuer, client) };
}

suite.scenario('a password-only session is stepped up for an RP asking for MFA, without the password', async (s) => {
  const { user, config } = await setup(s, 'stepup');
  const plain = await codeFlow(s, { config, user });
  await s.step('the password sign-in is at the single-factor level', () => {
    assert.deepEqual(plain.seen, ['/signin', '/consent']);
    assert.equal(plain.claims.acr, SFA);
    assert.deepEqual(plain.claims.amr, ['pwd']);
  });
  // Two-step verification is turned on from another browser; this session stays as it was.
  const other = await s.browser.newContext();
  const otherPage = await other.newPage();
  const next = await s.step('turn TOTP on from a second browser', async () => {
    await otherPage.goto(new URL('/signin', s.issuer).toString());
    await signIn(otherPage, { identifier: user.username, password: user.password });
    return setUpTotp(s, otherPage);
  });
  await other.close();
  let askedPassword = null;
  const stepped = await codeFlow(s, {
    config, user, params: { acr_values: MFA },
    handlers: {
      '/signin': () => { throw new Error('the step-up asked for the password again'); },
      '/account/verify': async (page) => {
        askedPassword = await page.locator('input[name=password]').count();
        await page.locator('#code').fill(next());
        await submitAndWait(page, () => page.locator('form[action="/account/verify"] button').click());
      },
    },
  });
  await s.step('the RP gets the MFA level from the same sign-in', () => {
    assert.deepEqual(stepped.seen, ['/account/verify']);
    assert.equal(askedPassword, 0);
    assert.equal(stepped.claims.acr, MFA);
    assert.deepEqual(stepped.claims.amr, ['pwd', 'otp', 'mfa']);
    assert.equal(stepped.claims.auth_time, plain.claims.auth_time);
    assert.equal(stepped.claims.sid, plain.claims.sid);
    console.log('password-only ID token claims:', JSON.stringify(plain.claims));
    console.log('stepped-up ID token claims:', JSON.stringify(stepped.claims));
  });
});

suite.scenario('signing in with TOTP on asks for a code after the password, and amr holds otp', async (s) => {
  const { user, config } = await setup(s, 'secondstep');
  const next = await s.step('sign in and turn TOTP on', async () => {
    await s.page.goto(new URL('/signin', s.issuer).toString());
    await signIn(s.page, { identifier: user.username, password: user.password });
    const codeSource = await setUpTotp(s, s.page);
    await s.context.clearCookies();
    return codeSource;
  });
  const flow = await codeFlow(s, {
    config, user, params: { acr_values: MFA },
    handlers: {
      '/signin/second-step': async (page) => {
        const cookies = await s.context.cookies();
        assert.ok(!cookies.some((c) => c.name.includes('idpd_session')), 'no session before the code');
        await page.locator('#code').fill(next());
        await submitAndWait(page, () =>
          page.locator('form[action="/signin/second-step"] button').click());
      },
    },
  });
  await s.step('the code came after the password and the ID token says so', () => {
    assert.deepEqual(flow.seen, ['/signin', '/signin/second-step', '/consent']);
    assert.equal(flow.claims.acr, MFA);
    assert.ok(flow.claims.amr.includes('otp'));
    console.log('TOTP sign-in ID token claims:', JSON.stringify(flow.claims));
  });
});
