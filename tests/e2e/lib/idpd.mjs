// The real idpd binary for the end-to-end tests: one server per test file, in a fresh temp dir
// with its own SQLite database, on a free loopback port, configured only through IDPD_*
// environment variables (the same ones an operator uses). Users and clients are made with the
// real CLI against the same database.
import { spawn, execFile } from 'node:child_process';
import { createWriteStream, mkdtempSync, readFileSync, rmSync, existsSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

const startTimeoutMs = 30_000;
const stopTimeoutMs = 10_000;
const cliTimeoutMs = 30_000;

function binary() {
  const bin = path.resolve(process.env.IDPD_BINARY || path.join(repoRoot, 'build', 'idpd'));
  if (!existsSync(bin)) {
    throw new Error(`idpd binary not found at ${bin}: build it, or set IDPD_BINARY`);
  }
  return bin;
}

// A port the kernel just handed out. The issuer must name the port before idpd starts, so port 0
// cannot be used directly; start() retries when another process took it in between.
export function freePort() {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

// The caller's environment without any IDPD_* setting (a developer's IDPD_DATABASE_URL must not
// leak into the test), plus this server's configuration.
function serverEnv(dir, port, extra) {
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('IDPD_')));
  return {
    ...env,
    IDPD_SERVER_ISSUER: `http://localhost:${port}`,
    IDPD_SERVER_ADDRESS: '127.0.0.1',
    IDPD_SERVER_PORT: String(port),
    IDPD_SERVER_VAR_DIR: path.join(dir, 'var'),
    IDPD_SERVER_STATIC_DIR: path.join(repoRoot, 'static'),
    IDPD_WEB_TEMPLATES_DIR: path.join(repoRoot, 'templates'),
    IDPD_DATABASE_URL: `sqlite://${path.join(dir, 'idpd.db')}`,
    IDPD_KEYS_MASTER_KEY: randomBytes(32).toString('base64url'),
    ...extra,
  };
}

async function waitReady(server, deadline) {
  let last = 'no answer';
  while (Date.now() < deadline) {
    if (server.exited) {
      throw new Error(`idpd exited with ${server.exited} before it was ready`);
    }
    try {
      const res = await fetch(`${server.issuer}/readyz`, { signal: AbortSignal.timeout(2000) });
      if (res.status === 200) {
        return;
      }
      last = `HTTP ${res.status}`;
    } catch (err) {
      last = err.cause?.code || err.message;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`idpd not ready within ${startTimeoutMs} ms (last /readyz: ${last})`);
}

export class Idpd {
  constructor(dir, port, env) {
    this.dir = dir;
    this.port = port;
    this.env = env;
    this.issuer = env.IDPD_SERVER_ISSUER;
    this.logFile = path.join(dir, 'idpd.log');
    this.process = null;
    this.exited = null;
  }

  // Starts a fresh server. `extraEnv` adds or overrides IDPD_* settings for one test file.
  static async start(extraEnv = {}) {
    const dir = mkdtempSync(path.join(tmpdir(), 'idpd-e2e-'));
    let lastError;
    for (let attempt = 0; attempt < 3; attempt++) {
      const port = await freePort();
      const server = new Idpd(dir, port, serverEnv(dir, port, extraEnv));
      try {
        await server.#spawn();
        return server;
      } catch (err) {
        lastError = err;
        await server.stop();
        if (!/Address already in use|EADDRINUSE/i.test(server.logTail(20))) {
          break;
        }
      }
    }
    throw new Error(`${lastError.message}\n--- idpd log (${dir}/idpd.log) ---\n${readLog(dir)}`);
  }

  async #spawn() {
    const log = createWriteStream(this.logFile, { flags: 'a' });
    await new Promise((r) => log.once('open', r));
    this.process = spawn(binary(), ['serve'], { cwd: this.dir, env: this.env, stdio: ['ignore', log, log] });
    this.process.once('exit', (code, signal) => {
      this.exited = signal || `status ${code}`;
    });
    await waitReady(this, Date.now() + startTimeoutMs);
  }

  // SIGTERM by PID, then SIGKILL if it does not drain in time.
  async stop() {
    const child = this.process;
    if (!child || this.exited) {
      return;
    }
    const gone = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), stopTimeoutMs);
    await gone;
    clearTimeout(timer);
  }

  // Removes the temp dir; kept (and named) when a test failed, for the log and the database.
  cleanup(keep) {
    if (keep) {
      console.error(`e2e: kept ${this.dir} (idpd.log, idpd.db)`);
    } else {
      rmSync(this.dir, { recursive: true, force: true });
    }
  }

  logTail(lines = 40) {
    return readLog(this.dir).split('\n').slice(-lines - 1).join('\n');
  }

  // `idpd <args…>` against this server's database and keys; resolves to stdout, rejects with
  // stderr on a non-zero exit.
  cli(args, { input } = {}) {
    return new Promise((resolve, reject) => {
      const child = execFile(binary(), args, { cwd: this.dir, env: this.env, timeout: cliTimeoutMs },
        (err, stdout, stderr) => {
          if (err) {
            reject(new Error(`idpd ${args.join(' ')} failed (${err.code ?? err.signal}): ${stderr.trim()}`));
          } else {
            resolve(stdout);
          }
        });
      // A command that reads no stdin may exit before we write: its status tells, not EPIPE.
      child.stdin.on('error', () => {});
      child.stdin.end(input ?? '');
    });
  }

  // A local account; the password goes through stdin, as the CLI recommends.
  async addUser({ username, password, email, verifiedEmail = false, displayName }) {
    const args = ['user', 'add', '--username', username, '--password-stdin'];
    if (email) {
      args.push('--email', email);
    }
    if (verifiedEmail) {
      args.push('--verified-email');
    }
    if (displayName) {
      args.push('--display-name', displayName);
    }
    const out = await this.cli(args, { input: `${password}\n` });
    const id = /created user (\d+)/.exec(out)?.[1];
    if (!id) {
      throw new Error(`idpd user add printed no id: ${out}`);
    }
    return { id, username, password, email };
  }

  // A client as `idpd client add` registers it. `secret` is null for a public client.
  async addClient({ id, name, isPublic = false, grantTypes = ['authorization_code'], redirectUris = [],
    scope = 'openid profile email', accessTokenFormat = 'jwt', alg = 'RS256',
    postLogoutRedirectUris = [], backchannelLogoutUri, firstParty = false, dpopBound = false }) {
    const secret = isPublic ? null : randomBytes(32).toString('base64url');
    const args = ['client', 'add', '--id', id, '--scope', scope,
      '--access-token-format', accessTokenFormat, '--alg', alg];
    if (name) {
      args.push('--name', name);
    }
    if (isPublic) {
      args.push('--public');
    } else {
      args.push('--secret', secret);
    }
    for (const grant of grantTypes) {
      args.push('--grant-type', grant);
    }
    for (const uri of redirectUris) {
      args.push('--redirect-uri', uri);
    }
    for (const uri of postLogoutRedirectUris) {
      args.push('--post-logout-redirect-uri', uri);
    }
    if (backchannelLogoutUri) {
      args.push('--backchannel-logout-uri', backchannelLogoutUri);
    }
    if (firstParty) {
      args.push('--first-party');
    }
    if (dpopBound) {
      args.push('--dpop-bound');
    }
    await this.cli(args);
    return { id, secret, redirectUris, scope, alg, accessTokenFormat };
  }
}

function readLog(dir) {
  try {
    return readFileSync(path.join(dir, 'idpd.log'), 'utf8');
  } catch {
    return '(no log)';
  }
}
