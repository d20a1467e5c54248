#include "http/errors.h"

#include <nlohmann/json.hpp>

namespace idpd::http {

bool prefers_html(const HttpRequest& req) {
    auto accept = req.headers.get("Accept");
    return accept && accept->find("text/html") != std::string::npos;
}

std::string html_escape(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (char c : text) {
        switch (c) {
            case '&':
                out += "&amp;";
                break;
            case '<':
                out += "&lt;";
                break;
            case '>':
                out += "&gt;";
                break;
            case '"':
                out += "&quot;";
                break;
            case '\'':
                out += "&#39;";
                break;
            default:
                out.push_back(c);
        }
    }
    return out;
}

HttpResponse error_response(const HttpRequest& req, int status, std::string_view code,
                            std::string_view message) {
    if (prefers_html(req)) {
        // A bare page without styles or scripts: the CSP forbids inline script anyway, and the
        // styled error page of web/ replaces this for the person-facing routes.
        std::string title = std::to_string(status) + " " + std::string(reason_phrase(status));
        std::string body =
            "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">"
            "<meta name=\"viewport\" content=\"width=device-width\"><title>" +
            html_escape(title) + "</title></head><body><h1>" + html_escape(title) + "</h1><p>" +
            html_escape(message) + "</p>";
        if (!req.request_id.empty()) {
            body += "<p><small>Request ID: <code>" + html_escape(req.request_id) +
                    "</code></small></p>";
        }
        body += "</body></html>\n";
        return HttpResponse::html(status, std::move(body));
    }
    nlohmann::json doc{{"error", code}, {"error_description", message}};
    if (!req.request_id.empty()) {
        doc["request_id"] = req.request_id;
    }
    return HttpResponse::json(status, doc.dump());
}

}  // namespace idpd::http
