// The fake SMS gateway on loopback for the e2e suite (tests/fakes/sms_gateway.py): idpd's
// outbox POSTs {"to", "text"} to it (notify.sms_transport = "gateway"), tests read what came.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { repoRoot } from './idpd.mjs';

const startTimeoutMs = 10_000;
const stopTimeoutMs = 5_000;

export class FakeSmsGateway {
  constructor() {
    this.process = null;
    this.port = null;
  }

  // Starts the gateway and resolves once it accepts (it prints "port N").
  async start() {
    const script = path.join(repoRoot, 'tests', 'fakes', 'sms_gateway.py');
    this.process = spawn('/usr/bin/python3', [script, '--token', 'e2e-sms-token'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    this.process.stderr.on('data', (chunk) => { stderr += chunk; });
    this.port = await new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`fake SMS gateway not up within ${startTimeoutMs} ms: ${stderr}`)), startTimeoutMs);
      let out = '';
      this.process.stdout.on('data', (chunk) => {
        out += chunk;
        const m = /port (\d+)/.exec(out);
        if (m) {
          clearTimeout(timer);
          resolve(Number(m[1]));
        }
      });
      this.process.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`fake SMS gateway exited (${code}): ${stderr}`));
      });
    });
    return this;
  }

  // The IDPD_* settings that send idpd's SMS here, polled often.
  idpdEnv() {
    return {
      IDPD_NOTIFY_SMS_TRANSPORT: 'gateway',
      IDPD_NOTIFY_SMS_GATEWAY_URL: `http://127.0.0.1:${this.port}/v1/send`,
      IDPD_NOTIFY_SMS_GATEWAY_TOKEN: 'e2e-sms-token',
      IDPD_NOTIFY_POLL_INTERVAL: '200ms',
    };
  }

  async stop() {
    const child = this.process;
    if (child && child.exitCode === null && child.signalCode === null) {
      const gone = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), stopTimeoutMs);
      await gone;
      clearTimeout(timer);
    }
  }

  async messages(to) {
    const query = to ? `?to=${encodeURIComponent(to)}` : '';
    const r = await fetch(`http://127.0.0.1:${this.port}/_control/messages${query}`);
    return (await r.json()).messages;
  }

  // The six-digit code of the (skip+1)-th SMS to `to`; waits up to `timeoutMs` for it.
  async codeFor(to, { skip = 0, timeoutMs = 15_000 } = {}) {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = await this.messages(to);
      if (found.length > skip) {
        const m = /\d{6}/.exec(found[skip].text);
        if (m) {
          return m[0];
        }
      }
      if (Date.now() > deadline) {
        throw new Error(`no SMS to ${to} within ${timeoutMs} ms`);
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}
