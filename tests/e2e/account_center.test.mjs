// The account center as a new user meets it in a real browser, with mail through a real SMTP
// server on loopback: every tab, a second email added and verified from its mail and made
// primary, an avatar upload, a password change, and the JSON account API read with an access
// token an openid-client RP obtained (scope "openid account").
import { after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { deflateSync } from 'node:zlib';
import { e2eSuite } from './lib/suite.mjs';
import { codeFlow, signIn, signUp } from './lib/flows.mjs';
import { discover } from './lib/rp.mjs';
import { submitAndWait, text } from './lib/browser.mjs';
import { FakeSmtp, linkIn } from './lib/mail.mjs';

const smtp = await new FakeSmtp().start();
after(() => smtp.stop());

const suite = e2eSuite({ serverEnv: { IDPD_CAPTCHA_ENABLED: 'false', ...smtp.idpdEnv() } });

// A small PNG (an 8×8 blue square), encoded here so the fixture is generated, not checked in.
function pngFixture() {
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k += 1) {
      c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    }
    return c >>> 0;
  });
  const crc = (buf) => {
    let c = 0xffffffff;
    for (const b of buf) {
      c = crcTable[(c ^ b) & 0xff] ^ (c >>> 8);
    }
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type, data) => {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const sum = Buffer.alloc(4);
    sum.writeUInt32BE(crc(body));
    return Buffer.concat([length, body, sum]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(8, 0);
  header.writeUInt32BE(8, 4);
  header[8] = 8;  // bit depth
  header[9] = 2;  // RGB
  const rows = Buffer.concat(Array.from({ length: 8 }, () =>
    Buffer.concat([Buffer.from([0]), Buffer.from(Array(8).fill([29, 78, 216]).flat())])));
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header), chunk('IDAT', deflateSync(rows)), chunk('IEND', Buffer.alloc(0))]);
}

async function heading(page) {
  return (await page.locator('h1').first().textContent()).trim();
}

async function statusText(page) {
  return (await page.locator('[role=status]').first().textContent()).trim();
}

suite.scenario('a new user walks the account center tabs, adds an email, an avatar and a new password, and reads the account API', async (s) => {
  const lang = 'en';
  const page = s.page;
  const user = { username: 'center_user', email: 'center.one@example.test', password: 'center passphrase one 1' };
  const second = 'center.two@example.test';
  const newPassword = 'center passphrase two 2';
  const before = smtp.messages().length;

  await s.step('sign up and verify the first address', async () => {
    await page.goto(`${s.issuer}/signup`);
    await signUp(page, user);
    assert.equal(await heading(page), text(lang, 'center.overview.heading'));
    const mail = await smtp.waitFor({ to: user.email, subject: text(lang, 'mail.verify.subject'), skip: before });
    await page.goto(linkIn(mail, s.issuer));
    await submitAndWait(page, () => page.locator('form[action="/verify-email"] button[type=submit]').click());
  });

  await s.step('every tab opens and is marked current', async () => {
    for (const [tab, key] of [['', 'overview'], ['/emails', 'emails'], ['/password', 'password'],
      ['/bindings', 'bindings'], ['/security', 'security']]) {
      await page.goto(`${s.issuer}/account${tab}`);
      const current = page.locator('.tabs__link[aria-current="page"]');
      assert.equal(await current.count(), 1, tab);
      assert.equal((await current.textContent()).trim(), text(lang, `center.tabs.${key}`));
    }
    assert.equal(await page.locator('.tabs__link[href="/account/phones"]').count(), 1);
    assert.equal(await page.locator('.tabs__link[href="/account/api-keys"]').count(), 1);
  });

  const sent = smtp.messages().length;
  await s.step('add a second email; its mail links back and verifies it', async () => {
    await page.goto(`${s.issuer}/account/emails`);
    await page.locator('#new-email').fill(second);
    await submitAndWait(page, () => page.locator('form[action="/account/emails/add"] button[type=submit]').click());
    assert.equal(await statusText(page), text(lang, 'center.notices.sent'));
    const mail = await smtp.waitFor({ to: second, subject: text(lang, 'mail.verify.subject'), skip: sent });
    await page.goto(linkIn(mail, s.issuer));
    await submitAndWait(page, () => page.locator('form[action="/verify-email"] button[type=submit]').click());
    assert.equal(await statusText(page), text(lang, 'verify.done', { email: second }));
  });

  await s.step('make it primary', async () => {
    await page.goto(`${s.issuer}/account/emails`);
    await submitAndWait(page, () => page.locator(`button[data-make-primary="${second}"]`).click());
    assert.equal(await statusText(page), text(lang, 'center.notices.primary'));
    const row = page.locator('.list__item', { hasText: second });
    assert.ok((await row.locator('.tag').allTextContents()).map((t) => t.trim()).includes(text(lang, 'account.primary')));
  });

  await s.step('upload an avatar; it shows from our origin', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'idpd-avatar-'));
    const file = path.join(dir, 'avatar.png');
    writeFileSync(file, pngFixture());
    await page.goto(`${s.issuer}/account`);
    await page.locator('#avatar-file').setInputFiles(file);
    await submitAndWait(page, () => page.locator('form[action="/account/avatar"] button[type=submit]').click());
    assert.equal(await statusText(page), text(lang, 'center.notices.avatar_saved'));
    const src = await page.locator('img.avatar').getAttribute('src');
    assert.match(src, /^\/avatars\/\d+\?v=\d+$/);
    const image = await page.request.get(`${s.issuer}${src}`);
    assert.equal(image.headers()['content-type'], 'image/png');
    assert.equal(image.headers()['x-content-type-options'], 'nosniff');
    assert.deepEqual(Buffer.from(await image.body()), pngFixture());
  });

  const changed = smtp.messages().length;
  await s.step('change the password; a notice goes to the new primary address', async () => {
    await page.goto(`${s.issuer}/account/password`);
    await page.locator('#old_password').fill(user.password);
    await page.locator('#password').fill(newPassword);
    await page.locator('#confirm').fill(newPassword);
    await submitAndWait(page, () => page.locator('form[action="/account/password"] button[type=submit]').click());
    assert.equal(await statusText(page), text(lang, 'center.notices.changed'));
    await smtp.waitFor({ to: second, subject: text(lang, 'mail.password_changed.subject'), skip: changed });
  });

  await s.step('sign out, sign in with the new password; the Security tab lists it', async () => {
    await submitAndWait(page, () => page.locator('form[action="/signout"] button[type=submit]').click());
    await page.goto(`${s.issuer}/signin`);
    await signIn(page, { identifier: user.username, password: newPassword });
    assert.equal(new URL(page.url()).pathname, '/account');
    await page.goto(`${s.issuer}/account/security`);
    const row = page.locator('[data-signins] tbody tr').first();
    assert.match(await row.textContent(), /password/);
    assert.match(await row.textContent(), new RegExp(text(lang, 'center.security.success')));
  });

  await s.step('an RP reads GET /api/v1/me with its access token', async () => {
    const client = await s.idpd.addClient({ id: 'center-rp', redirectUris: [s.callback.redirectUri], scope: 'openid account', firstParty: true });
    const config = await discover(s.issuer, client);
    const { tokens } = await codeFlow(s, { config, user: { ...user, password: newPassword }, params: { scope: 'openid account' } });
    const me = await fetch(`${s.issuer}/api/v1/me`, { headers: { Authorization: `Bearer ${tokens.access_token}` } });
    assert.equal(me.status, 200);
    const body = await me.json();
    assert.equal(body.username, user.username);
    assert.equal(body.email, second);
    assert.equal(body.email_verified, true);
    assert.match(body.picture, new RegExp(`^${s.issuer}/avatars/${body.id}\\?v=\\d+$`));
  });
}, { locale: 'en-US' });
