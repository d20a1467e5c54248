// A local account's whole life in a real browser, with its mail through a real SMTP server on
// loopback: sign up, the verification mail, confirming the address, signing out and in by
// username and by email, forgetting the password and resetting it from the mailed link.
// The captcha is off here (as in code_flow): it is for people, and the binary has no back door
// to solve it; signup_captcha.test.mjs shows it in the browser.
import { after } from 'node:test';
import assert from 'node:assert/strict';
import { e2eSuite } from './lib/suite.mjs';
import { signIn, signUp } from './lib/flows.mjs';
import { submitAndWait, text } from './lib/browser.mjs';
import { FakeSmtp, linkIn } from './lib/mail.mjs';

const smtp = await new FakeSmtp().start();
after(() => smtp.stop());

const suite = e2eSuite({ serverEnv: { IDPD_CAPTCHA_ENABLED: 'false', ...smtp.idpdEnv() } });

async function heading(page) {
  return (await page.locator('h1').first().textContent()).trim();
}

async function alertText(page) {
  return (await page.locator('[role=alert]').first().textContent()).trim();
}

async function statusText(page) {
  return (await page.locator('[role=status]').first().textContent()).trim();
}

async function signOut(page) {
  await submitAndWait(page, () => page.locator('form[action="/signout"] button[type=submit]').click());
}

// The tag beside `address` on the account center's Emails tab ("Verified", "Not verified").
async function emailTags(page, address) {
  await page.goto(new URL('/account/emails', page.url()).href);
  const row = page.locator('.list__item', { hasText: address });
  return (await row.locator('.tag').allTextContents()).map((t) => t.trim());
}

suite.scenario('a new user signs up, verifies by mail, signs in by username and email, and resets the password', async (s) => {
  const lang = 'en';
  const page = s.page;
  const user = { username: 'mail_user', email: 'mail.user@example.test', password: 'first passphrase 4 mail' };
  const newPassword = 'second passphrase 4 mail';
  const before = smtp.messages().length;

  await s.step('sign up', async () => {
    await page.goto(`${s.issuer}/signup`);
    assert.equal(await heading(page), text(lang, 'signup.heading'));
    await signUp(page, user);
    assert.equal(new URL(page.url()).pathname, '/account');
    assert.equal(await heading(page), text(lang, 'center.overview.heading'));
    assert.deepEqual(await emailTags(page, user.email), [text(lang, 'account.primary'), text(lang, 'account.unverified')]);
  });

  const verification = await s.step('the verification mail arrives over SMTP', async () => {
    const mail = await smtp.waitFor({ to: user.email, subject: text(lang, 'mail.verify.subject'), skip: before });
    assert.match(mail.from, /no-reply@localhost/);
    assert.match(mail.text, new RegExp(`Hello ${user.username}`));
    return linkIn(mail, s.issuer);
  });

  await s.step('before verifying, the email does not sign in', async () => {
    await signOut(page);
    assert.equal(await statusText(page), text(lang, 'signin.signed_out'));
    await signIn(page, { identifier: user.email, password: user.password });
    assert.equal(await alertText(page), text(lang, 'errors.signin.failed'));
  });

  await s.step('open the link and confirm', async () => {
    assert.equal(new URL(verification).pathname, '/verify-email');
    await page.goto(verification);
    assert.equal(await heading(page), text(lang, 'verify.heading'));
    await submitAndWait(page, () => page.locator('form[action="/verify-email"] button[type=submit]').click());
    assert.equal(await statusText(page), text(lang, 'verify.done', { email: user.email }));
  });

  await s.step('the link works once', async () => {
    await page.goto(verification);
    assert.equal(await alertText(page), text(lang, 'verify.invalid'));
  });

  await s.step('sign in by username: the address shows as verified', async () => {
    await page.goto(`${s.issuer}/signin`);
    await signIn(page, { identifier: user.username, password: user.password });
    assert.equal(new URL(page.url()).pathname, '/account');
    assert.deepEqual(await emailTags(page, user.email), [text(lang, 'account.primary'), text(lang, 'account.verified')]);
    await signOut(page);
  });

  await s.step('sign in by email (any case)', async () => {
    await signIn(page, { identifier: user.email.toUpperCase(), password: user.password });
    assert.equal(new URL(page.url()).pathname, '/account');
    assert.equal(await page.locator('.topbar__user').textContent().then((t) => t.trim().endsWith(user.username)), true);
    await signOut(page);
  });

  const sentBefore = smtp.messages().length;
  await s.step('forgot password: the page says the same as for anyone', async () => {
    await submitAndWait(page, () => page.locator('a', { hasText: text(lang, 'signin.forgot') }).click());
    assert.equal(await heading(page), text(lang, 'forgot.heading'));
    await page.locator('#identifier').fill(user.email);
    await submitAndWait(page, () => page.locator('form[action="/forgot-password"] button[type=submit]').click());
    assert.equal(await statusText(page), text(lang, 'forgot.sent'));
  });

  const reset = await s.step('the reset mail arrives over SMTP', async () => {
    const mail = await smtp.waitFor({ to: user.email, subject: text(lang, 'mail.reset.subject'), skip: sentBefore });
    return linkIn(mail, s.issuer);
  });

  await s.step('choose a new password from the link', async () => {
    assert.equal(new URL(reset).pathname, '/reset-password');
    await page.goto(reset);
    assert.equal(await heading(page), text(lang, 'reset.heading'));
    await page.locator('#password').fill(newPassword);
    await page.locator('#confirm').fill(newPassword);
    await submitAndWait(page, () => page.locator('form[action="/reset-password"] button[type=submit]').click());
    assert.equal(new URL(page.url()).pathname, '/signin');
    assert.equal(await statusText(page), text(lang, 'reset.done'));
  });

  await s.step('a notice of the change is mailed', () =>
    smtp.waitFor({ to: user.email, subject: text(lang, 'mail.password_changed.subject'), skip: sentBefore }));

  await s.step('the old password is refused', async () => {
    await signIn(page, { identifier: user.username, password: user.password });
    assert.equal(await alertText(page), text(lang, 'errors.signin.failed'));
  });

  await s.step('the new password signs in', async () => {
    await signIn(page, { identifier: user.email, password: newPassword });
    assert.equal(new URL(page.url()).pathname, '/account');
  });

  await s.step('the reset link works once', async () => {
    await page.goto(reset);
    assert.equal(await alertText(page), text(lang, 'reset.invalid'));
  });
}, { locale: 'en-US' });

suite.scenario('a Chinese sign-up gets its verification mail in Chinese', async (s) => {
  const user = { username: '邮件用户', email: 'zh.user@example.test', password: '中文 passphrase 2026' };
  const before = smtp.messages().length;
  await s.step('sign up in a zh-CN browser', async () => {
    await s.page.goto(`${s.issuer}/signup`);
    assert.equal(await heading(s.page), text('zh-CN', 'signup.heading'));
    await signUp(s.page, user);
    assert.equal(await heading(s.page), text('zh-CN', 'center.overview.heading'));
  });
  await s.step('the mail is in Chinese and its link confirms the address', async () => {
    const mail = await smtp.waitFor({ to: user.email, subject: text('zh-CN', 'mail.verify.subject'), skip: before });
    assert.match(mail.text, new RegExp(user.username));
    await s.page.goto(linkIn(mail, s.issuer));
    await submitAndWait(s.page, () => s.page.locator('form[action="/verify-email"] button[type=submit]').click());
    assert.equal(await statusText(s.page), text('zh-CN', 'verify.done', { email: user.email }));
  });
}, { locale: 'zh-CN' });
