#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "app/app.h"
#include "http/request.h"
#include "integration/test_captcha.h"

namespace idpd::testing_support {

// The issuer of the default configuration: the Origin a browser sends on our forms.
constexpr std::string_view origin = "http://localhost:8080";

// A browser: keeps cookies between requests, sends the issuer's Origin on POST.
class Browser {
public:
    explicit Browser(app::App& app) : app_(app) {}

    http::HttpResponse get(std::string path, std::string accept_language = "") {
        http::HttpRequest req = request(http::Method::get, std::move(path));
        if (!accept_language.empty()) {
            req.headers.set("Accept-Language", accept_language);
        }
        return send(req);
    }

    http::HttpResponse post(std::string path, const std::map<std::string, std::string>& fields,
                            std::optional<std::string> origin_header = std::string(origin)) {
        http::HttpRequest req = request(http::Method::post, std::move(path));
        req.headers.set("Content-Type", "application/x-www-form-urlencoded");
        if (origin_header) {
            req.headers.set("Origin", *origin_header);
        }
        for (const auto& [k, v] : fields) {
            if (!req.body.empty()) {
                req.body.push_back('&');
            }
            req.body.append(http::url_encode(k)).append("=").append(http::url_encode(v));
        }
        return send(req);
    }

    // GETs `page` and POSTs `fields` with the form's CSRF token, and the answer to its captcha
    // when it has one (unless `fields` has its own).
    http::HttpResponse submit(const std::string& page, const std::string& action,
                              std::map<std::string, std::string> fields) {
        auto form = get(page);
        fields.emplace("csrf", csrf_of(form.body));
        fields.merge(captcha_of(form.body));
        return post(action, fields);
    }

    // The captcha fields a person would send for the form in `html`: its id and the code
    // (captcha_answer). Empty when the form has no captcha.
    std::map<std::string, std::string> captcha_of(const std::string& html) const {
        const std::string id = input_value(html, "captcha_id");
        if (id.empty()) {
            return {};
        }
        return {{"captcha_id", id}, {"captcha", captcha_answer}};
    }

    static std::string csrf_of(const std::string& html) {
        const std::string marker = "name=\"csrf\" value=\"";
        auto at = html.find(marker);
        if (at == std::string::npos) {
            return {};
        }
        at += marker.size();
        return html.substr(at, html.find('"', at) - at);
    }

    // The value of the first input named `name`, unescaped as a browser would.
    static std::string input_value(const std::string& html, const std::string& name) {
        auto at = html.find("name=\"" + name + "\"");
        if (at == std::string::npos) {
            return {};
        }
        at = html.find("value=\"", at);
        if (at == std::string::npos) {
            return {};
        }
        at += 7;
        std::string value = html.substr(at, html.find('"', at) - at);
        for (const auto& [entity, text] : std::vector<std::pair<std::string, std::string>>{
                 {"&quot;", "\""}, {"&#39;", "'"}, {"&lt;", "<"}, {"&gt;", ">"}, {"&amp;", "&"}}) {
            for (auto p = value.find(entity); p != std::string::npos;
                 p = value.find(entity, p + text.size())) {
                value.replace(p, entity.size(), text);
            }
        }
        return value;
    }

    std::map<std::string, std::string> cookies;
    // What this person types for a captcha: AppTest's known code (integration/test_captcha.h).
    std::string captcha_answer = test_captcha_answer();
    std::string accept_language;  // sent on every request unless get() names another
    std::string user_agent = "Mozilla/5.0 (X11; Linux x86_64) Chrome/120.0 Safari/537.36";

private:
    http::HttpRequest request(http::Method method, std::string path) {
        http::HttpRequest req;
        req.method = method;
        auto q = path.find('?');
        if (q != std::string::npos) {
            req.query = path.substr(q + 1);
            path.resize(q);
        }
        req.path = path;
        req.peer_ip = "198.51.100.9";
        req.headers.set("Accept", "text/html");
        req.headers.set("User-Agent", user_agent);
        if (!accept_language.empty()) {
            req.headers.set("Accept-Language", accept_language);
        }
        std::string jar;
        for (const auto& [name, value] : cookies) {
            jar += (jar.empty() ? "" : "; ") + name + "=" + value;
        }
        if (!jar.empty()) {
            req.headers.set("Cookie", jar);
        }
        return req;
    }

    http::HttpResponse send(http::HttpRequest& req) {
        auto response = app_.handle(req);
        for (const auto& [name, value] : response.headers.fields()) {
            if (name != "Set-Cookie") {
                continue;
            }
            auto eq = value.find('=');
            auto semi = value.find(';');
            std::string cookie = value.substr(0, eq);
            std::string v = value.substr(eq + 1, semi - eq - 1);
            if (value.find("Max-Age=0") != std::string::npos) {
                cookies.erase(cookie);
            } else {
                cookies[cookie] = v;
            }
        }
        return response;
    }

    app::App& app_;
};

}  // namespace idpd::testing_support
