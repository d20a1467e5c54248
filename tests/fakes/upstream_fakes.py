#!/usr/bin/python3
"""Loopback fakes of idpd's upstreams (tests/fakes/upstreams/*.py), in one process.

Listens on 127.0.0.1 on an ephemeral port and prints "port N" on stdout once it accepts.
Each upstream is mounted under its own first path segment, so idpd's base URLs point at
http://127.0.0.1:N/<mount> and the paths below them are the real ones:
  github, github-api · bitbucket, bitbucket-api · wechat-open, wechat-api · qq · oidc
Tests drive the fakes through /_control/<name>/... (upstreams/common.py). Python 3 standard
library only. Runs until SIGTERM or SIGINT.
"""
import json
import os
import signal
import sys
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from upstreams import bitbucket, github, oidc, qq, wechat  # noqa: E402

MODULES = {"github": github, "bitbucket": bitbucket, "wechat": wechat, "qq": qq, "oidc": oidc}
MAX_BODY = 64 * 1024


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, fmt, *args):
        sys.stderr.write("fake upstream: " + (fmt % args) + "\n")

    def send(self, reply):
        self.send_response(reply.status)
        self.send_header("Content-Type", reply.content_type)
        self.send_header("Content-Length", str(len(reply.body)))
        for name, value in reply.headers.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(reply.body)

    def control(self, name, action, body):
        module = MODULES.get(name)
        if module is None:
            return github.json_reply({"error": "no such fake"}, 404)
        if action == "user" and self.command == "POST":
            module.STATE.user = json.loads(body or b"{}")
        elif action == "mode" and self.command == "POST":
            module.STATE.mode = json.loads(body or b"{}").get("mode", "normal")
        elif action == "last_authorize":
            return github.json_reply(module.STATE.last_authorize)
        else:
            return github.json_reply({"error": "unknown control"}, 404)
        return github.json_reply({"ok": True})

    def dispatch(self):
        url = urllib.parse.urlsplit(self.path)
        query = dict(urllib.parse.parse_qsl(url.query, keep_blank_values=True))
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(min(length, MAX_BODY)) if length else b""
        form = {}
        if "application/x-www-form-urlencoded" in (self.headers.get("Content-Type") or ""):
            form = dict(urllib.parse.parse_qsl(body.decode(), keep_blank_values=True))
        parts = url.path.split("/")
        if len(parts) >= 4 and parts[1] == "_control":
            return self.send(self.control(parts[2], parts[3], body))
        mount = parts[1] if len(parts) > 1 else ""
        path = "/" + "/".join(parts[2:])
        headers = {k: v for k, v in self.headers.items()}
        for module in MODULES.values():
            reply = module.handle(self.command, mount, path, query, form, headers)
            if reply is not None:
                return self.send(reply)
        self.send(github.json_reply({"message": "Not Found"}, 404))

    do_GET = dispatch
    do_POST = dispatch


def main():
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    signal.signal(signal.SIGTERM, lambda *_: os._exit(0))
    print(f"port {server.server_address[1]}", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
