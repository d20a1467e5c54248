#include "http/router.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace idpd::http {
namespace {

HttpRequest request(Method method, std::string path, std::string accept = "application/json") {
    HttpRequest req;
    req.method = method;
    req.path = std::move(path);
    req.headers.set("Accept", std::move(accept));
    return req;
}

Handler answer(std::string text) {
    return [text](const HttpRequest& req) {
        std::string body = text;
        for (const auto& [k, v] : req.path_params) {
            body += " " + k + "=" + v;
        }
        return HttpResponse::text(200, body);
    };
}

TEST(Router, PathParametersReachTheHandler) {
    Router r;
    r.add(Method::get, "/users/:id/emails/:email", answer("emails"));
    auto req = request(Method::get, "/users/42/emails/a@b.c");
    auto res = r.dispatch(req);
    EXPECT_EQ(res.status, 200);
    EXPECT_EQ(res.body, "emails email=a@b.c id=42");
    EXPECT_EQ(req.route, "/users/:id/emails/:email");
}

TEST(Router, LiteralSegmentWinsOverParameter) {
    Router r;
    r.add(Method::get, "/users/:id", answer("by id"));
    r.add(Method::get, "/users/me", answer("me"));
    auto req = request(Method::get, "/users/me");
    EXPECT_EQ(r.dispatch(req).body, "me");
}

TEST(Router, WildcardTakesTheRestOfThePath) {
    Router r;
    r.add(Method::get, "/static/*file", answer("static"));
    auto req = request(Method::get, "/static/css/idpd.css");
    EXPECT_EQ(r.dispatch(req).body, "static file=css/idpd.css");
}

TEST(Router, UnknownPathIs404JsonForApiClients) {
    Router r;
    r.add(Method::get, "/healthz", answer("ok"));
    auto req = request(Method::get, "/nope");
    auto res = r.dispatch(req);
    EXPECT_EQ(res.status, 404);
    EXPECT_EQ(res.headers.get("Content-Type"), "application/json");
    EXPECT_EQ(nlohmann::json::parse(res.body)["error"], "not_found");
}

TEST(Router, UnknownPathIs404PageForBrowsers) {
    Router r;
    auto req = request(Method::get, "/nope", "text/html,application/xhtml+xml,*/*;q=0.8");
    auto res = r.dispatch(req);
    EXPECT_EQ(res.status, 404);
    EXPECT_EQ(res.headers.get("Content-Type"), "text/html; charset=utf-8");
    EXPECT_NE(res.body.find("404 Not Found"), std::string::npos);
}

TEST(Router, WrongMethodIs405WithAllow) {
    Router r;
    r.add(Method::get, "/token", answer("get"));
    r.add(Method::post, "/token", answer("post"));
    auto req = request(Method::del, "/token");
    auto res = r.dispatch(req);
    EXPECT_EQ(res.status, 405);
    EXPECT_EQ(res.headers.get("Allow"), "GET, POST, HEAD");
}

TEST(Router, HeadFallsBackToGet) {
    Router r;
    r.add(Method::get, "/healthz", answer("ok"));
    auto req = request(Method::head, "/healthz");
    EXPECT_EQ(r.dispatch(req).status, 200);
}

TEST(Router, OptionsListsTheMethods) {
    Router r;
    r.add(Method::post, "/token", answer("post"));
    auto req = request(Method::options, "/token");
    auto res = r.dispatch(req);
    EXPECT_EQ(res.status, 204);
    EXPECT_EQ(res.headers.get("Allow"), "POST, OPTIONS");
}

TEST(Router, EmptySegmentDoesNotMatchAParameter) {
    Router r;
    r.add(Method::get, "/users/:id", answer("user"));
    auto req = request(Method::get, "/users/");
    EXPECT_EQ(r.dispatch(req).status, 404);
}

TEST(Router, DuplicateRouteIsAStartUpError) {
    Router r;
    r.add(Method::get, "/a", answer("a"));
    EXPECT_THROW(r.add(Method::get, "/a", answer("b")), std::invalid_argument);
    EXPECT_THROW(r.add(Method::get, "/x/*rest/y", answer("b")), std::invalid_argument);
}

TEST(Router, AnUnknownPathGoesToTheNotFoundHandlerWhenThereIsOne) {
    Router r;
    r.add(Method::get, "/known", answer("known"));
    auto plain = request(Method::get, "/unknown");
    EXPECT_EQ(r.dispatch(plain).status, 404);
    r.set_not_found(
        [](const HttpRequest& req) { return HttpResponse::text(404, "styled " + req.path); });
    auto styled = request(Method::get, "/unknown");
    auto res = r.dispatch(styled);
    EXPECT_EQ(res.status, 404);
    EXPECT_EQ(res.body, "styled /unknown");
    // A known path with another method is still a 405, not the not-found page.
    auto wrong_method = request(Method::post, "/known");
    EXPECT_EQ(r.dispatch(wrong_method).status, 405);
}

}  // namespace
}  // namespace idpd::http
