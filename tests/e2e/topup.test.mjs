// Topping up in a real browser through the loopback fake of Alipay: a user creates an order on
// the top-up page and sees its QR code; the fake pays it (its signed notice reaches idpd's
// notify URL); the order page then shows it paid and the billing page the new balance.
// Screenshots of the top-up and order pages at 1280 and 390 px go to the artifacts dir.
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { after } from 'node:test';
import { artifactsDir, e2eSuite } from './lib/suite.mjs';
import { submitAndWait, text, viewports } from './lib/browser.mjs';
import { codeFlow, signUp } from './lib/flows.mjs';
import { discover, oidc } from './lib/rp.mjs';
import { startPaymentFakes } from './lib/payment_fakes.mjs';

const fakes = await startPaymentFakes();
after(() => fakes.stop());
const suite = e2eSuite({ serverEnv: { IDPD_CAPTCHA_ENABLED: 'false', ...fakes.env } });
const shots = path.join(artifactsDir, 'screenshots');
mkdirSync(shots, { recursive: true });

async function screenshots(page, name) {
  for (const [label, viewport] of [['1280', viewports.desktop], ['390', viewports.phone]]) {
    await page.setViewportSize(viewport);
    await page.screenshot({ path: path.join(shots, `topup-${name}-${label}.png`), fullPage: true });
  }
  await page.setViewportSize(viewports.desktop);
}

suite.scenario('a user tops up 66.60 through Alipay and sees the new balance', async (s) => {
  const { page } = s;
  await s.step('sign up', async () => {
    await page.goto(`${s.issuer}/signup`);
    await signUp(page, { username: 'payer', email: 'payer@example.test', password: 'a passphrase to pay with' });
    assert.equal(new URL(page.url()).pathname, '/account');
  });
  let orderNo;
  await s.step('create an Alipay order on the top-up page', async () => {
    await page.goto(`${s.issuer}/account/billing`);
    await submitAndWait(page, () => page.locator('#topup-link').click());
    assert.equal(new URL(page.url()).pathname, '/account/billing/topup');
    await page.locator('#topup-amount').fill('66.60');
    await page.locator('input[name="channel"][value="alipay"]').check();
    await screenshots(page, 'form');
    await submitAndWait(page, () => page.locator('form[action="/account/billing/topup"] button').click());
    const here = new URL(page.url());
    assert.match(here.pathname, /^\/account\/billing\/orders\/T\d{20}$/);
    orderNo = here.pathname.split('/').pop();
    assert.equal(await page.locator('#order-amount').textContent(), '¥66.60');
    assert.equal(await page.locator('#order-status').getAttribute('data-status'), 'pending');
    assert.ok(await page.locator('#order-qr').evaluate((img) => img.complete && img.naturalWidth > 0),
      'the QR code image loads');
    assert.match(await page.locator('#order-code').textContent(), /^https:\/\/qr\.alipay\.com\//);
    await screenshots(page, 'order-pending');
  });
  await s.step('the fake pays: its notice is acknowledged with "success"', async () => {
    const reply = await fakes.pay('alipay', { out_trade_no: orderNo });
    assert.deepEqual(reply, { status: 200, body: 'success' });
  });
  await s.step('the refreshed order page shows it paid, the billing page the balance', async () => {
    await submitAndWait(page, () => page.locator('#order-refresh').click());
    assert.equal(await page.locator('#order-status').getAttribute('data-status'), 'paid');
    assert.equal((await page.locator('#order-status').textContent()).trim(), text('zh-CN', 'topup.status.paid'));
    await screenshots(page, 'order-paid');
    await page.goto(`${s.issuer}/account/billing`);
    assert.equal(await page.locator('#billing-balance').textContent(), '¥66.60');
  });
  await s.step('a second notice of the same payment credits nothing', async () => {
    const reply = await fakes.pay('alipay', { out_trade_no: orderNo });
    assert.equal(reply.body, 'success');
    await page.reload();
    assert.equal(await page.locator('#billing-balance').textContent(), '¥66.60');
  });
});

// Issue 7's end-to-end rule: an organization's balance, topped up through the fake Alipay in the
// browser, is what a relying party then reads in introspection of an org-scoped token.
suite.scenario('an organization is topped up through Alipay and the RP sees its balance', async (s) => {
  const { page } = s;
  const owner = { username: 'orgpayer', email: 'orgpayer@example.test', password: 'an organization pays here' };
  await s.step('sign up and create an organization', async () => {
    await page.goto(`${s.issuer}/signup`);
    await signUp(page, owner);
    await page.goto(`${s.issuer}/account/orgs`);
    await page.locator('#org-name').fill('pay-team');
    await page.locator('#org-display-name').fill('Pay Team');
    await submitAndWait(page, () => page.locator('form[action="/account/orgs"] button[type=submit]').click());
  });
  const orgId = await s.step('the organization center has its id', () => {
    const m = /^\/account\/orgs\/(\d+)$/.exec(new URL(page.url()).pathname);
    assert.ok(m, page.url());
    return m[1];
  });
  await s.step('switch the billing pages to the organization', async () => {
    await page.goto(`${s.issuer}/account/billing`);
    await page.locator('#context-select').selectOption({ label: 'Pay Team (pay-team)' });
    await submitAndWait(page, () => page.locator('form[action="/account/billing/context"] button[type=submit]').click());
    assert.equal((await page.locator('#billing-context').textContent()).trim(), 'Pay Team (pay-team)');
  });
  let orderNo;
  await s.step('top up 88.00 through Alipay', async () => {
    await submitAndWait(page, () => page.locator('#topup-link').click());
    await page.locator('#topup-amount').fill('88.00');
    await page.locator('input[name="channel"][value="alipay"]').check();
    await submitAndWait(page, () => page.locator('form[action="/account/billing/topup"] button').click());
    orderNo = new URL(page.url()).pathname.split('/').pop();
    assert.match(orderNo, /^T\d{20}$/);
    const reply = await fakes.pay('alipay', { out_trade_no: orderNo });
    assert.deepEqual(reply, { status: 200, body: 'success' });
  });
  await s.step('the organization has the money, the person none', async () => {
    await page.goto(`${s.issuer}/account/billing`);
    assert.equal(await page.locator('#billing-balance').textContent(), '¥88.00');
  });
  const client = await s.idpd.addClient({
    id: 'org-billing-app', redirectUris: [s.callback.redirectUri], scope: 'openid billing orgs',
  });
  const config = await discover(s.issuer, client);
  const { tokens } = await codeFlow(s, {
    config, user: owner, params: { scope: `openid billing org:${orgId}` },
  });
  await s.step('introspection of the org-scoped token shows the organization and its balance', async () => {
    const info = await oidc.tokenIntrospection(config, tokens.access_token);
    assert.equal(info.active, true);
    assert.equal(String(info.org_id), orgId);
    assert.equal(info.org_role, 'owner');
    assert.equal(info.balance, 8800);
    assert.equal(info.currency, 'CNY');
  });
});
