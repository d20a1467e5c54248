#include "api/reply.h"

#include "jose/strict_json.h"

namespace idpd::api {

http::HttpResponse json(int status, const nlohmann::json& body) {
    // Replacement of invalid UTF-8 keeps a stored oddity from turning into an exception.
    auto response = http::HttpResponse::json(
        status, body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
    response.headers.set("Cache-Control", "no-store");
    return response;
}

http::HttpResponse error(int status, std::string_view code, std::string_view message) {
    return json(status, nlohmann::json{{"error", code}, {"error_description", message}});
}

std::optional<nlohmann::json> read_object(const http::HttpRequest& req) {
    auto parsed = jose::parse_json_object(req.body);
    if (!parsed) {
        return std::nullopt;
    }
    return std::move(*parsed);
}

}  // namespace idpd::api
