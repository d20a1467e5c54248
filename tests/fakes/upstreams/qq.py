"""Fake QQ Connect (QQ互联) website login, as documented:
  https://wiki.connect.qq.com/使用authorization_code获取access_token
    GET /oauth2.0/authorize?response_type=code&client_id&redirect_uri&state&scope
        → redirect_uri?code=CODE&state=STATE
    GET /oauth2.0/token?grant_type=authorization_code&client_id&client_secret&code&redirect_uri
        → "access_token=…&expires_in=7776000&refresh_token=…" (form-encoded); errors as the
        JSONP-style body callback( {"error":100020,"error_description":"code is reused error"} );
  https://wiki.connect.qq.com/获取用户openid_oauth2-0   https://wiki.connect.qq.com/unionid介绍
    GET /oauth2.0/me?access_token[&unionid=1] → callback( {"client_id":"…","openid":"…",
        "unionid":"…"} );
  https://wiki.connect.qq.com/get_user_info
    GET /user/get_user_info?access_token&oauth_consumer_key&openid → {"ret":0,"msg":"",
        "nickname","figureurl_qq_1","figureurl_qq_2","gender"}; errors {"ret":N,"msg":"…"}
    (100016 access token check failed, 1002 请先登录)
A refusal redirects with error=access_denied (RFC 6749 §4.1.2.1, as QQ's OAuth 2.0 follows).
Mounted at /qq (graph.qq.com).
"""
import json
import urllib.parse

from .common import Upstream, json_reply, redirect, Reply

STATE = Upstream("qq", "101000001", "fake-qq-appkey", {
    "openid": "8D6B5E9C0A1B2C3D4E5F60718293A4B5", "unionid": "UID_0D8F2A6C4B3E1F5A7C9D",
    "nickname": "QQ用户", "figureurl_qq_2": "http://thirdqq.qlogo.cn/fake/100",
})


def jsonp(obj):
    return Reply(200, "callback( " + json.dumps(obj, ensure_ascii=False) + " );\n",
                 "text/html; charset=utf-8")


def authorize(query):
    STATE.last_authorize = query
    if query.get("client_id") != STATE.client_id:
        return Reply(200, "<html>client id is illegal (100008)</html>", "text/html")
    target = query.get("redirect_uri", "")
    if STATE.mode == "deny":
        return redirect(target, {"error": "access_denied", "state": query.get("state", "")})
    return redirect(target, {"code": STATE.issue_code(query), "state": query.get("state", "")})


def token(query):
    if STATE.mode == "server_error":
        return Reply(500, "Internal Server Error", "text/html")
    if query.get("client_id") != STATE.client_id or query.get("client_secret") != STATE.client_secret:
        return jsonp({"error": 100013, "error_description": "access token is illegal"})
    entry = STATE.take_code(query.get("code", ""))
    if entry is None:
        return jsonp({"error": 100020, "error_description": "code is reused error"})
    if entry["redirect_uri"] != query.get("redirect_uri", ""):
        return jsonp({"error": 100010, "error_description": "redirect uri is illegal"})
    body = {"access_token": STATE.issue_token(entry["user"]), "expires_in": "7776000",
            "refresh_token": "fake-refresh"}
    if query.get("fmt") == "json":
        return json_reply(body)
    return Reply(200, urllib.parse.urlencode(body), "text/html; charset=utf-8")


def me(query):
    user = STATE.tokens.get(query.get("access_token", ""))
    if user is None:
        return jsonp({"error": 100016, "error_description": "access token check failed"})
    body = {"client_id": STATE.client_id, "openid": user["openid"]}
    if query.get("unionid") == "1" and user.get("unionid"):
        body["unionid"] = user["unionid"]
    return jsonp(body)


def get_user_info(query):
    user = STATE.tokens.get(query.get("access_token", ""))
    if user is None or query.get("openid") != user["openid"]:
        return json_reply({"ret": 100016, "msg": "access token check failed"})
    if STATE.mode == "api_error":
        return json_reply({"ret": 1002, "msg": "请先登录"})
    return json_reply({"ret": 0, "msg": "", "is_lost": 0, "nickname": user.get("nickname", ""),
                       "gender": "男", "figureurl_qq_1": user.get("figureurl_qq_2", ""),
                       "figureurl_qq_2": user.get("figureurl_qq_2", "")})


def handle(method, mount, path, query, form, headers):
    if mount != "qq" or method != "GET":
        return None
    routes = {"/oauth2.0/authorize": authorize, "/oauth2.0/token": token, "/oauth2.0/me": me,
              "/user/get_user_info": get_user_info}
    route = routes.get(path)
    return route(query) if route else None
