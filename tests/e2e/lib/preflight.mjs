// Loaded before each e2e test file (node --import): names what is missing in one line instead
// of a module-resolution stack trace.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const e2eDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const chromium = process.env.IDPD_E2E_CHROMIUM || '/usr/bin/chromium';
const problems = [];
for (const pkg of ['jose', 'openid-client', 'playwright-core']) {
  if (!existsSync(path.join(e2eDir, 'node_modules', pkg, 'package.json'))) {
    problems.push(`the npm package ${pkg} is not installed: run \`make test-deps\` (npm ci --prefix tests/e2e)`);
  }
}
if (!existsSync(chromium)) {
  problems.push(`no browser at ${chromium}: run \`make test-deps\` (Debian's chromium), or set IDPD_E2E_CHROMIUM`);
}
if (process.env.IDPD_BINARY && !existsSync(process.env.IDPD_BINARY)) {
  problems.push(`IDPD_BINARY=${process.env.IDPD_BINARY} does not exist: build the idpd target first`);
}
if (problems.length) {
  console.error(`e2e: cannot run:\n  ${problems.join('\n  ')}`);
  process.exit(1);
}
