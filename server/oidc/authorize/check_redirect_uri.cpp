// - redirect_uri is required and must equal a registered one exactly (OAuth 2.1 §4.1.1,
//   RFC 9700 §2.1: exact string matching);
// - except the port of an http loopback IP literal, which a native app picks at run time
//   (RFC 8252 §7.3: "MUST allow any port to be specified").
#include <algorithm>

#include "oidc/authorize/checks.h"

namespace idpd::oidc {
namespace {

struct LoopbackParts {
    std::string host;  // "127.0.0.1", "[::1]" or "localhost"
    std::string rest;  // the path and query after the authority
};

// The parts of "http://<loopback>[:port]<rest>", or nullopt for anything else.
std::optional<LoopbackParts> loopback_parts(std::string_view uri) {
    constexpr std::string_view scheme = "http://";
    if (!uri.starts_with(scheme)) {
        return std::nullopt;
    }
    uri.remove_prefix(scheme.size());
    const auto end = uri.find_first_of("/?");
    const std::string_view authority = uri.substr(0, end);
    const std::string_view rest = end == std::string_view::npos ? "" : uri.substr(end);
    std::string_view host;
    std::string_view port;
    if (authority.starts_with('[')) {
        const auto close = authority.find(']');
        if (close == std::string_view::npos) {
            return std::nullopt;
        }
        host = authority.substr(0, close + 1);
        port = authority.substr(close + 1);
    } else {
        const auto colon = authority.find(':');
        host = authority.substr(0, colon);
        port = colon == std::string_view::npos ? "" : authority.substr(colon);
    }
    if (host != "127.0.0.1" && host != "[::1]" && host != "localhost") {
        return std::nullopt;
    }
    if (!port.empty()) {
        port.remove_prefix(1);  // the ':'
        if (port.empty() || port.size() > 5 ||
            !std::ranges::all_of(port, [](char c) { return c >= '0' && c <= '9'; })) {
            return std::nullopt;
        }
    }
    return LoopbackParts{std::string(host), std::string(rest)};
}

}  // namespace

bool redirect_uri_matches(std::string_view registered, std::string_view presented) {
    if (registered == presented) {
        return true;
    }
    auto a = loopback_parts(registered);
    auto b = loopback_parts(presented);
    return a && b && a->host == b->host && a->rest == b->rest;
}

Result<std::string> check_redirect_uri(const Client& client, const AuthorizeRequest& request) {
    auto presented = request.get("redirect_uri");
    if (!presented) {
        return fail(ErrorCode::invalid_request, "redirect_uri is missing");
    }
    for (const auto& registered : client.redirect_uris) {
        if (redirect_uri_matches(registered, *presented)) {
            return *presented;
        }
    }
    return fail(ErrorCode::invalid_request, "redirect_uri is not registered for this client",
                "client " + client.client_id + " presented " + *presented);
}

}  // namespace idpd::oidc
