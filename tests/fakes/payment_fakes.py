#!/usr/bin/python3
"""Loopback fakes of the payment channels idpd tops up through, in one process.

Usage: payment_fakes.py KEY_DIR
Writes the keys a merchant would download or generate into KEY_DIR (see KEYS), listens on
127.0.0.1 on an ephemeral port and prints "port N" on stdout once it accepts. Mounted:
  /alipay/gateway.do                        Alipay openapi gateway: alipay.trade.precreate
  /wechatpay/v3/pay/transactions/native     WeChat Pay API v3 Native order
Both check our request signatures and sign their answers like the real services (Alipay: RSA2
over sorted parameters, the answer signed over the raw response object; WeChat Pay:
WECHATPAY2-SHA256-RSA2048, answers signed over "timestamp\\nnonce\\nbody\\n").
Tests drive them through POST /_control/<alipay|wechatpay>/<action> with a JSON body:
  mode         {"mode": "normal" | "bad_signature" | "refuse"}   how the next orders answer
  pay          {"out_trade_no", "amount"?, "forge"?, "wrong_key"?, "old_timestamp"?,
                "deliver"? (default true), "notify_url"?}
               builds the signed (WeChat Pay: encrypted) payment notice of an order created
               here (or of any out_trade_no when "amount" is given: Alipay "12.34", WeChat Pay
               fen) and POSTs it to the order's notify_url, answering {"status", "body"} of our
               reply; with deliver false it answers the notice {"body", "headers",
               "content_type"} for the test to post itself.
  last_request the last order request as received {"path", "headers", "body"}
Needs the `cryptography` package (RSA, AES-GCM). Runs until SIGTERM or SIGINT.
"""
import base64
import datetime
import json
import os
import secrets
import signal
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

ALIPAY_APP_ID = "2021000000000001"
WECHATPAY_MCH_ID = "1900000001"
WECHATPAY_APP_ID = "wxfakepayappid0001"
WECHATPAY_MERCHANT_SERIAL = "FAKEMERCHANTSERIAL0001"
WECHATPAY_PLATFORM_SERIAL = "PUB_KEY_ID_0000000000000001"
MAX_BODY = 64 * 1024
KEYS = {
    "alipay_public.pem": "Alipay's public key (billing.alipay_public_key_file)",
    "alipay_app_private.pem": "our app private key (billing.alipay_app_private_key_file)",
    "wechatpay_platform_public.pem": "the WeChat Pay public key (wechatpay_platform_key_file)",
    "wechatpay_merchant_private.pem": "our merchant key (wechatpay_merchant_key_file)",
    "wechatpay_apiv3.key": "the APIv3 key (wechatpay_api_v3_key_file)",
}


def new_key():
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def public_pem(key):
    return key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)


def private_pem(key):
    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                             serialization.NoEncryption())


def sign(key, text):
    raw = key.sign(text.encode(), padding.PKCS1v15(), hashes.SHA256())
    return base64.b64encode(raw).decode()


def verifies(public_key, text, signature):
    try:
        public_key.verify(base64.b64decode(signature, validate=True), text.encode(),
                          padding.PKCS1v15(), hashes.SHA256())
        return True
    except (InvalidSignature, ValueError):
        return False


class State:
    def __init__(self):
        self.lock = threading.Lock()
        self.alipay = new_key()          # Alipay's own key
        self.alipay_app = new_key()      # the merchant's app key (idpd signs with it)
        self.platform = new_key()        # WeChat Pay's platform key
        self.merchant = new_key()        # the merchant's API key (idpd signs with it)
        self.impostor = new_key()        # signs forgeries
        self.api_v3_key = secrets.token_hex(16)  # 32 ASCII characters
        self.orders = {}                 # out_trade_no -> {"amount", "notify_url", "channel"}
        self.mode = {"alipay": "normal", "wechatpay": "normal"}
        self.last_request = {"alipay": {}, "wechatpay": {}}

    def write_keys(self, directory):
        files = {
            "alipay_public.pem": public_pem(self.alipay),
            "alipay_app_private.pem": private_pem(self.alipay_app),
            "wechatpay_platform_public.pem": public_pem(self.platform),
            "wechatpay_merchant_private.pem": private_pem(self.merchant),
            "wechatpay_apiv3.key": self.api_v3_key.encode(),
        }
        for name, data in files.items():
            with open(os.path.join(directory, name), "wb") as f:
                f.write(data)


STATE = State()


class Reply:
    def __init__(self, status, body, content_type="application/json; charset=utf-8",
                 headers=None):
        self.status = status
        self.body = body if isinstance(body, bytes) else body.encode()
        self.content_type = content_type
        self.headers = headers or {}


def json_reply(obj, status=200):
    return Reply(status, json.dumps(obj))


# ---- Alipay -------------------------------------------------------------------------------

def alipay_sign_content(params, keep_sign_type):
    kept = {k: v for k, v in params.items()
            if k != "sign" and (keep_sign_type or k != "sign_type") and v != ""}
    return "&".join(f"{k}={kept[k]}" for k in sorted(kept))


def alipay_answer(response):
    # The signature covers the response object's exact text, as it appears in the body.
    raw = json.dumps(response, ensure_ascii=False, separators=(",", ":"))
    key = STATE.impostor if STATE.mode["alipay"] == "bad_signature" else STATE.alipay
    body = '{"alipay_trade_precreate_response":' + raw + ',"sign":"' + sign(key, raw) + '"}'
    return Reply(200, body, "text/html;charset=utf-8")


def alipay_refusal(sub_code, sub_msg):
    return alipay_answer({"code": "40002", "msg": "Invalid Arguments", "sub_code": sub_code,
                          "sub_msg": sub_msg})


def alipay_precreate(form):
    STATE.last_request["alipay"] = {"path": "/alipay/gateway.do", "body": form}
    if form.get("app_id") != ALIPAY_APP_ID:
        return alipay_refusal("isv.invalid-app-id", "unknown app_id")
    if form.get("method") != "alipay.trade.precreate" or form.get("sign_type") != "RSA2":
        return alipay_refusal("isv.invalid-method", "only alipay.trade.precreate with RSA2")
    content = alipay_sign_content(form, keep_sign_type=True)
    if not verifies(STATE.alipay_app.public_key(), content, form.get("sign", "")):
        return alipay_refusal("isv.invalid-signature", "the request signature does not verify")
    try:
        biz = json.loads(form.get("biz_content", ""))
        amount = biz["total_amount"]
        no = biz["out_trade_no"]
    except (ValueError, KeyError, TypeError):
        return alipay_refusal("isv.invalid-biz-content", "biz_content is unreadable")
    if STATE.mode["alipay"] == "refuse":
        return alipay_refusal("ACQ.SYSTEM_ERROR", "refused by the fake")
    with STATE.lock:
        STATE.orders[no] = {"amount": amount, "notify_url": form.get("notify_url", ""),
                            "channel": "alipay"}
    return alipay_answer({"code": "10000", "msg": "Success", "out_trade_no": no,
                          "qr_code": "https://qr.alipay.com/bax0" + secrets.token_hex(10)})


def alipay_notice(order_no, order, spec):
    params = {
        "notify_time": time.strftime("%Y-%m-%d %H:%M:%S"),
        "notify_type": "trade_status_sync",
        "notify_id": secrets.token_hex(16),
        "app_id": ALIPAY_APP_ID,
        "charset": "utf-8",
        "version": "1.0",
        "sign_type": "RSA2",
        "trade_no": "2026" + secrets.token_hex(12),
        "out_trade_no": order_no,
        "total_amount": spec.get("amount", order["amount"]),
        "receipt_amount": spec.get("amount", order["amount"]),
        "buyer_logon_id": "159****5620",
        "subject": "idpd top-up",
        "trade_status": "TRADE_SUCCESS",
        "gmt_payment": time.strftime("%Y-%m-%d %H:%M:%S"),
    }
    key = STATE.impostor if spec.get("forge") else STATE.alipay
    params["sign"] = sign(key, alipay_sign_content(params, keep_sign_type=False))
    return urllib.parse.urlencode(params), {}, "application/x-www-form-urlencoded; charset=utf-8"


# ---- WeChat Pay v3 ------------------------------------------------------------------------

def wechatpay_headers(body, key=None, timestamp=None):
    ts = str(int(timestamp if timestamp is not None else time.time()))
    nonce = secrets.token_hex(16)
    signature = sign(key or STATE.platform, f"{ts}\n{nonce}\n{body}\n")
    return {"Wechatpay-Timestamp": ts, "Wechatpay-Nonce": nonce,
            "Wechatpay-Signature": signature, "Wechatpay-Serial": WECHATPAY_PLATFORM_SERIAL,
            "Wechatpay-Signature-Type": "WECHATPAY2-SHA256-RSA2048"}


def wechatpay_error(status, code, message):
    body = json.dumps({"code": code, "message": message})
    return Reply(status, body, headers=wechatpay_headers(body))


def authorization_params(header):
    scheme, _, rest = (header or "").partition(" ")
    if scheme != "WECHATPAY2-SHA256-RSA2048":
        return None
    params = {}
    for part in rest.split(","):
        name, _, value = part.strip().partition("=")
        params[name] = value.strip('"')
    return params


def wechatpay_native(path, headers, body):
    STATE.last_request["wechatpay"] = {"path": path, "headers": headers, "body": body}
    auth = authorization_params(headers.get("Authorization"))
    if not auth or auth.get("mchid") != WECHATPAY_MCH_ID or \
            auth.get("serial_no") != WECHATPAY_MERCHANT_SERIAL:
        return wechatpay_error(401, "SIGN_ERROR", "missing or foreign Authorization")
    message = f"POST\n{path}\n{auth.get('timestamp')}\n{auth.get('nonce_str')}\n{body}\n"
    if abs(time.time() - int(auth.get("timestamp") or 0)) > 300 or \
            not verifies(STATE.merchant.public_key(), message, auth.get("signature", "")):
        return wechatpay_error(401, "SIGN_ERROR", "the request signature does not verify")
    try:
        order = json.loads(body)
        no = order["out_trade_no"]
        total = order["amount"]["total"]
        ok = order["mchid"] == WECHATPAY_MCH_ID and order["appid"] == WECHATPAY_APP_ID
    except (ValueError, KeyError, TypeError):
        return wechatpay_error(400, "PARAM_ERROR", "the order is unreadable")
    if not ok:
        return wechatpay_error(400, "PARAM_ERROR", "mchid and appid do not match")
    if STATE.mode["wechatpay"] == "refuse":
        return wechatpay_error(500, "SYSTEM_ERROR", "refused by the fake")
    with STATE.lock:
        STATE.orders[no] = {"amount": total, "notify_url": order.get("notify_url", ""),
                            "channel": "wechatpay"}
    answer = json.dumps({"code_url": "weixin://wxpay/bizpayurl?pr=" + secrets.token_hex(6)})
    key = STATE.impostor if STATE.mode["wechatpay"] == "bad_signature" else STATE.platform
    return Reply(200, answer, headers=wechatpay_headers(answer, key))


def wechatpay_notice(order_no, order, spec):
    transaction = {
        "appid": WECHATPAY_APP_ID, "mchid": WECHATPAY_MCH_ID, "out_trade_no": order_no,
        "transaction_id": "4200" + secrets.token_hex(12), "trade_type": "NATIVE",
        "trade_state": "SUCCESS", "trade_state_desc": "支付成功", "bank_type": "OTHERS",
        "success_time": datetime.datetime.now().astimezone().isoformat(timespec="seconds"),
        "payer": {"openid": "oFakePayer0000000000000001"},
        "amount": {"total": spec.get("amount", order["amount"]),
                   "payer_total": spec.get("amount", order["amount"]),
                   "currency": "CNY", "payer_currency": "CNY"},
    }
    key = secrets.token_hex(16) if spec.get("wrong_key") else STATE.api_v3_key
    nonce = secrets.token_hex(6)
    sealed = AESGCM(key.encode()).encrypt(nonce.encode(), json.dumps(transaction).encode(),
                                          b"transaction")
    body = json.dumps({
        "id": secrets.token_hex(16), "create_time": transaction["success_time"],
        "resource_type": "encrypt-resource", "event_type": "TRANSACTION.SUCCESS",
        "summary": "支付成功",
        "resource": {"original_type": "transaction", "algorithm": "AEAD_AES_256_GCM",
                     "ciphertext": base64.b64encode(sealed).decode(),
                     "associated_data": "transaction", "nonce": nonce},
    }, ensure_ascii=False)
    when = time.time() - 600 if spec.get("old_timestamp") else None
    headers = wechatpay_headers(body, STATE.impostor if spec.get("forge") else None, when)
    return body, headers, "application/json"


# ---- control ------------------------------------------------------------------------------

def deliver(url, body, headers, content_type):
    request = urllib.request.Request(url, data=body.encode(), method="POST",
                                     headers={**headers, "Content-Type": content_type})
    try:
        with urllib.request.urlopen(request, timeout=10) as r:
            return {"status": r.status, "body": r.read().decode(errors="replace")}
    except urllib.error.HTTPError as e:
        return {"status": e.code, "body": e.read().decode(errors="replace")}
    except OSError as e:
        return {"status": 0, "body": str(e)}


def pay(name, spec):
    no = spec.get("out_trade_no", "")
    with STATE.lock:
        order = STATE.orders.get(no)
    if order is None and "amount" in spec:
        # An order that never reached this fake (what a forger would claim).
        order = {"amount": spec["amount"], "notify_url": spec.get("notify_url", ""),
                 "channel": name}
    if order is None or order["channel"] != name:
        return json_reply({"error": "no such order at this fake"}, 404)
    build = alipay_notice if name == "alipay" else wechatpay_notice
    body, headers, content_type = build(no, order, spec)
    if spec.get("deliver", True):
        return json_reply(deliver(spec.get("notify_url") or order["notify_url"], body, headers,
                                  content_type))
    return json_reply({"body": body, "headers": headers, "content_type": content_type})


def control(name, action, body):
    if name not in STATE.mode:
        return json_reply({"error": "no such fake"}, 404)
    spec = json.loads(body or b"{}")
    if action == "mode":
        STATE.mode[name] = spec.get("mode", "normal")
        return json_reply({"ok": True})
    if action == "pay":
        return pay(name, spec)
    if action == "last_request":
        return json_reply(STATE.last_request[name])
    return json_reply({"error": "unknown control"}, 404)


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, fmt, *args):
        sys.stderr.write("fake payments: " + (fmt % args) + "\n")

    def send(self, reply):
        self.send_response(reply.status)
        self.send_header("Content-Type", reply.content_type)
        self.send_header("Content-Length", str(len(reply.body)))
        for name, value in reply.headers.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(reply.body)

    def do_POST(self):
        url = urllib.parse.urlsplit(self.path)
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(min(length, MAX_BODY)) if length else b""
        parts = url.path.split("/")
        if len(parts) >= 4 and parts[1] == "_control":
            return self.send(control(parts[2], parts[3], body))
        if url.path == "/alipay/gateway.do":
            form = dict(urllib.parse.parse_qsl(url.query + "&" + body.decode(),
                                               keep_blank_values=True))
            return self.send(alipay_precreate(form))
        if url.path == "/wechatpay/v3/pay/transactions/native":
            headers = {k: v for k, v in self.headers.items()}
            return self.send(wechatpay_native(url.path, headers, body.decode()))
        self.send(json_reply({"message": "Not Found"}, 404))

    def do_GET(self):
        self.send(json_reply({"message": "Not Found"}, 404))


def main():
    if len(sys.argv) != 2 or not os.path.isdir(sys.argv[1]):
        sys.stderr.write("usage: payment_fakes.py KEY_DIR\n")
        return 2
    STATE.write_keys(sys.argv[1])
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    signal.signal(signal.SIGTERM, lambda *_: threading.Thread(target=server.shutdown).start())
    print(f"port {server.server_address[1]}", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
