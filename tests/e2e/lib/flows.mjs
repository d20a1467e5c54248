// What a person does on idpd's pages, and the authorization code flow that strings the pages
// between an RP's redirect and its callback.
import assert from 'node:assert/strict';
import { submitAndWait } from './browser.mjs';
import { finishAuthorization, startAuthorization } from './rp.mjs';

// Fills the sign-in form (already on screen) and submits it.
export async function signIn(page, { identifier, password, remember = false }) {
  await page.locator('#identifier').fill(identifier);
  await page.locator('#password').fill(password);
  if (remember) {
    await page.locator('#remember').check();
  }
  await submitAndWait(page, () => page.locator('form[action="/signin"] button[type=submit]').click());
}

// Fills the sign-up form (already on screen) and submits it.
export async function signUp(page, { username, email, password, confirm = password, acceptTerms = true }) {
  await page.locator('#username').fill(username);
  await page.locator('#email').fill(email);
  await page.locator('#password').fill(password);
  await page.locator('#confirm').fill(confirm);
  if (acceptTerms) {
    await page.locator('#accept_terms').check();
  }
  await submitAndWait(page, () => page.locator('form[action="/signup"] button.button--primary').click());
}

// The pages a browser may meet between the RP's redirect and its callback, by path. Each
// handler acts on the page and returns once the next page has loaded. A page not listed here
// fails the flow with its path, so a new interaction step (a consent page, a captcha, TOTP)
// is one more entry: a scenario passes its own handlers, and these are the defaults.
export function defaultHandlers(user) {
  return {
    '/signin': async (page) => {
      if (!user) {
        throw new Error('the sign-in page appeared, but the scenario gave no user to sign in');
      }
      await signIn(page, { identifier: user.username, password: user.password });
    },
    '/consent': async (page) => {
      await approveConsent(page);
    },
  };
}

// Answers the consent page (already on screen): Allow, or Deny with `allow: false`.
export async function approveConsent(page, { allow = true } = {}) {
  const decision = allow ? 'allow' : 'deny';
  await submitAndWait(page, () =>
    page.locator(`form[action="/consent"] button[value="${decision}"]`).click());
}

// Walks the browser from `url` to the RP's callback through `handlers`; returns the callback
// request as the RP received it. `seen` collects the paths visited, for assertions.
export async function browseToCallback(s, url, handlers, seen = []) {
  const since = s.callback.hits.length;
  await s.page.goto(url.toString());
  for (let hop = 0; hop < 10; hop++) {
    const here = new URL(s.page.url());
    if (here.origin === s.callback.origin) {
      return s.callback.next(since);
    }
    assert.equal(here.origin, s.issuer, `the browser left for ${here.origin}`);
    seen.push(here.pathname);
    const handler = handlers[here.pathname];
    if (!handler) {
      const heading = await s.page.locator('h1').first().textContent().catch(() => '(none)');
      throw new Error(`no handler for ${here.pathname} (page heading: ${heading?.trim()})`);
    }
    await handler(s.page, here);
  }
  throw new Error('more than 10 pages between the authorization request and the callback');
}

// The whole code flow as an RP sees it: authorization request (PKCE, state, nonce), the
// browser through the pages, the code exchange and ID token checks by openid-client.
// `params` adds or overrides authorization request parameters.
export async function codeFlow(s, { config, user, params = {}, handlers = {} }) {
  const started = await s.step('build the authorization request', () =>
    startAuthorization(config, s.callback.redirectUri, params));
  const seen = [];
  const hit = await s.step('browse from the authorization request to the callback', () =>
    browseToCallback(s, started.url, { ...defaultHandlers(user), ...handlers }, seen));
  const result = await s.step('redeem the code and check the ID token', () =>
    finishAuthorization(config, started, hit));
  return { ...result, started, hit, seen };
}
