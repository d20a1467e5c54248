// Signing in with upstream accounts in a real browser, against the loopback fakes of GitHub,
// WeChat and QQ: sign up with GitHub in the middle of an authorization request, bind WeChat and
// QQ on the account page, sign in with each, and the two refusals a user can meet (an identity
// already bound to someone else, removing the last way to sign in).
import assert from 'node:assert/strict';
import { after } from 'node:test';
import { e2eSuite } from './lib/suite.mjs';
import { codeFlow } from './lib/flows.mjs';
import { submitAndWait, text } from './lib/browser.mjs';
import { discover } from './lib/rp.mjs';
import { startFakes } from './lib/fakes.mjs';

const fakes = await startFakes();
after(() => fakes.stop());
const suite = e2eSuite({ serverEnv: { IDPD_CAPTCHA_ENABLED: 'false', ...fakes.env } });

const octocat = {
  id: 583231, login: 'octocat', name: 'The Octocat',
  emails: [{ email: 'octocat@github.example', primary: true, verified: true, visibility: 'public' }],
};

async function pressUpstream(page, name) {
  await submitAndWait(page, () => page.locator(`button[data-upstream="${name}"]`).click());
}

// Finishes the "create a new account" form, prefilled from upstream.
async function createAccount(page) {
  await page.locator('#accept_terms').check();
  await submitAndWait(page, () =>
    page.locator('form[action="/federation/continue"] button.button--primary').click());
}

async function signInWith(s, name) {
  await s.page.goto(`${s.issuer}/signin`);
  await pressUpstream(s.page, name);
  assert.equal(new URL(s.page.url()).pathname, '/account', `signed in with ${name}`);
}

suite.scenario('a new user signs up with GitHub during an authorization request and the RP gets tokens', async (s) => {
  await fakes.user('github', octocat);
  const client = await s.idpd.addClient({ id: 'fed-web', redirectUris: [s.callback.redirectUri] });
  const config = await discover(s.issuer, client);
  const handlers = {
    '/signin': (page) => pressUpstream(page, 'github'),
    '/federation/continue': async (page) => {
      assert.equal(await page.locator('#username').inputValue(), 'octocat');
      assert.equal(await page.locator('#email').inputValue(), 'octocat@github.example');
      await createAccount(page);
    },
  };
  const { claims, seen } = await codeFlow(s, { config, handlers });
  await s.step('the flow went through GitHub and came back to the RP', () => {
    assert.deepEqual(seen, ['/signin', '/federation/continue', '/consent']);
    assert.match(claims.sub, /^\d+$/);
  });
});

suite.scenario('the GitHub user binds WeChat and QQ, then signs in with each', async (s) => {
  await signInWith(s, 'github');
  for (const name of ['wechat', 'qq']) {
    await s.step(`bind ${name} on the account page`, async () => {
      await s.page.goto(`${s.issuer}/account/bindings`);
      await submitAndWait(s.page, () =>
        s.page.locator(`form[action="/federation/${name}/start"] button`).click());
      assert.equal(new URL(s.page.url()).search, `?bound=${name}`);
      assert.equal(await s.page.locator(`[data-binding="${name}"]`).count(), 1);
    });
  }
  for (const name of ['wechat', 'qq', 'github']) {
    await s.step(`sign in with ${name} in a fresh browser`, async () => {
      await s.context.clearCookies();
      await signInWith(s, name);
      assert.match(await s.page.locator('.console__subtitle').textContent(), /octocat/);
    });
  }
});

suite.scenario('WeChat already bound to octocat cannot be bound to a second account', async (s) => {
  await fakes.user('github', { id: 9001, login: 'second', name: 'Second', emails: [] });
  await s.step('sign up a second account with another GitHub user', async () => {
    await s.page.goto(`${s.issuer}/signup`);
    await pressUpstream(s.page, 'github');
    await s.page.locator('#email').fill('second@example.test');
    await createAccount(s.page);
    assert.equal(new URL(s.page.url()).pathname, '/account');
  });
  await s.step('binding the same WeChat user is refused', async () => {
    await s.page.goto(`${s.issuer}/account/bindings`);
    await submitAndWait(s.page, () =>
      s.page.locator('form[action="/federation/wechat/start"] button').click());
    assert.match(await s.page.locator('main').textContent(),
      new RegExp(text('zh-CN', 'federation.error.identity_taken')));
    await s.page.goto(`${s.issuer}/account/bindings`);
    assert.equal(await s.page.locator('[data-binding="wechat"]').count(), 0);
  });
});

suite.scenario('an account that signs in only with GitHub cannot unbind it', async (s) => {
  await fakes.user('github', { id: 9001, login: 'second', name: 'Second', emails: [] });
  await signInWith(s, 'github');
  await s.page.goto(`${s.issuer}/account/bindings`);
  await submitAndWait(s.page, () => s.page.locator('button[data-unbind="github"]').click());
  assert.match(await s.page.locator('main').textContent(),
    new RegExp(text('zh-CN', 'federation.error.last_method')));
  await s.page.goto(`${s.issuer}/account/bindings`);
  assert.equal(await s.page.locator('[data-binding="github"]').count(), 1);
});
