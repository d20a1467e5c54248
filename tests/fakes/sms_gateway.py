#!/usr/bin/python3
"""Fake SMS gateway for idpd's notify/sms_gateway_sender.h: POST <any path> with JSON
{"to": "+86…", "text": "…"} (and "Authorization: Bearer <token>" when --token is given) →
200 {"ok": true}; a body without both strings → 400. Tests read what arrived:
GET /_control/messages[?to=+86…] → {"messages": [{"to", "text"}…]}, oldest first.
Listens on 127.0.0.1 (an ephemeral port unless --port), prints "port N" once it accepts.
Python 3 standard library only; runs until SIGTERM or SIGINT.
"""
import argparse
import json
import signal
import sys
import threading
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

LOCK = threading.Lock()
MESSAGES = []
TOKEN = ""


def reply(handler, body, status=200):
    data = json.dumps(body, ensure_ascii=False).encode()
    handler.send_response(status)
    handler.send_header("Content-Type", "application/json; charset=utf-8")
    handler.send_header("Content-Length", str(len(data)))
    handler.end_headers()
    handler.wfile.write(data)


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, fmt, *args):
        sys.stderr.write("fake sms gateway: " + (fmt % args) + "\n")

    def do_GET(self):
        url = urllib.parse.urlsplit(self.path)
        if url.path != "/_control/messages":
            return reply(self, {"error": "not found"}, 404)
        query = dict(urllib.parse.parse_qsl(url.query, keep_blank_values=True))
        with LOCK:
            found = [m for m in MESSAGES if "to" not in query or m["to"] == query["to"]]
        return reply(self, {"messages": found})

    def do_POST(self):
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(min(length, 64 * 1024)) if length else b""
        if TOKEN and self.headers.get("Authorization") != "Bearer " + TOKEN:
            return reply(self, {"error": "unauthorized"}, 401)
        try:
            message = json.loads(body)
        except ValueError:
            return reply(self, {"error": "not json"}, 400)
        if not isinstance(message, dict) or not isinstance(message.get("to"), str) or \
                not isinstance(message.get("text"), str):
            return reply(self, {"error": "to and text are required"}, 400)
        with LOCK:
            MESSAGES.append({"to": message["to"], "text": message["text"]})
        return reply(self, {"ok": True})


def main():
    global TOKEN
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--token", default="")
    args = parser.parse_args()
    TOKEN = args.token
    server = ThreadingHTTPServer(("127.0.0.1", args.port), Handler)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    print("port %d" % server.server_address[1], flush=True)
    try:
        server.serve_forever()
    except (KeyboardInterrupt, SystemExit):
        pass


if __name__ == "__main__":
    main()
