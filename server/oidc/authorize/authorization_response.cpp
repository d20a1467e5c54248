#include "oidc/authorize/authorization_response.h"

#include <spdlog/spdlog.h>

#include "http/errors.h"

namespace idpd::oidc {
namespace {

// The CSP source naming where the form may post: the origin of an http(s) URI, the scheme of a
// private-use one. Never the path or query, which may hold ';' or ','.
std::string form_action_source(std::string_view uri) {
    const auto colon = uri.find(':');
    if (colon == std::string_view::npos) {
        return "'none'";
    }
    const std::string_view rest = uri.substr(colon + 1);
    if (!rest.starts_with("//")) {
        return std::string(uri.substr(0, colon + 1));
    }
    const auto end = rest.find_first_of("/?", 2);
    return std::string(uri.substr(0, colon + 1)) + std::string(rest.substr(0, end));
}

http::HttpResponse no_store(http::HttpResponse response) {
    response.headers.set("Cache-Control", "no-store");
    response.headers.set("Pragma", "no-cache");
    return response;
}

}  // namespace

http::HttpResponse authorization_response(ResponseMode mode, const std::string& redirect_uri,
                                          const ResponseParams& params) {
    if (mode == ResponseMode::query) {
        std::string location = redirect_uri;
        char separator = location.find('?') == std::string::npos ? '?' : '&';
        for (const auto& [name, value] : params) {
            location += separator;
            location += http::url_encode(name);
            location += '=';
            location += http::url_encode(value);
            separator = '&';
        }
        return no_store(http::HttpResponse::redirect(303, std::move(location)));
    }
    std::string body = R"(<!doctype html>
<html><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Continue</title></head>
<body><form method="post" action=")" +
                       http::html_escape(redirect_uri) + "\">\n";
    for (const auto& [name, value] : params) {
        body += R"(<input type="hidden" name=")" + http::html_escape(name) + R"(" value=")" +
                http::html_escape(value) + "\">\n";
    }
    body += "<button type=\"submit\">Continue</button>\n</form></body></html>\n";
    auto response = no_store(http::HttpResponse::html(200, std::move(body)));
    response.headers.set("Content-Security-Policy",
                         "default-src 'none'; form-action " + form_action_source(redirect_uri) +
                             "; frame-ancestors 'none'; base-uri 'none'");
    return response;
}

http::HttpResponse authorize_error_page(const http::HttpRequest& req, const Error& error,
                                        const RefusalPage& page) {
    int status = http_status(error.code);
    if (status == 401) {
        status = 400;
    }
    std::string description = error.description;
    if (status >= 500) {
        spdlog::error("request {}: {}: {} ({})", req.request_id, wire_name(error.code),
                      error.description, error.detail);
        description = "the server could not complete the request; request id " + req.request_id;
    } else if (!error.detail.empty()) {
        spdlog::info("request {}: {}: {} ({})", req.request_id, wire_name(error.code),
                     error.description, error.detail);
    }
    if (page) {
        return no_store(page(req, Refusal{status, std::string(wire_name(error.code)),
                                          sanitize_description(description)}));
    }
    std::string body =
        R"(<!doctype html>
<html><head><meta charset="utf-8"><title>Sign-in request refused</title></head>
<body><h1>Sign-in request refused</h1>
<p>)" + http::html_escape(wire_name(error.code)) +
        ": " + http::html_escape(sanitize_description(description)) +
        "</p>\n<p>The application that sent you here is not set up correctly. You have not been "
        "sent back to it.</p></body></html>\n";
    return no_store(http::HttpResponse::html(status, std::move(body)));
}

}  // namespace idpd::oidc
