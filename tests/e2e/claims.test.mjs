// The extra scopes as an RP meets them (issue 7): openid-client asks for "openid plan billing
// orgs", the user allows them on the consent page, and the ID token, /userinfo and
// /introspect carry the plan, the balance (integer fen) and the organizations; a coupon
// redeemed through the account API shows in the balance at once.
import assert from 'node:assert/strict';
import { e2eSuite } from './lib/suite.mjs';
import { codeFlow } from './lib/flows.mjs';
import { submitAndWait } from './lib/browser.mjs';
import { discover, oidc } from './lib/rp.mjs';

const suite = e2eSuite();

function checkClaims(where, claims, balance) {
  assert.equal(claims.plan, 'free-2x', `${where}: plan`);
  assert.equal(claims.plan_name, 'Free 2x', `${where}: plan_name`);
  assert.equal(typeof claims.quota, 'number', `${where}: quota`);
  assert.equal(claims.quota_used, 0, `${where}: quota_used`);
  assert.equal(claims.bonus_quota, 0, `${where}: bonus_quota`);
  assert.equal(claims.balance, balance, `${where}: balance`);
  assert.equal(claims.currency, 'CNY', `${where}: currency`);
  assert.deepEqual(claims.orgs, [], `${where}: orgs`);
}

suite.scenario('an RP asking for plan, billing and orgs gets them in every answer', async (s) => {
  const user = await s.idpd.addUser({ username: 'claims_user', password: 'claims are granted here 7' });
  const client = await s.idpd.addClient({
    id: 'claims-app',
    redirectUris: [s.callback.redirectUri],
    scope: 'openid profile plan billing orgs billing:pay',
  });
  const config = await discover(s.issuer, client);
  await s.step('discovery advertises the scopes and claims', () => {
    const metadata = config.serverMetadata();
    for (const scope of ['plan', 'billing', 'orgs', 'billing:pay', 'quota:report']) {
      assert.ok(metadata.scopes_supported.includes(scope), scope);
    }
    for (const claim of ['plan', 'quota', 'balance', 'currency', 'orgs', 'org_id', 'org_role']) {
      assert.ok(metadata.claims_supported.includes(claim), claim);
    }
  });
  let listed = [];
  const handlers = {
    '/consent': async (page) => {
      listed = await page.locator('.scopes__item').allTextContents();
      await submitAndWait(page, () => page.locator('form[action="/consent"] button[value="allow"]').click());
    },
  };
  const { tokens, claims } = await codeFlow(s, {
    config, user, params: { scope: 'openid plan billing orgs billing:pay' }, handlers,
  });
  await s.step('the consent page described each scope', () => {
    assert.equal(listed.length, 5, listed.join(' | '));
    assert.ok(listed.some((line) => line.includes('套餐')), listed.join(' | '));
    assert.ok(listed.some((line) => line.includes('余额')), listed.join(' | '));
  });
  await s.step('the ID token carries the claims', () => checkClaims('id_token', claims, 0));
  await s.step('userinfo carries them', async () => {
    const info = await oidc.fetchUserInfo(config, tokens.access_token, claims.sub);
    checkClaims('userinfo', info, 0);
  });
  await s.step('introspection carries them', async () => {
    const info = await oidc.tokenIntrospection(config, tokens.access_token);
    assert.equal(info.active, true);
    checkClaims('introspection', info, 0);
  });
  const code = await s.step('an operator creates a coupon worth 12.34', async () => {
    const out = await s.idpd.cli(['billing', 'coupon', 'create', '--amount', '12.34']);
    const found = /coupon \d+: (\S+)/.exec(out)?.[1];
    assert.ok(found, out);
    return found;
  });
  await s.step('the user redeems it through the account API; introspection sees the balance', async () => {
    const response = await fetch(`${s.issuer}/api/v1/coupons/redeem`, {
      method: 'POST',
      headers: { authorization: `Bearer ${tokens.access_token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ code }),
    });
    assert.equal(response.status, 200, await response.clone().text());
    assert.equal((await response.json()).balance_fen, 1234);
    const info = await oidc.tokenIntrospection(config, tokens.access_token);
    assert.equal(info.balance, 1234);
    const balance = await fetch(`${s.issuer}/api/v1/balance`, {
      headers: { authorization: `Bearer ${tokens.access_token}` },
    });
    assert.equal((await balance.json()).balance_fen, 1234);
  });
});
