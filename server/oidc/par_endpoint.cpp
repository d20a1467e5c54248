#include "oidc/par_endpoint.h"

#include <algorithm>
#include <array>

#include <nlohmann/json.hpp>

#include "jose/base64url.h"
#include "oidc/authorize/authorize_request.h"
#include "oidc/authorize/checks.h"
#include "oidc/form.h"

namespace idpd::oidc {
namespace {

// Client authentication travels with the pushed request but is not part of it.
constexpr std::array<std::string_view, 3> credential_params{"client_secret", "client_assertion",
                                                            "client_assertion_type"};

}  // namespace

std::optional<std::string> request_uri_reference(std::string_view request_uri) {
    if (!request_uri.starts_with(par_urn_prefix)) {
        return std::nullopt;
    }
    const std::string_view reference = request_uri.substr(par_urn_prefix.size());
    const bool well_formed = reference.size() == 43 && std::ranges::all_of(reference, [](char c) {
                                 return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
                                        (c >= '0' && c <= '9') || c == '-' || c == '_';
                             });
    if (!well_formed) {
        return std::nullopt;
    }
    return std::string(reference);
}

Result<std::string> ParEndpoint::push(const http::HttpRequest& req) const {
    auto form = FormParams::parse(req);
    if (!form) {
        return std::unexpected(form.error());
    }
    auto client = authenticator_.authenticate(req, *form);
    if (!client) {
        return std::unexpected(client.error());
    }
    // FormParams refused a repeated parameter already, so `request` has none.
    auto request = read_authorize_request(req);
    if (!request) {
        return std::unexpected(request.error());
    }
    for (auto name : credential_params) {
        request->params.erase(std::string(name));
    }
    // Our own sign-in marker has no meaning in a pushed request.
    request->params.erase("idpd_auth_after");
    // RFC 9126 §2.1: "The request_uri authorization request parameter is one exception, and it
    // MUST NOT be provided."
    if (request->params.contains("request_uri")) {
        return fail(ErrorCode::invalid_request, "request_uri cannot be pushed");
    }
    request->params.insert_or_assign("client_id", client->client_id);
    if (auto ok = check_redirect_uri(*client, *request); !ok) {
        return std::unexpected(ok.error());
    }
    if (auto ok = check_request(*client, *request); !ok) {
        return std::unexpected(ok.error());
    }
    // RFC 9126 §2.2 and §7.1: the reference must be unguessable; 256 random bits.
    const std::string reference = jose::base64url_encode(random_(32));
    const std::int64_t now = unix_seconds(clock_);
    PushedRequest pushed{client->client_id, std::move(request->params), now,
                         now + options_.par_ttl.count()};
    if (auto added = pushed_.add(reference, pushed); !added) {
        return std::unexpected(database_error(added.error()));
    }
    return std::string(par_urn_prefix) + reference;
}

http::HttpResponse ParEndpoint::handle(const http::HttpRequest& req) const {
    auto request_uri = push(req);
    if (!request_uri) {
        return error_response(req, request_uri.error());
    }
    nlohmann::json body{{"request_uri", *request_uri}, {"expires_in", options_.par_ttl.count()}};
    auto response = http::HttpResponse::json(201, body.dump());
    response.headers.set("Cache-Control", "no-store");
    return response;
}

}  // namespace idpd::oidc
