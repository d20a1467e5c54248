// Deleting an account in a real browser (issue 9 item 10): a new user opens the Delete tab,
// confirms with their username, sees the banner on the account pages, cancels, and confirms
// again. The deletion itself (the janitor after the grace period) needs the clock moved, so
// the integration test tests/integration/web/account_deletion_test.cpp covers it. Screenshots
// of the tab and of the banner at 1280 and 390 px go to the artifacts dir.
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { artifactsDir, e2eSuite } from './lib/suite.mjs';
import { signUp } from './lib/flows.mjs';
import { submitAndWait, text, viewports } from './lib/browser.mjs';

const suite = e2eSuite({ serverEnv: { IDPD_CAPTCHA_ENABLED: 'false' } });

async function shoot(page, name) {
  const dir = path.join(artifactsDir, 'account-delete');
  mkdirSync(dir, { recursive: true });
  for (const [label, viewport] of Object.entries(viewports)) {
    await page.setViewportSize(viewport);
    await page.screenshot({ path: path.join(dir, `${name}-${viewport.width}-${label}.png`), fullPage: true });
  }
  await page.setViewportSize(viewports.desktop);
}

suite.scenario('a new user schedules the deletion of their account, cancels it and schedules it again', async (s) => {
  const lang = 'en';
  const page = s.page;
  const user = { username: 'leaving_user', email: 'leaving@example.test', password: 'leaving passphrase 1' };
  const confirm = async () => {
    await page.locator('#username').fill(user.username);
    await submitAndWait(page, () => page.locator('[data-delete-account]').click());
  };

  await s.step('sign up and open the Delete account tab', async () => {
    await page.goto(`${s.issuer}/signup`);
    await signUp(page, user);
    await submitAndWait(page, () => page.locator('a.tabs__link[href="/account/delete"]').click());
    assert.equal(new URL(page.url()).pathname, '/account/delete');
    assert.equal(await page.locator('a.tabs__link[aria-current=page]').textContent(), text(lang, 'center.tabs.delete'));
    assert.ok((await page.content()).includes(text(lang, 'deletion.grace', { days: '7' })));
    await shoot(page, 'tab');
  });

  await s.step('a wrong username is refused', async () => {
    await page.locator('#username').fill('someone_else');
    await submitAndWait(page, () => page.locator('[data-delete-account]').click());
    assert.equal(await page.locator('[data-deletion-banner]').count(), 0);
    assert.match(await page.locator('.alert--error').first().textContent(), new RegExp(text(lang, 'deletion.username_mismatch').slice(0, 20)));
  });

  await s.step('confirm with the username: the banner appears on every tab', async () => {
    await confirm();
    assert.equal(await page.locator('[role=status]').filter({ hasText: text(lang, 'deletion.notices.scheduled') }).count(), 1);
    await page.goto(`${s.issuer}/account/emails`);
    const banner = page.locator('[data-deletion-banner]');
    assert.equal(await banner.count(), 1);
    assert.match(await banner.textContent(), /scheduled for deletion on \d{4}-\d{2}-\d{2}/);
    await shoot(page, 'banner');
  });

  await s.step('cancel from the banner', async () => {
    await submitAndWait(page, () => page.locator('[data-deletion-banner] button').click());
    assert.equal(new URL(page.url()).pathname, '/account/delete');
    assert.equal(await page.locator('[data-deletion-banner]').count(), 0);
    assert.ok((await page.content()).includes(text(lang, 'deletion.notices.cancelled')));
  });

  await s.step('confirm again', async () => {
    await confirm();
    assert.equal(await page.locator('[data-deletion-banner]').count(), 1);
    assert.equal(await page.locator('[data-deletion-scheduled]').count(), 1);
  });
}, { locale: 'en' });
