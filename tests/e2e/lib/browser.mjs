// A real browser: Debian's chromium, driven by playwright-core (which ships no browser).
import { chromium } from 'playwright-core';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { repoRoot } from './idpd.mjs';

export const chromiumPath = process.env.IDPD_E2E_CHROMIUM || '/usr/bin/chromium';

export const viewports = {
  desktop: { width: 1280, height: 800 },
  phone: { width: 390, height: 844 },
};

export function launchBrowser() {
  // Chromium's sandbox refuses to start as root (containers, CI); elsewhere it stays on.
  const args = process.getuid?.() === 0 ? ['--no-sandbox'] : [];
  return chromium.launch({ executablePath: chromiumPath, headless: true, args, timeout: 30_000 });
}

// A fresh profile (no cookies) whose Accept-Language is `locale`.
export async function newContext(browser, { locale = 'zh-CN', viewport = viewports.desktop } = {}) {
  const context = await browser.newContext({ locale, viewport });
  context.setDefaultTimeout(10_000);
  context.setDefaultNavigationTimeout(15_000);
  return context;
}

// Runs `action` (a click or a press that submits a form) and waits for the page it loads.
export async function submitAndWait(page, action) {
  const loaded = page.waitForNavigation({ waitUntil: 'load' });
  try {
    await action();
  } catch (err) {
    loaded.catch(() => {});  // the page may close with the failed scenario
    throw err;
  }
  await loaded;
}

// The message catalogs the pages are rendered from, so tests name strings by key, not by text.
const catalogs = {};
export function catalog(lang) {
  catalogs[lang] ??= JSON.parse(readFileSync(path.join(repoRoot, 'templates', 'i18n', `${lang}.json`), 'utf8'));
  return catalogs[lang];
}

// catalog(lang) entry for "signin.heading", with {name} placeholders filled from `values`.
export function text(lang, key, values = {}) {
  let value = key.split('.').reduce((node, part) => node?.[part], catalog(lang));
  if (typeof value !== 'string') {
    throw new Error(`no string ${key} in templates/i18n/${lang}.json`);
  }
  for (const [name, v] of Object.entries(values)) {
    value = value.replaceAll(`{${name}}`, v);
  }
  return value;
}
