// A phone number and an API key in a real browser: bind a number with the code the fake SMS
// gateway received, sign out and sign in with a text message, create an API key (its secret
// shown once), call the account API with it, revoke it and see the API refuse it. Screenshots
// of the pages at desktop and phone widths land in the artifacts dir.
import { after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { artifactsDir, e2eSuite } from './lib/suite.mjs';
import { signUp } from './lib/flows.mjs';
import { submitAndWait, text, viewports } from './lib/browser.mjs';
import { FakeSmsGateway } from './lib/sms.mjs';

const sms = await new FakeSmsGateway().start();
after(() => sms.stop());

const suite = e2eSuite({ serverEnv: { IDPD_CAPTCHA_ENABLED: 'false', ...sms.idpdEnv() } });
const lang = 'zh-CN';

async function shoot(page, name) {
  const dir = path.join(artifactsDir, 'screenshots');
  mkdirSync(dir, { recursive: true });
  for (const [width, viewport] of Object.entries(viewports)) {
    await page.setViewportSize(viewport);
    await page.screenshot({ path: path.join(dir, `phones-${name}-${width}.png`), fullPage: true });
  }
  await page.setViewportSize(viewports.desktop);
}

suite.scenario('bind a phone by SMS, sign in with it, and use and revoke an API key', async (s) => {
  const page = s.page;
  const user = { username: 'phone_user', email: 'phone.user@example.test', password: 'a passphrase for phones 7' };
  const phone = '+8613800138000';

  await s.step('sign up', async () => {
    await page.goto(`${s.issuer}/signup`);
    await signUp(page, user);
    assert.equal(new URL(page.url()).pathname, '/account');
  });

  await s.step('bind a number with the code from the SMS gateway', async () => {
    await page.goto(`${s.issuer}/account/phones`);
    await shoot(page, 'empty');
    await page.locator('#phone').fill('138 0013 8000');
    await submitAndWait(page, () => page.locator('form[action="/account/phones/code"] button').click());
    const code = await sms.codeFor(phone);
    await page.locator('#code').fill(code);
    await submitAndWait(page, () => page.locator('form[action="/account/phones/verify"] button').click());
    assert.equal((await page.locator('[role=status]').textContent()).trim(), text(lang, 'phones.bound'));
    assert.equal(await page.locator(`[data-phone="${phone}"]`).count(), 1);
    await shoot(page, 'bound');
  });

  await s.step('sign out and sign in with a text message', async () => {
    await submitAndWait(page, () => page.locator('form[action="/signout"] button[type=submit]').click());
    await submitAndWait(page, () => page.locator('a[data-sms-signin]').click());
    assert.equal(new URL(page.url()).pathname, '/signin/sms');
    await shoot(page, 'signin-sms');
    await page.locator('#phone').fill(phone);
    await submitAndWait(page, () => page.locator('form[action="/signin/sms"] button').click());
    const code = await sms.codeFor(phone, { skip: 1 });
    await page.locator('#code').fill(code);
    await submitAndWait(page, () => page.locator('form[action="/signin/sms/verify"] button').click());
    assert.equal(new URL(page.url()).pathname, '/account');
  });

  const secret = await s.step('create an API key: its secret is shown once', async () => {
    await page.goto(`${s.issuer}/account/api-keys`);
    await page.locator('#key-name').fill('deploy script');
    await page.locator('input[name="scope.account"]').check();
    await submitAndWait(page, () => page.locator('form[action="/account/api-keys"] button').click());
    const shown = (await page.locator('#api-key-secret').textContent()).trim();
    assert.match(shown, /^idk_[A-Za-z0-9_-]{43}$/);
    await shoot(page, 'api-keys');
    await page.goto(`${s.issuer}/account/api-keys`);
    assert.equal(await page.locator('#api-key-secret').count(), 0);
    return shown;
  });

  await s.step('the key calls GET /api/v1/me/phones', async () => {
    const r = await fetch(`${s.issuer}/api/v1/me/phones`, { headers: { Authorization: `Bearer ${secret}` } });
    assert.equal(r.status, 200);
    const body = await r.json();
    assert.equal(body.phones[0].phone_number, phone);
  });

  await s.step('revoke it: the API answers 401', async () => {
    await page.goto(`${s.issuer}/account/api-keys`);
    await submitAndWait(page, () => page.locator('form[action$="/revoke"] button').first().click());
    assert.equal((await page.locator('[role=status]').textContent()).trim(), text(lang, 'api_keys.revoked'));
    const r = await fetch(`${s.issuer}/api/v1/me/phones`, { headers: { Authorization: `Bearer ${secret}` } });
    assert.equal(r.status, 401);
  });

  await s.step('notification choices', async () => {
    await page.goto(`${s.issuer}/account/notifications`);
    assert.equal(await page.locator('input[name="security.email"]').isDisabled(), true);
    await page.locator('input[name="product.email"]').check();
    await submitAndWait(page, () => page.locator('form[action="/account/notifications"] button').click());
    assert.equal(await page.locator('input[name="product.email"]').isChecked(), true);
    await shoot(page, 'notifications');
  });
});
