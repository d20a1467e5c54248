"""Fake GitHub OAuth app endpoints and REST API, as documented:
  https://docs.github.com/en/apps/oauth-apps/building-oauth-apps/authorizing-oauth-apps
    GET  /login/oauth/authorize (client_id, redirect_uri, scope, state, code_challenge,
         code_challenge_method=S256); a refusal redirects with error=access_denied,
         error_description, error_uri and state
    POST /login/oauth/access_token (client_id, client_secret, code, redirect_uri, code_verifier);
         with Accept: application/json → {"access_token","scope","token_type":"bearer"}
  https://docs.github.com/en/apps/oauth-apps/maintaining-oauth-apps/troubleshooting-oauth-app-access-token-request-errors
    errors answered with HTTP 200 and {"error","error_description","error_uri"}:
    incorrect_client_credentials, redirect_uri_mismatch, bad_verification_code
  https://docs.github.com/en/rest/users/users#get-the-authenticated-user     GET /user
  https://docs.github.com/en/rest/users/emails#list-email-addresses-for-the-authenticated-user
    GET /user/emails → [{"email","primary","verified","visibility"}]
  401 answers: {"message":"Bad credentials","documentation_url":"https://docs.github.com/rest"}
Mounted at /github (github.com) and /github-api (api.github.com).
"""
import urllib.parse

from .common import Upstream, bearer, json_reply, redirect, s256, Reply

STATE = Upstream("github", "fake-github-id", "fake-github-secret", {
    "id": 583231, "login": "octocat", "name": "The Octocat",
    "avatar_url": "https://avatars.githubusercontent.com/u/583231?v=4",
    "emails": [{"email": "octocat@github.example", "primary": True, "verified": True,
                "visibility": "public"}],
})

DOCS = "https://docs.github.com/apps/managing-oauth-apps/troubleshooting-oauth-app-access-token-request-errors"


def token_error(error, description, accept):
    body = {"error": error, "error_description": description, "error_uri": DOCS + "/#" + error}
    if "application/json" in accept:
        return json_reply(body)
    return Reply(200, urllib.parse.urlencode(body), "application/x-www-form-urlencoded")


def authorize(query):
    STATE.last_authorize = query
    if query.get("client_id") != STATE.client_id:
        return Reply(404, "Not Found", "text/html")
    target = query.get("redirect_uri", "")
    if STATE.mode == "deny":
        return redirect(target, {"error": "access_denied",
                                 "error_description": "The user has denied your application access.",
                                 "error_uri": "https://docs.github.com/apps/managing-oauth-apps/troubleshooting-authorization-request-errors/#access-denied",
                                 "state": query.get("state", "")})
    return redirect(target, {"code": STATE.issue_code(query), "state": query.get("state", "")})


def access_token(form, headers):
    accept = headers.get("Accept", "")
    if STATE.mode == "server_error":
        return Reply(502, "<html>Unicorn!</html>", "text/html")
    if form.get("client_id") != STATE.client_id or form.get("client_secret") != STATE.client_secret:
        return token_error("incorrect_client_credentials",
                           "The client_id and/or client_secret passed are incorrect.", accept)
    entry = STATE.take_code(form.get("code", ""))
    if entry is None:
        return token_error("bad_verification_code", "The code passed is incorrect or expired.", accept)
    if entry["redirect_uri"] != form.get("redirect_uri", ""):
        return token_error("redirect_uri_mismatch",
                           "The redirect_uri MUST match the registered callback URL for this application.",
                           accept)
    if entry["challenge"] and s256(form.get("code_verifier", "")) != entry["challenge"]:
        return token_error("bad_verification_code", "The code passed is incorrect or expired.", accept)
    token = "gho_" + STATE.issue_token(entry["user"])
    STATE.tokens[token] = entry["user"]
    body = {"access_token": token, "scope": "read:user,user:email", "token_type": "bearer"}
    if "application/json" in accept:
        return json_reply(body)
    return Reply(200, urllib.parse.urlencode(body), "application/x-www-form-urlencoded")


def api_user(headers, emails):
    user = STATE.tokens.get(bearer(headers))
    if user is None:
        return json_reply({"message": "Bad credentials",
                           "documentation_url": "https://docs.github.com/rest"}, 401)
    if STATE.mode == "api_error":
        return json_reply({"message": "Server Error"}, 500)
    if emails:
        return json_reply(user.get("emails", []))
    primary = next((e["email"] for e in user.get("emails", []) if e.get("primary")), None)
    return json_reply({"login": user["login"], "id": user["id"], "node_id": "MDQ6VXNlcjE=",
                       "avatar_url": user.get("avatar_url", ""), "type": "User",
                       "name": user.get("name"), "email": primary})


def handle(method, mount, path, query, form, headers):
    if mount == "github" and method == "GET" and path == "/login/oauth/authorize":
        return authorize(query)
    if mount == "github" and method == "POST" and path == "/login/oauth/access_token":
        return access_token(form, headers)
    if mount == "github-api" and method == "GET" and path in ("/user", "/user/emails"):
        return api_user(headers, path == "/user/emails")
    return None
