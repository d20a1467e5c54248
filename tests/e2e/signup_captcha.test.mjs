// The sign-up captcha in a real browser: the server-drawn image loads under the page's CSP, a
// missing or wrong answer is named beside the field while what was typed stays, and "new image"
// draws another. Solving it needs a person (the binary has no back door); the integration tests
// solve it with a fixed code source (tests/integration/test_captcha.h).
import assert from 'node:assert/strict';
import { e2eSuite } from './lib/suite.mjs';
import { signUp } from './lib/flows.mjs';
import { submitAndWait, text } from './lib/browser.mjs';

const suite = e2eSuite({ serverEnv: { IDPD_CAPTCHA_ENABLED: 'true' } });

async function captchaImage(page) {
  const img = page.locator('img.captcha__image');
  return {
    src: await img.getAttribute('src'),
    width: await img.evaluate((el) => el.complete ? el.naturalWidth : 0),
  };
}

suite.scenario('the captcha shows, names a wrong answer beside the field and keeps the form', async (s) => {
  const lang = 'en';
  const page = s.page;
  const user = { username: 'captcha_user', email: 'captcha@example.test', password: 'captcha passphrase 77' };
  let first;
  await s.step('the sign-up page shows a drawn image', async () => {
    await page.goto(`${s.issuer}/signup`);
    first = await captchaImage(page);
    assert.match(first.src, /^\/captcha\/[0-9a-f]{32}$/);
    assert.ok(first.width > 0, 'the captcha image did not load');
    assert.equal((await page.locator('label[for=captcha]').textContent()).trim(), text(lang, 'security.captcha.label'));
  });

  await s.step('no answer: named beside the field, the rest kept', async () => {
    await signUp(page, user);
    assert.equal(new URL(page.url()).pathname, '/signup');
    assert.equal((await page.locator('#captcha-errors').textContent()).trim(), text(lang, 'security.captcha.required'));
    assert.equal(await page.locator('#username').inputValue(), user.username);
    assert.equal(await page.locator('#email').inputValue(), user.email);
    assert.equal(await page.locator('#captcha').evaluate((el) => el === document.activeElement), true);
  });

  await s.step('a wrong answer: named, and a new image to try', async () => {
    const shown = await captchaImage(page);
    await page.locator('#captcha').fill('?????');
    await signUp(page, user);
    assert.equal((await page.locator('#captcha-errors').textContent()).trim(), text(lang, 'security.captcha.wrong'));
    const next = await captchaImage(page);
    assert.notEqual(next.src, shown.src);
    assert.ok(next.width > 0);
    // The answered image is gone: each is answered once.
    const old = await page.request.get(`${s.issuer}${shown.src}`);
    assert.equal(old.status(), 404);
  });

  await s.step('"new image" draws another and keeps what was typed', async () => {
    const shown = await captchaImage(page);
    await page.locator('#username').fill(`${user.username}2`);
    await submitAndWait(page, () => page.locator('button[name=action][value=new_captcha]').click());
    const next = await captchaImage(page);
    assert.notEqual(next.src, shown.src);
    assert.equal(await page.locator('#username').inputValue(), `${user.username}2`);
  });
}, { locale: 'en-US' });
