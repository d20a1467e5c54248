// A real SMTP server on loopback for the e2e suite (tests/fakes/smtp_server.py, aiosmtpd) and
// the messages it took, decoded as a mail client would: headers with RFC 2047 encoded-words,
// the text/plain part from quoted-printable or base64.
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { repoRoot } from './idpd.mjs';

const startTimeoutMs = 10_000;
const stopTimeoutMs = 5_000;

export class FakeSmtp {
  constructor() {
    this.dir = mkdtempSync(path.join(tmpdir(), 'idpd-e2e-smtp-'));
    this.process = null;
    this.port = null;
  }

  // Starts the server and resolves once it accepts (it prints "port N").
  async start() {
    const script = path.join(repoRoot, 'tests', 'fakes', 'smtp_server.py');
    this.process = spawn('/usr/bin/python3', [script, '--dir', this.dir], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    this.process.stderr.on('data', (chunk) => { stderr += chunk; });
    this.port = await new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`fake SMTP server not up within ${startTimeoutMs} ms: ${stderr}`)), startTimeoutMs);
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
        reject(new Error(`fake SMTP server exited (${code}): ${stderr}`));
      });
    });
    return this;
  }

  // The IDPD_* settings that send idpd's mail here (plain SMTP on loopback, polled often).
  idpdEnv() {
    return {
      IDPD_NOTIFY_EMAIL_TRANSPORT: 'smtp',
      IDPD_NOTIFY_SMTP_URL: `smtp://127.0.0.1:${this.port}`,
      IDPD_NOTIFY_SMTP_STARTTLS: 'off',
      IDPD_NOTIFY_SMTP_TIMEOUT: '10s',
      IDPD_NOTIFY_POLL_INTERVAL: '200ms',
      IDPD_NOTIFY_DEV_OUTBOX_PAGE: 'false',
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
    rmSync(this.dir, { recursive: true, force: true });
  }

  // Every message taken so far, oldest first.
  messages() {
    return readdirSync(this.dir).filter((f) => f.endsWith('.eml')).sort().map((f) => {
      const base = path.join(this.dir, f.slice(0, -4));
      return { ...JSON.parse(readFileSync(`${base}.json`, 'utf8')), ...parseMail(readFileSync(`${base}.eml`, 'latin1')) };
    });
  }

  // The first message to `to` whose subject is `subject`, not among the first `skip` messages;
  // waits up to `timeoutMs` for it to arrive.
  async waitFor({ to, subject, skip = 0, timeoutMs = 15_000 }) {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.messages().slice(skip).find((m) => m.rcpt_tos.includes(to) && m.subject === subject);
      if (found) {
        return found;
      }
      if (Date.now() > deadline) {
        const seen = this.messages().map((m) => `${m.rcpt_tos} "${m.subject}"`).join('; ') || 'none';
        throw new Error(`no mail "${subject}" to ${to} within ${timeoutMs} ms (received: ${seen})`);
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

// "=?UTF-8?B?…?=" and "=?UTF-8?Q?…?=" words of a header, decoded; adjacent words join.
function decodeWords(value) {
  return value.replace(/\?=\s+=\?/g, '?==?').replace(/=\?([^?]+)\?([BbQq])\?([^?]*)\?=/g, (_, charset, enc, text) => {
    const bytes = enc.toUpperCase() === 'B'
      ? Buffer.from(text, 'base64')
      : Buffer.from(text.replace(/_/g, ' ').replace(/=([0-9A-F]{2})/gi, (__, h) => String.fromCharCode(parseInt(h, 16))), 'latin1');
    return new TextDecoder(charset).decode(bytes);
  });
}

function splitHeaders(raw) {
  const at = raw.indexOf('\r\n\r\n');
  const head = at < 0 ? raw : raw.slice(0, at);
  const body = at < 0 ? '' : raw.slice(at + 4);
  const headers = {};
  for (const line of head.replace(/\r\n[ \t]/g, ' ').split('\r\n')) {
    const colon = line.indexOf(':');
    if (colon > 0) {
      headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
    }
  }
  return { headers, body };
}

function decodeBody(headers, body) {
  const encoding = (headers['content-transfer-encoding'] || '7bit').toLowerCase();
  let bytes;
  if (encoding === 'base64') {
    bytes = Buffer.from(body.replace(/\s+/g, ''), 'base64');
  } else if (encoding === 'quoted-printable') {
    bytes = Buffer.from(body.replace(/=\r\n/g, '').replace(/=([0-9A-F]{2})/gi, (_, h) => String.fromCharCode(parseInt(h, 16))), 'latin1');
  } else {
    bytes = Buffer.from(body, 'latin1');
  }
  return bytes.toString('utf8').replace(/\r\n/g, '\n');
}

// The parts of a raw message a test reads: from, to, subject and the plain text.
export function parseMail(raw) {
  const { headers, body } = splitHeaders(raw);
  let text = null;
  const type = headers['content-type'] || 'text/plain';
  const boundary = /boundary="?([^";]+)"?/i.exec(type)?.[1];
  if (boundary) {
    for (const chunk of body.split(`--${boundary}`).slice(1)) {
      const part = splitHeaders(chunk.replace(/^\r\n/, ''));
      if ((part.headers['content-type'] || '').startsWith('text/plain')) {
        text = decodeBody(part.headers, part.body);
        break;
      }
    }
  } else {
    text = decodeBody(headers, body);
  }
  return { from: decodeWords(headers.from || ''), to: decodeWords(headers.to || ''), subject: decodeWords(headers.subject || ''), text };
}

// The first link to `issuer` in a message's text.
export function linkIn(mail, issuer) {
  const escaped = issuer.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const m = new RegExp(`${escaped}/[^\\s]+`).exec(mail.text || '');
  if (!m) {
    throw new Error(`no link to ${issuer} in the mail "${mail.subject}":\n${mail.text}`);
  }
  return m[0];
}
