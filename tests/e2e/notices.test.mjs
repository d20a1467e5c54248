// WeChat notices in a real browser against the official-account fake (tests/fakes/wechat_mp.py):
// the Notifications tab shows "not linked" and the official account's QR code; WeChat's signed
// SCAN event (sent here as WeChat would) links the openid, "I have scanned" shows it linked; a
// password change then reaches the fake as a template message. Screenshots of both states at
// desktop and phone widths land in the artifacts dir.
import { after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { repoRoot } from './lib/idpd.mjs';
import { artifactsDir, e2eSuite } from './lib/suite.mjs';
import { signUp } from './lib/flows.mjs';
import { submitAndWait, text, viewports } from './lib/browser.mjs';

const token = 'e2e-callback-token';

// The fake prints "port N" once it accepts.
async function startFake() {
  const child = spawn('/usr/bin/python3', [path.join(repoRoot, 'tests', 'fakes', 'wechat_mp.py')],
    { stdio: ['ignore', 'pipe', 'pipe'] });
  const port = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('fake WeChat MP not up within 10 s')), 10_000);
    let out = '';
    child.stdout.on('data', (chunk) => {
      out += chunk;
      const m = /port (\d+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(Number(m[1]));
      }
    });
  });
  return { child, port };
}

const fake = await startFake();
after(() => fake.child.kill('SIGTERM'));

const suite = e2eSuite({
  serverEnv: {
    IDPD_CAPTCHA_ENABLED: 'false',
    IDPD_NOTIFY_POLL_INTERVAL: '200ms',
    IDPD_NOTIFY_WECHAT_API_BASE: `http://127.0.0.1:${fake.port}`,
    IDPD_NOTIFY_WECHAT_APP_ID: 'wxfakempappid0001',
    IDPD_NOTIFY_WECHAT_APP_SECRET: 'fake-mp-secret',
    IDPD_NOTIFY_WECHAT_TEMPLATE_SECURITY: 'tmpl-security',
    IDPD_NOTIFY_WECHAT_CALLBACK_TOKEN: token,
  },
});
const lang = 'zh-CN';

async function shoot(page, name) {
  const dir = path.join(artifactsDir, 'screenshots');
  mkdirSync(dir, { recursive: true });
  for (const [width, viewport] of Object.entries(viewports)) {
    await page.setViewportSize(viewport);
    await page.screenshot({ path: path.join(dir, `notices-${name}-${width}.png`), fullPage: true });
  }
  await page.setViewportSize(viewports.desktop);
}

async function fakeState() {
  const r = await fetch(`http://127.0.0.1:${fake.port}/_control/state`);
  return r.json();
}

// What WeChat's servers would POST to our server URL when `openid` scans the scene.
async function pushScan(issuer, openid, scene) {
  const timestamp = String(Math.floor(Date.now() / 1000));
  const nonce = 'e2enonce';
  const signature = createHash('sha1').update([token, timestamp, nonce].sort().join('')).digest('hex');
  const xml = `<xml><ToUserName><![CDATA[gh_fake]]></ToUserName><FromUserName><![CDATA[${openid}]]></FromUserName>`
    + `<CreateTime>${timestamp}</CreateTime><MsgType><![CDATA[event]]></MsgType><Event><![CDATA[SCAN]]></Event>`
    + `<EventKey><![CDATA[${scene}]]></EventKey></xml>`;
  const r = await fetch(`${issuer}/wechat/mp/events?signature=${signature}&timestamp=${timestamp}&nonce=${nonce}`,
    { method: 'POST', headers: { 'Content-Type': 'text/xml' }, body: xml });
  return { status: r.status, body: await r.text() };
}

suite.scenario('link WeChat by scanning the official account QR code and receive a security notice', async (s) => {
  const page = s.page;
  const user = { username: 'wechat_user', email: 'wechat.user@example.test', password: 'a passphrase for wechat 7' };

  await s.step('sign up and open the notifications tab: not linked, with a QR code', async () => {
    await page.goto(`${s.issuer}/signup`);
    await signUp(page, user);
    await page.goto(`${s.issuer}/account/notifications`);
    assert.equal((await page.locator('#wechat-status').textContent()).trim(), text(lang, 'notices.wechat.not_linked'));
    assert.equal(await page.locator('#wechat-qr').count(), 1);
    await shoot(page, 'unlinked');
  });

  await s.step('WeChat reports the scan; "I have scanned" shows it linked', async () => {
    const codes = (await fakeState()).qrcodes;
    const scene = codes[codes.length - 1].scene_str;
    assert.deepEqual(await pushScan(s.issuer, 'oE2eWechatUser', scene), { status: 200, body: 'success' });
    await submitAndWait(page, () => page.locator('#wechat-scanned').click());
    assert.equal((await page.locator('#wechat-status').textContent()).trim(), text(lang, 'notices.wechat.linked'));
    await shoot(page, 'linked');
  });

  await s.step('a password change reaches WeChat as a template message', async () => {
    await page.goto(`${s.issuer}/account/password`);
    await page.locator('input[name=old_password]').fill(user.password);
    await page.locator('input[name=password]').fill('a changed passphrase for wechat 8');
    await page.locator('input[name=confirm]').fill('a changed passphrase for wechat 8');
    await submitAndWait(page, () => page.locator('form[action="/account/password"] button[type=submit]').click());
    const deadline = Date.now() + 10_000;
    let messages = [];
    while (Date.now() < deadline && messages.length === 0) {
      messages = (await fakeState()).messages;
      await new Promise((r) => setTimeout(r, 200));
    }
    assert.equal(messages.length, 1);
    assert.equal(messages[0].touser, 'oE2eWechatUser');
    assert.equal(messages[0].template_id, 'tmpl-security');
  });
});
