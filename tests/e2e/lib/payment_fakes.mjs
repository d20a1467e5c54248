// The loopback fakes of Alipay and WeChat Pay (tests/fakes/payment_fakes.py) for one test file:
// started on an ephemeral port before idpd, with the merchant's and the channels' keys written
// into a temp dir that idpd's [billing] settings name; stopped by PID after the last scenario.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { repoRoot } from './idpd.mjs';

const startTimeoutMs = 20_000;
const stopTimeoutMs = 5_000;

export async function startPaymentFakes() {
  const keys = mkdtempSync(path.join(tmpdir(), 'idpd-pay-keys-'));
  const child = spawn('/usr/bin/python3', [path.join(repoRoot, 'tests', 'fakes', 'payment_fakes.py'), keys],
    { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk) => { stderr = (stderr + chunk).slice(-4000); });
  const port = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`payment fakes did not start: ${stderr}`)), startTimeoutMs);
    let out = '';
    child.stdout.on('data', (chunk) => {
      out += chunk;
      const m = out.match(/port (\d+)/);
      if (m) {
        clearTimeout(timer);
        resolve(Number(m[1]));
      }
    });
    child.once('exit', (code) => { clearTimeout(timer); reject(new Error(`payment fakes exited (${code}): ${stderr}`)); });
  });
  const base = `http://127.0.0.1:${port}`;
  const control = async (name, action, body = {}) => {
    const r = await fetch(`${base}/_control/${name}/${action}`, {
      method: 'POST', body: JSON.stringify(body), headers: { 'Content-Type': 'application/json' },
      signal: AbortSignal.timeout(15_000),
    });
    if (!r.ok) {
      throw new Error(`payment fake ${name} ${action}: HTTP ${r.status} ${await r.text()}`);
    }
    return r.json();
  };
  return {
    base,
    // IDPD_BILLING_* settings that point idpd's channels at the fakes.
    env: {
      IDPD_BILLING_ALIPAY_APP_ID: '2021000000000001',
      IDPD_BILLING_ALIPAY_GATEWAY_URL: `${base}/alipay/gateway.do`,
      IDPD_BILLING_ALIPAY_PUBLIC_KEY_FILE: path.join(keys, 'alipay_public.pem'),
      IDPD_BILLING_ALIPAY_APP_PRIVATE_KEY_FILE: path.join(keys, 'alipay_app_private.pem'),
      IDPD_BILLING_WECHATPAY_BASE_URL: `${base}/wechatpay`,
      IDPD_BILLING_WECHATPAY_APP_ID: 'wxfakepayappid0001',
      IDPD_BILLING_WECHATPAY_MCH_ID: '1900000001',
      IDPD_BILLING_WECHATPAY_MERCHANT_SERIAL_NO: 'FAKEMERCHANTSERIAL0001',
      IDPD_BILLING_WECHATPAY_MERCHANT_KEY_FILE: path.join(keys, 'wechatpay_merchant_private.pem'),
      IDPD_BILLING_WECHATPAY_PLATFORM_KEY_FILE: path.join(keys, 'wechatpay_platform_public.pem'),
      IDPD_BILLING_WECHATPAY_PLATFORM_SERIAL: 'PUB_KEY_ID_0000000000000001',
      IDPD_BILLING_WECHATPAY_API_V3_KEY_FILE: path.join(keys, 'wechatpay_apiv3.key'),
      IDPD_BILLING_BANK_NAME: 'China Merchants Bank',
      IDPD_BILLING_BANK_ACCOUNT_NAME: 'idpd Ltd',
      IDPD_BILLING_BANK_ACCOUNT_NUMBER: '6214 8300 0000 0001',
    },
    // Makes fake `name` pay the order: it sends its signed notice to idpd and answers with
    // idpd's reply {status, body}.
    pay: (name, spec) => control(name, 'pay', spec),
    mode: (name, mode) => control(name, 'mode', { mode }),
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), stopTimeoutMs);
        await exited;
        clearTimeout(timer);
      }
      rmSync(keys, { recursive: true, force: true });
    },
  };
}
