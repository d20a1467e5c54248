"""Fake Bitbucket Cloud OAuth 2.0 consumer and API, as documented:
  https://developer.atlassian.com/cloud/bitbucket/oauth-2/
    GET  /site/oauth2/authorize?client_id&response_type=code&state[&redirect_uri]
    POST /site/oauth2/access_token, HTTP Basic client_id:secret, grant_type=authorization_code,
         code[, redirect_uri] → {"access_token","scopes","expires_in","refresh_token",
         "token_type":"bearer"}; errors HTTP 400 {"error":"invalid_grant","error_description"}
  https://developer.atlassian.com/cloud/bitbucket/rest/api-group-users/
    GET /2.0/user → {"uuid":"{…}","account_id","username","display_name","links":{"avatar":
        {"href"}}}; GET /2.0/user/emails → {"values":[{"email","is_primary","is_confirmed",
        "type":"email"}],"pagelen","page","size"}; 401 {"type":"error","error":{"message"}}
Mounted at /bitbucket (bitbucket.org) and /bitbucket-api (api.bitbucket.org).
"""
import base64

from .common import Upstream, bearer, json_reply, redirect, s256, Reply

STATE = Upstream("bitbucket", "fakebitbucketkey", "fake-bitbucket-secret", {
    "uuid": "{d1c2b3a4-0000-4000-8000-000000000123}", "account_id": "557058:fake",
    "username": "bitbucketeer", "display_name": "Bit Bucketeer",
    "emails": [{"email": "bb@bitbucket.example", "is_primary": True, "is_confirmed": True}],
})


def authorize(query):
    STATE.last_authorize = query
    if query.get("client_id") != STATE.client_id:
        return json_reply({"error": "invalid_client", "error_description": "Invalid client_id"}, 400)
    target = query.get("redirect_uri", "")
    if STATE.mode == "deny":
        return redirect(target, {"error": "access_denied",
                                 "error_description": "The user denied access.",
                                 "state": query.get("state", "")})
    return redirect(target, {"code": STATE.issue_code(query), "state": query.get("state", "")})


def access_token(form, headers):
    expected = "Basic " + base64.b64encode(
        f"{STATE.client_id}:{STATE.client_secret}".encode()).decode()
    if headers.get("Authorization") != expected:
        return json_reply({"error": "invalid_client", "error_description": "Invalid OAuth client credentials"}, 400)
    entry = STATE.take_code(form.get("code", ""))
    if entry is None or form.get("grant_type") != "authorization_code":
        return json_reply({"error": "invalid_grant",
                           "error_description": "The specified code is not valid."}, 400)
    if entry["challenge"] and s256(form.get("code_verifier", "")) != entry["challenge"]:
        return json_reply({"error": "invalid_grant", "error_description": "PKCE verification failed"}, 400)
    return json_reply({"access_token": STATE.issue_token(entry["user"]), "scopes": "account email",
                       "expires_in": 7200, "refresh_token": "fake", "token_type": "bearer"})


def api(path, headers):
    user = STATE.tokens.get(bearer(headers))
    if user is None:
        return json_reply({"type": "error", "error": {"message": "Access token expired."}}, 401)
    if STATE.mode == "api_error":
        return json_reply({"type": "error", "error": {"message": "Something went wrong"}}, 500)
    if path == "/2.0/user/emails":
        values = [{"email": e["email"], "is_primary": e["is_primary"],
                   "is_confirmed": e["is_confirmed"], "type": "email"} for e in user["emails"]]
        return json_reply({"values": values, "pagelen": 10, "page": 1, "size": len(values)})
    return json_reply({"uuid": user["uuid"], "account_id": user["account_id"],
                       "username": user["username"], "display_name": user["display_name"],
                       "type": "user", "links": {"avatar": {"href": "https://bitbucket.example/a.png"}}})


def handle(method, mount, path, query, form, headers):
    if mount == "bitbucket" and method == "GET" and path == "/site/oauth2/authorize":
        return authorize(query)
    if mount == "bitbucket" and method == "POST" and path == "/site/oauth2/access_token":
        return access_token(form, headers)
    if mount == "bitbucket-api" and method == "GET" and path in ("/2.0/user", "/2.0/user/emails"):
        return api(path, headers)
    return None
