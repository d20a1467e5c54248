// Organizations in a real browser with mail over a real SMTP server on loopback: alice creates
// an organization and invites bob by email; bob (his address verified) follows the mailed link
// and accepts; alice switches the billing pages to the organization, and bob, a member, sees
// them read-only. Screenshots of the pages at 1280 and 390 px land in the artifacts directory.
import { after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { artifactsDir, e2eSuite } from './lib/suite.mjs';
import { signUp } from './lib/flows.mjs';
import { newContext, submitAndWait, text, viewports } from './lib/browser.mjs';
import { FakeSmtp, linkIn } from './lib/mail.mjs';

const smtp = await new FakeSmtp().start();
after(() => smtp.stop());

const suite = e2eSuite({ serverEnv: { IDPD_CAPTCHA_ENABLED: 'false', ...smtp.idpdEnv() } });
const lang = 'en';

async function shoot(page, name) {
  for (const [label, viewport] of Object.entries(viewports)) {
    await page.setViewportSize(viewport);
    await page.screenshot({ path: path.join(artifactsDir, `orgs-${name}-${label}.png`), fullPage: true });
  }
  await page.setViewportSize(viewports.desktop);
}

suite.scenario('an organization is created, a member joins by email, and billing switches to it', async (s) => {
  const alice = s.page;
  const bobContext = await newContext(s.browser, { locale: lang });
  const bob = await bobContext.newPage();
  const bobUser = { username: 'org_bob', email: 'org.bob@example.test', password: 'bob passphrase 4 orgs' };
  let center = '';
  try {
    await s.step('bob signs up and verifies his address', async () => {
      const before = smtp.messages().length;
      await bob.goto(`${s.issuer}/signup`);
      await signUp(bob, bobUser);
      const mail = await smtp.waitFor({ to: bobUser.email, subject: text(lang, 'mail.verify.subject'), skip: before });
      await bob.goto(linkIn(mail, s.issuer));
      await submitAndWait(bob, () => bob.locator('form[action="/verify-email"] button[type=submit]').click());
    });

    await s.step('alice creates an organization', async () => {
      await alice.goto(`${s.issuer}/signup`);
      await signUp(alice, { username: 'org_alice', email: 'org.alice@example.test', password: 'alice passphrase 4 orgs' });
      await alice.goto(`${s.issuer}/account/orgs`);
      await alice.locator('#org-name').fill('e2e-acme');
      await alice.locator('#org-display-name').fill('E2E Acme');
      await submitAndWait(alice, () => alice.locator('form[action="/account/orgs"] button[type=submit]').click());
      center = new URL(alice.url()).pathname;
      assert.match(center, /^\/account\/orgs\/\d+$/);
      assert.equal((await alice.locator('#my-role').textContent()).trim(), text(lang, 'orgs.role.owner'));
    });

    const before = smtp.messages().length;
    await s.step('alice invites bob by email', async () => {
      await alice.locator('#invitee').fill(bobUser.email);
      await submitAndWait(alice, () => alice.locator(`form[action="${center}/invitations"] button[type=submit]`).click());
      assert.equal((await alice.locator('[role=status]').first().textContent()).trim(), text(lang, 'orgs.done.invited'));
      await shoot(alice, 'center');
    });

    await s.step('bob follows the mailed link and accepts', async () => {
      // The mail is in the inviter's language, English here.
      const subject = text(lang, 'orgs.mail.subject', { inviter: 'org_alice', org: 'E2E Acme' });
      const mail = await smtp.waitFor({ to: bobUser.email, subject, skip: before });
      const link = linkIn(mail, s.issuer);
      assert.equal(new URL(link).pathname, '/account/orgs/invitation');
      await bob.goto(`${s.issuer}/account/orgs`);
      await shoot(bob, 'list');
      await bob.goto(link);
      await submitAndWait(bob, () => bob.locator('form[action$="/accept"] button[type=submit]').click());
      assert.equal(new URL(bob.url()).pathname, center);
      assert.equal((await bob.locator('#my-role').textContent()).trim(), text(lang, 'orgs.role.member'));
    });

    await s.step('alice switches the billing pages to the organization', async () => {
      await alice.goto(`${s.issuer}/account/billing`);
      assert.equal((await alice.locator('#billing-context').textContent()).trim(), 'org_alice');
      await alice.locator('#context-select').selectOption({ label: 'E2E Acme (e2e-acme)' });
      await submitAndWait(alice, () => alice.locator('form[action="/account/billing/context"] button[type=submit]').click());
      assert.equal((await alice.locator('#billing-context').textContent()).trim(), 'E2E Acme (e2e-acme)');
      assert.equal(await alice.locator('form[action="/account/billing/plan"]').count() > 0, true);
      await shoot(alice, 'billing');
    });

    await s.step('bob, a member, sees the organization\'s billing read-only', async () => {
      await bob.goto(`${s.issuer}/account/billing`);
      await bob.locator('#context-select').selectOption({ label: 'E2E Acme (e2e-acme)' });
      await submitAndWait(bob, () => bob.locator('form[action="/account/billing/context"] button[type=submit]').click());
      assert.equal((await bob.locator('#billing-context').textContent()).trim(), 'E2E Acme (e2e-acme)');
      assert.equal(await bob.locator('form[action="/account/billing/plan"]').count(), 0);
      assert.equal(await bob.locator('form[action="/account/billing/coupon"]').count(), 0);
      await shoot(bob, 'billing-member');
    });
  } finally {
    await bobContext.close();
  }
}, { locale: lang });
