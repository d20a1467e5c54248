#!/usr/bin/python3
"""Fake WeChat official-account API (公众号), the calls idpd makes:
  https://developers.weixin.qq.com/doc/offiaccount/Basic_Information/Get_access_token.html
    GET /cgi-bin/token?grant_type=client_credential&appid&secret →
        {"access_token", "expires_in": 7200}; a wrong appid/secret → {"errcode": 40125}
  https://developers.weixin.qq.com/doc/offiaccount/Message_Management/Template_Message_Interface.html
    POST /cgi-bin/message/template/send?access_token=… {"touser", "template_id", "url",
        "data": {key: {"value"}}} → {"errcode": 0, "errmsg": "ok", "msgid"}; a token this fake
        never issued → 40001, one it expired → 42001, touser "unfollowed" → 43004.
  https://developers.weixin.qq.com/doc/offiaccount/Account_Management/Generating_a_Parametric_QR_Code.html
    POST /cgi-bin/qrcode/create?access_token=… {"expire_seconds", "action_name": "QR_STR_SCENE",
        "action_info": {"scene": {"scene_str"}}} → {"ticket", "expire_seconds", "url"}; the same
        token errors; a missing scene_str or another action → 40053/40097.
Control (tests): POST /_control/expire expires every token issued so far; GET /_control/state
answers {"token_calls", "messages": [...], "qrcodes": [{"scene_str", "url", ...}]}. Listens on 127.0.0.1, prints "port N" once it
accepts. Python 3 standard library only; runs until SIGTERM or SIGINT.
"""
import json
import signal
import sys
import threading
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

APP_ID = "wxfakempappid0001"
APP_SECRET = "fake-mp-secret"
LOCK = threading.Lock()
STATE = {"token_calls": 0, "live": set(), "expired": set(), "messages": [], "qrcodes": [],
         "next": 1}


def reply(handler, body, status=200):
    data = json.dumps(body, ensure_ascii=False).encode()
    handler.send_response(status)
    handler.send_header("Content-Type", "application/json; charset=utf-8")
    handler.send_header("Content-Length", str(len(data)))
    handler.end_headers()
    handler.wfile.write(data)


def token(query):
    with LOCK:
        STATE["token_calls"] += 1
        if query.get("grant_type") != "client_credential":
            return {"errcode": 40002, "errmsg": "invalid grant_type"}
        if query.get("appid") != APP_ID or query.get("secret") != APP_SECRET:
            return {"errcode": 40125, "errmsg": "invalid appsecret"}
        value = "fake-mp-token-%d" % STATE["next"]
        STATE["next"] += 1
        STATE["live"].add(value)
        return {"access_token": value, "expires_in": 7200}


def send(query, body):
    access = query.get("access_token", "")
    with LOCK:
        if access in STATE["expired"]:
            return {"errcode": 42001, "errmsg": "access_token expired"}
        if access not in STATE["live"]:
            return {"errcode": 40001, "errmsg": "invalid credential, access_token is invalid"}
        try:
            message = json.loads(body)
        except ValueError:
            return {"errcode": 47001, "errmsg": "data format error"}
        if not isinstance(message, dict) or not message.get("touser") or \
                not message.get("template_id") or not isinstance(message.get("data"), dict):
            return {"errcode": 47001, "errmsg": "data format error"}
        if message["touser"] == "unfollowed":
            return {"errcode": 43004, "errmsg": "require subscribe"}
        STATE["messages"].append(message)
        return {"errcode": 0, "errmsg": "ok", "msgid": len(STATE["messages"])}


def qrcode(query, body):
    access = query.get("access_token", "")
    with LOCK:
        if access in STATE["expired"]:
            return {"errcode": 42001, "errmsg": "access_token expired"}
        if access not in STATE["live"]:
            return {"errcode": 40001, "errmsg": "invalid credential, access_token is invalid"}
        try:
            request = json.loads(body)
        except ValueError:
            return {"errcode": 47001, "errmsg": "data format error"}
        if not isinstance(request, dict) or request.get("action_name") != "QR_STR_SCENE":
            return {"errcode": 40097, "errmsg": "invalid args"}
        scene = ((request.get("action_info") or {}).get("scene") or {}).get("scene_str")
        if not isinstance(scene, str) or not 1 <= len(scene) <= 64:
            return {"errcode": 40053, "errmsg": "invalid action info"}
        n = len(STATE["qrcodes"]) + 1
        code = {"ticket": "fake-ticket-%d" % n,
                "expire_seconds": int(request.get("expire_seconds") or 60),
                "url": "http://weixin.qq.com/q/fake%04d" % n}
        STATE["qrcodes"].append(dict(code, scene_str=scene))
        return code


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, fmt, *args):
        sys.stderr.write("fake wechat mp: " + (fmt % args) + "\n")

    def do_GET(self):
        url = urllib.parse.urlsplit(self.path)
        query = dict(urllib.parse.parse_qsl(url.query, keep_blank_values=True))
        if url.path == "/cgi-bin/token":
            return reply(self, token(query))
        if url.path == "/_control/state":
            with LOCK:
                return reply(self, {"token_calls": STATE["token_calls"],
                                    "messages": STATE["messages"],
                                    "qrcodes": STATE["qrcodes"]})
        return reply(self, {"error": "not found"}, 404)

    def do_POST(self):
        url = urllib.parse.urlsplit(self.path)
        query = dict(urllib.parse.parse_qsl(url.query, keep_blank_values=True))
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(min(length, 64 * 1024)) if length else b""
        if url.path == "/cgi-bin/message/template/send":
            return reply(self, send(query, body))
        if url.path == "/cgi-bin/qrcode/create":
            return reply(self, qrcode(query, body))
        if url.path == "/_control/expire":
            with LOCK:
                STATE["expired"] |= STATE["live"]
                STATE["live"] = set()
            return reply(self, {"ok": True})
        return reply(self, {"error": "not found"}, 404)


def main():
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    print("port %d" % server.server_address[1], flush=True)
    try:
        server.serve_forever()
    except (KeyboardInterrupt, SystemExit):
        pass


if __name__ == "__main__":
    main()
