// The avatar size limit as a person meets it through the real server (issue 9 item 10, 7b):
// a PNG of exactly account.avatar_max (1 MiB) fits in the default server.max_body with its
// multipart form around it and is saved; one byte more gets the page's own "too large"
// message, not the transport's bare 413.
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { deflateSync } from 'node:zlib';
import { e2eSuite } from './lib/suite.mjs';
import { signUp } from './lib/flows.mjs';
import { submitAndWait, text } from './lib/browser.mjs';

const suite = e2eSuite({ serverEnv: { IDPD_CAPTCHA_ENABLED: 'false' } });
const mib = 1024 * 1024;

const crcTable = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k += 1) {
    c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  }
  return c >>> 0;
});

function chunk(type, data) {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  let c = 0xffffffff;
  for (const b of body) {
    c = crcTable[(c ^ b) & 0xff] ^ (c >>> 8);
  }
  const sum = Buffer.alloc(4);
  sum.writeUInt32BE((c ^ 0xffffffff) >>> 0);
  return Buffer.concat([length, body, sum]);
}

// A valid 8×8 PNG of exactly `size` bytes: a private ancillary chunk ("prVt", which decoders
// skip) pads it.
function pngOfSize(size) {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(8, 0);
  header.writeUInt32BE(8, 4);
  header[8] = 8;  // bit depth
  header[9] = 2;  // RGB
  const rows = Buffer.concat(Array.from({ length: 8 }, () =>
    Buffer.concat([Buffer.from([0]), Buffer.from(Array(8).fill([29, 78, 216]).flat())])));
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  const parts = [chunk('IHDR', header), chunk('IDAT', deflateSync(rows)), chunk('IEND', Buffer.alloc(0))];
  const used = signature.length + parts.reduce((n, p) => n + p.length, 0) + 12;
  const padding = chunk('prVt', Buffer.alloc(size - used, 0x61));
  const png = Buffer.concat([signature, parts[0], padding, parts[1], parts[2]]);
  assert.equal(png.length, size);
  return png;
}

suite.scenario('an avatar of exactly the limit is saved and one byte more gets the page\'s message', async (s) => {
  const lang = 'en';
  const page = s.page;
  const dir = mkdtempSync(path.join(tmpdir(), 'idpd-avatar-limit-'));
  const upload = async (size) => {
    const file = path.join(dir, `avatar-${size}.png`);
    writeFileSync(file, pngOfSize(size));
    await page.locator('#avatar-file').setInputFiles(file);
    await submitAndWait(page, () => page.locator('form[action="/account/avatar"] button[type=submit]').click());
  };

  await s.step('sign up', async () => {
    await page.goto(`${s.issuer}/signup`);
    await signUp(page, { username: 'big_avatar', email: 'big.avatar@example.test', password: 'big avatar passphrase 1' });
  });

  await s.step('1 MiB is saved', async () => {
    await upload(mib);
    assert.equal(new URL(page.url()).searchParams.get('notice'), 'avatar_saved');
    assert.match(await page.locator('img.avatar').getAttribute('src'), /^\/avatars\/\d+\?v=\d+$/);
  });

  await s.step('1 MiB + 1 byte gets the page\'s own error', async () => {
    await upload(mib + 1);
    assert.equal(new URL(page.url()).searchParams.get('avatar_error'), 'too_large');
    assert.ok((await page.content()).includes(text(lang, 'center.avatar.errors.too_large')));
  });
}, { locale: 'en' });
