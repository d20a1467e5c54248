// The loopback fakes of GitHub, Bitbucket, WeChat and QQ (tests/fakes/upstream_fakes.py) for one
// test file: started on an ephemeral port before idpd (whose config names their URLs), stopped
// by PID after the last scenario.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { repoRoot } from './idpd.mjs';

const startTimeoutMs = 10_000;
const stopTimeoutMs = 5_000;

export async function startFakes() {
  const child = spawn('/usr/bin/python3', [path.join(repoRoot, 'tests', 'fakes', 'upstream_fakes.py')],
    { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk) => { stderr = (stderr + chunk).slice(-4000); });
  const port = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`upstream fakes did not start: ${stderr}`)), startTimeoutMs);
    let out = '';
    child.stdout.on('data', (chunk) => {
      out += chunk;
      const m = out.match(/port (\d+)/);
      if (m) {
        clearTimeout(timer);
        resolve(Number(m[1]));
      }
    });
    child.once('exit', (code) => { clearTimeout(timer); reject(new Error(`upstream fakes exited (${code}): ${stderr}`)); });
  });
  const base = `http://127.0.0.1:${port}`;
  const control = async (name, action, body) => {
    const r = await fetch(`${base}/_control/${name}/${action}`, {
      method: 'POST', body: JSON.stringify(body), headers: { 'Content-Type': 'application/json' },
    });
    if (!r.ok) {
      throw new Error(`fake ${name} ${action}: HTTP ${r.status}`);
    }
  };
  return {
    base,
    // IDPD_* settings that point idpd's upstreams at the fakes.
    env: {
      IDPD_FEDERATION_GITHUB_CLIENT_ID: 'fake-github-id',
      IDPD_FEDERATION_GITHUB_CLIENT_SECRET: 'fake-github-secret',
      IDPD_FEDERATION_GITHUB_AUTH_BASE_URL: `${base}/github`,
      IDPD_FEDERATION_GITHUB_API_BASE_URL: `${base}/github-api`,
      IDPD_FEDERATION_WECHAT_CLIENT_ID: 'wxfakeappid000001',
      IDPD_FEDERATION_WECHAT_CLIENT_SECRET: 'fake-wechat-secret',
      IDPD_FEDERATION_WECHAT_AUTH_BASE_URL: `${base}/wechat-open`,
      IDPD_FEDERATION_WECHAT_API_BASE_URL: `${base}/wechat-api`,
      IDPD_FEDERATION_QQ_CLIENT_ID: '101000001',
      IDPD_FEDERATION_QQ_CLIENT_SECRET: 'fake-qq-appkey',
      IDPD_FEDERATION_QQ_AUTH_BASE_URL: `${base}/qq`,
      IDPD_FEDERATION_QQ_API_BASE_URL: `${base}/qq`,
    },
    // Who signs in at fake `name` next.
    user: (name, profile) => control(name, 'user', profile),
    mode: (name, mode) => control(name, 'mode', { mode }),
    async stop() {
      if (child.exitCode !== null) {
        return;
      }
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');  // this child's PID only
      const timer = setTimeout(() => child.kill('SIGKILL'), stopTimeoutMs);
      await exited;
      clearTimeout(timer);
    },
  };
}
