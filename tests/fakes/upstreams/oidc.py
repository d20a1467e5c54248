"""Fake OpenID Connect provider (GitLab, Google, a parent company's login), as specified:
  OpenID Connect Discovery 1.0 §4: GET /.well-known/openid-configuration (issuer,
    authorization_endpoint, token_endpoint, jwks_uri, …); the issuer is http://HOST:PORT/oidc
  OpenID Connect Core 1.0 §3.1.2 authorization request (response_type=code, client_id,
    redirect_uri, scope, state, nonce) + RFC 7636 PKCE; §3.1.2.6 errors by redirect
    (error=access_denied&state=…)
  §3.1.3 token endpoint with client_secret_basic; RFC 6749 §5.2 errors, HTTP 400
    {"error":"invalid_grant"}; the ID token (§2) is RS256 (RFC 7518 §3.3) with kid
  RFC 7517: GET /jwks → {"keys":[{"kty":"RSA","kid","use":"sig","alg":"RS256","n","e"}]}
Extra modes for its failures: bad_nonce, wrong_audience, bad_signature.
The signing key is a fixed 2048-bit test key (generated for this fake; it signs nothing else).
Mounted at /oidc.
"""
import base64
import hashlib
import json
import time

from .common import Upstream, json_reply, redirect, s256, Reply

N = 0xb2114aa786439fe9e2fa277fe44da0fde2e713d5f21772187f8f50e83a900b5c9ced9632c6a42074e2a8e6f5d012e064691687aa5c1e561ccca6d743194e8b51a01133901d13a137f1a48b20144e68483a6ce097146806f89c1092b3b45bc564dc8bcf1d4ab235f5909b7cf0c9cf5af8b92f19ff39dc2afcf46c4fecf6caa72197cd9eaf24a4010f31d51342b52b6fd5f080cc5238123a68dcfc76b5f9a2982e75669b6ccdedcfffba533ce11f10228fa5f1ffd7d30488ac8b6a9946e4c7aa4183846cefc23942fb25889e359ba281b99a0580cddaae34bb07329c099573ddd2405efb9db07fb27e591f183dcfbb52fafbe79e268f83151e2f484e4bfc0743a5
D = 0x3af78c07ddf38b54dc2d421185d9bdba0fd048d207173dfc31c794a58cdc397e3fa50de75e4aba31e38ec6db8d26ed4c6a54d8055d3d7d16bf4eb7fe9cb66c7697ba779f5b248b86d8f8021d53f93d3c6df3e1a3263b2cbc88bd943fe41f3146fec4d65967c98c21f7f362ba5754658539997d47828f6cd88d5b76b0a44087c1be26db6c5c04d8df1b784c179d9e99be98fa1974791df5217886abcfdde1f7f656e5cafc7f64ab30e05b951749b10e7d8f05a8dfedba927e38de4161379df995808947e5af0e9296f0fac6da1875372c33ef25bd8b395299d4182231b9ac506c20a6092199f52e50fb23c68666690e59939d72d6677f8620f4eea8d1d6519a1
E = 65537
KID = "fake-oidc-1"
STATE = Upstream("oidc", "fake-oidc-client", "fake-oidc-secret", {
    "sub": "248289761001", "preferred_username": "jdoe", "name": "Jane Doe",
    "email": "jane@corp.example", "email_verified": True,
})
ISSUER = {"value": ""}  # set from the Host of each request


def b64(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def int_bytes(n):
    return n.to_bytes((n.bit_length() + 7) // 8, "big")


def sign_rs256(claims):
    header = {"alg": "RS256", "typ": "JWT", "kid": KID}
    signing_input = (b64(json.dumps(header).encode()) + "." +
                     b64(json.dumps(claims).encode())).encode()
    # RFC 8017 §9.2 EMSA-PKCS1-v1_5 with the SHA-256 DigestInfo prefix.
    digest_info = bytes.fromhex("3031300d060960864801650304020105000420") + \
        hashlib.sha256(signing_input).digest()
    k = (N.bit_length() + 7) // 8
    em = b"\x00\x01" + b"\xff" * (k - len(digest_info) - 3) + b"\x00" + digest_info
    signature = pow(int.from_bytes(em, "big"), D, N).to_bytes(k, "big")
    if STATE.mode == "bad_signature":
        signature = bytes([signature[0] ^ 1]) + signature[1:]
    return signing_input.decode() + "." + b64(signature)


def discovery(issuer):
    return json_reply({
        "issuer": issuer, "authorization_endpoint": issuer + "/authorize",
        "token_endpoint": issuer + "/token", "jwks_uri": issuer + "/jwks",
        "response_types_supported": ["code"], "subject_types_supported": ["public"],
        "id_token_signing_alg_values_supported": ["RS256"],
        "code_challenge_methods_supported": ["S256"],
        "token_endpoint_auth_methods_supported": ["client_secret_basic"],
    })


def authorize(query):
    STATE.last_authorize = query
    target = query.get("redirect_uri", "")
    if query.get("client_id") != STATE.client_id:
        return json_reply({"error": "invalid_client"}, 400)
    if STATE.mode == "deny":
        return redirect(target, {"error": "access_denied", "state": query.get("state", "")})
    return redirect(target, {"code": STATE.issue_code(query), "state": query.get("state", "")})


def token(form, headers, issuer):
    expected = "Basic " + base64.b64encode(f"{STATE.client_id}:{STATE.client_secret}".encode()).decode()
    if headers.get("Authorization") != expected:
        return json_reply({"error": "invalid_client"}, 401)
    entry = STATE.take_code(form.get("code", ""))
    if entry is None or entry["redirect_uri"] != form.get("redirect_uri"):
        return json_reply({"error": "invalid_grant", "error_description": "code expired"}, 400)
    if entry["challenge"] and s256(form.get("code_verifier", "")) != entry["challenge"]:
        return json_reply({"error": "invalid_grant", "error_description": "PKCE failed"}, 400)
    now = int(time.time())
    claims = dict(entry["user"])
    claims.update({"iss": issuer, "aud": STATE.client_id, "iat": now, "exp": now + 300,
                   "nonce": entry["nonce"]})
    if STATE.mode == "bad_nonce":
        claims["nonce"] = "not-the-nonce"
    if STATE.mode == "wrong_audience":
        claims["aud"] = "another-client"
    return json_reply({"access_token": STATE.issue_token(entry["user"]), "token_type": "Bearer",
                       "expires_in": 300, "id_token": sign_rs256(claims)})


def jwks():
    return json_reply({"keys": [{"kty": "RSA", "kid": KID, "use": "sig", "alg": "RS256",
                                 "n": b64(int_bytes(N)), "e": b64(int_bytes(E))}]})


def handle(method, mount, path, query, form, headers):
    if mount != "oidc":
        return None
    issuer = "http://" + headers.get("Host", "127.0.0.1") + "/oidc"
    if method == "GET" and path == "/.well-known/openid-configuration":
        return discovery(issuer)
    if method == "GET" and path == "/authorize":
        return authorize(query)
    if method == "POST" and path == "/token":
        return token(form, headers, issuer)
    if method == "GET" and path == "/jwks":
        return jwks()
    return None
