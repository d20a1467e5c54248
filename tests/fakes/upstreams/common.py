"""What every fake upstream shares: its test-controlled state and small HTTP helpers.

A test (or the e2e harness) drives a fake through /_control/<name>/...:
  POST /_control/<name>/user   JSON profile of the user who "signs in" upstream next
  POST /_control/<name>/mode   {"mode": M}: normal | deny (the user refuses) | expire_code (the
                               token endpoint finds the code expired) | api_error (the profile
                               API fails) | server_error (the token endpoint answers 500)
  GET  /_control/<name>/last_authorize   the query of the last authorization request
"""
import json
import secrets
import time
import urllib.parse

CODE_TTL = 600  # GitHub: "codes expire after 10 minutes"; the others document 5-10 minutes


class Upstream:
    def __init__(self, name, client_id, client_secret, user):
        self.name = name
        self.client_id = client_id
        self.client_secret = client_secret
        self.user = user
        self.mode = "normal"
        self.codes = {}   # code -> {"user", "redirect_uri", "challenge", "nonce", "expires"}
        self.tokens = {}  # access token -> user
        self.last_authorize = {}

    def issue_code(self, query):
        code = secrets.token_hex(10)
        self.codes[code] = {
            "user": dict(self.user),
            "redirect_uri": query.get("redirect_uri", ""),
            "challenge": query.get("code_challenge", ""),
            "nonce": query.get("nonce", ""),
            "client_id": query.get("client_id") or query.get("appid", ""),
            "expires": time.time() + CODE_TTL,
        }
        return code

    # The code's record, used up; None when unknown, used or (in expire_code mode) expired.
    def take_code(self, code):
        entry = self.codes.pop(code, None)
        if entry is None or self.mode == "expire_code" or entry["expires"] < time.time():
            return None
        return entry

    def issue_token(self, user):
        token = secrets.token_urlsafe(24)
        self.tokens[token] = user
        return token


class Reply:
    def __init__(self, status=200, body=b"", content_type="application/json; charset=utf-8",
                 headers=None):
        self.status = status
        self.body = body if isinstance(body, bytes) else body.encode()
        self.content_type = content_type
        self.headers = headers or {}


def json_reply(obj, status=200):
    return Reply(status, json.dumps(obj, ensure_ascii=False))


def redirect(url, params):
    sep = "&" if "?" in url else "?"
    return Reply(302, b"", "text/plain", {"Location": url + sep + urllib.parse.urlencode(params)})


def bearer(headers, scheme="Bearer"):
    value = headers.get("Authorization", "")
    for prefix in (scheme + " ", scheme.lower() + " ", "token "):
        if value.startswith(prefix):
            return value[len(prefix):]
    return ""


def s256(verifier):
    import base64
    import hashlib
    digest = hashlib.sha256(verifier.encode()).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()
