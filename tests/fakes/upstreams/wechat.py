"""Fake WeChat Open Platform website login, as documented ("网站应用微信登录开发指南"):
  https://developers.weixin.qq.com/doc/oplatform/Website_App/WeChat_Login/Wechat_Login.html
    GET /connect/qrconnect?appid&redirect_uri&response_type=code&scope=snsapi_login&state
        #wechat_redirect. Approved: redirect_uri?code=CODE&state=STATE. Refused: "用户禁止授权，
        则重定向后不会带上code参数，仅会带上state参数" → redirect_uri?state=STATE.
    GET /sns/oauth2/access_token?appid&secret&code&grant_type=authorization_code →
        {"access_token","expires_in":7200,"refresh_token","openid","scope","unionid"}
  https://developers.weixin.qq.com/doc/oplatform/Website_App/WeChat_Login/Authorized_Interface_Calling_UnionID.html
    GET /sns/userinfo?access_token&openid → {"openid","nickname","sex","province","city",
        "country","headimgurl","privilege":[],"unionid"}
  Errors are HTTP 200 with {"errcode":N,"errmsg":"…"}: 40029 invalid code, 40163 code been
  used, 40125 invalid appsecret, 40001/42001 bad or expired access_token, 40003 invalid openid.
The unionid is present only when the website app is under an Open Platform account; a user
with "unionid": null in the control profile gets none. Mounted at /wechat-open and /wechat-api.
"""
from .common import Upstream, json_reply, redirect, Reply

STATE = Upstream("wechat", "wxfakeappid000001", "fake-wechat-secret", {
    "openid": "oLVPpjqs9BhvzwPj5A-vTYAX3GLc", "unionid": "o6_bmasdasdsad6_2sgVt7hMZOPfL",
    "nickname": "微信用户", "headimgurl": "https://thirdwx.qlogo.cn/mmopen/fake/0",
})


def qrconnect(query):
    STATE.last_authorize = query
    if query.get("appid") != STATE.client_id or query.get("scope") != "snsapi_login":
        return Reply(200, "<html><body>Scope 参数错误或没有 Scope 权限</body></html>",
                     "text/html; charset=utf-8")
    target = query.get("redirect_uri", "")
    if STATE.mode == "deny":
        return redirect(target, {"state": query.get("state", "")})
    return redirect(target, {"code": STATE.issue_code(query), "state": query.get("state", "")})


def access_token(query):
    if STATE.mode == "server_error":
        return Reply(503, "Service Unavailable", "text/plain")
    if query.get("appid") != STATE.client_id or query.get("secret") != STATE.client_secret:
        return json_reply({"errcode": 40125, "errmsg": "invalid appsecret, rid: 6a1b2c3d-fake"})
    if query.get("grant_type") != "authorization_code":
        return json_reply({"errcode": 40002, "errmsg": "invalid grant_type"})
    entry = STATE.take_code(query.get("code", ""))
    if entry is None:
        return json_reply({"errcode": 40029, "errmsg": "invalid code, rid: 6a1b2c3d-fake"})
    user = entry["user"]
    body = {"access_token": STATE.issue_token(user), "expires_in": 7200,
            "refresh_token": "fake-refresh", "openid": user["openid"], "scope": "snsapi_login"}
    if user.get("unionid"):
        body["unionid"] = user["unionid"]
    return json_reply(body)


def userinfo(query):
    user = STATE.tokens.get(query.get("access_token", ""))
    if user is None:
        return json_reply({"errcode": 40001, "errmsg": "invalid credential, access_token is invalid or not latest"})
    if STATE.mode == "api_error":
        return json_reply({"errcode": -1, "errmsg": "system error"})
    if query.get("openid") != user["openid"]:
        return json_reply({"errcode": 40003, "errmsg": "invalid openid"})
    body = {"openid": user["openid"], "nickname": user.get("nickname", ""), "sex": 0,
            "province": "", "city": "", "country": "CN",
            "headimgurl": user.get("headimgurl", ""), "privilege": []}
    if user.get("unionid"):
        body["unionid"] = user["unionid"]
    return json_reply(body)


def handle(method, mount, path, query, form, headers):
    if mount == "wechat-open" and method == "GET" and path == "/connect/qrconnect":
        return qrconnect(query)
    if mount == "wechat-api" and method == "GET" and path == "/sns/oauth2/access_token":
        return access_token(query)
    if mount == "wechat-api" and method == "GET" and path == "/sns/userinfo":
        return userinfo(query)
    return None
