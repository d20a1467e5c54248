#include "oidc/redirect_uri.h"

#include <cctype>
#include <optional>
#include <string>

namespace idpd::oidc {
namespace {

constexpr std::size_t max_uri_size = 2048;

bool is_scheme(std::string_view scheme) {
    if (scheme.empty() || std::isalpha(static_cast<unsigned char>(scheme.front())) == 0) {
        return false;
    }
    for (char c : scheme) {
        if (std::isalnum(static_cast<unsigned char>(c)) == 0 && c != '+' && c != '-' && c != '.') {
            return false;
        }
    }
    return true;
}

std::string lower(std::string_view text) {
    std::string out(text);
    for (char& c : out) {
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
    return out;
}

// The authority of "scheme://authority/...", or nullopt when there is no "//".
std::optional<std::string_view> authority_of(std::string_view rest) {
    if (!rest.starts_with("//")) {
        return std::nullopt;
    }
    rest.remove_prefix(2);
    return rest.substr(0, rest.find_first_of("/?"));
}

// The host of an authority without userinfo: "[::1]" stays bracketed; the port is dropped.
std::string_view host_of(std::string_view authority) {
    if (authority.starts_with('[')) {
        return authority.substr(0, authority.find(']') + 1);
    }
    return authority.substr(0, authority.find(':'));
}

}  // namespace

Result<void> validate_redirect_uri(std::string_view uri) {
    if (uri.empty() || uri.size() > max_uri_size) {
        return fail(ErrorCode::invalid_request, "redirect_uri must be 1 to 2048 bytes");
    }
    for (char c : uri) {
        const auto u = static_cast<unsigned char>(c);
        if (u <= 0x20 || u == 0x7F) {
            return fail(ErrorCode::invalid_request,
                        "redirect_uri must not contain spaces or control characters");
        }
    }
    if (uri.find('#') != std::string_view::npos) {
        return fail(ErrorCode::invalid_request, "redirect_uri must not contain a fragment");
    }
    const auto colon = uri.find(':');
    if (colon == std::string_view::npos || !is_scheme(uri.substr(0, colon))) {
        return fail(ErrorCode::invalid_request, "redirect_uri must be an absolute URI");
    }
    const std::string scheme = lower(uri.substr(0, colon));
    const std::string_view rest = uri.substr(colon + 1);
    if (scheme == "https" || scheme == "http") {
        auto authority = authority_of(rest);
        if (!authority || authority->empty()) {
            return fail(ErrorCode::invalid_request, "redirect_uri must name a host");
        }
        if (authority->find('@') != std::string_view::npos) {
            return fail(ErrorCode::invalid_request, "redirect_uri must not contain userinfo");
        }
        const std::string host = lower(host_of(*authority));
        if (host.empty()) {
            return fail(ErrorCode::invalid_request, "redirect_uri must name a host");
        }
        if (scheme == "http" && host != "127.0.0.1" && host != "[::1]" && host != "localhost") {
            return fail(ErrorCode::invalid_request,
                        "redirect_uri must use https, except http on a loopback address");
        }
        return {};
    }
    if (scheme.find('.') == std::string::npos) {
        return fail(ErrorCode::invalid_request,
                    "a private-use redirect_uri scheme must be a reverse domain name "
                    "(com.example.app:/callback)");
    }
    if (rest.empty()) {
        return fail(ErrorCode::invalid_request, "redirect_uri has nothing after its scheme");
    }
    return {};
}

std::optional<std::string> redirect_uri_host(std::string_view uri) {
    const auto colon = uri.find(':');
    if (colon == std::string_view::npos) {
        return std::nullopt;
    }
    const std::string scheme = lower(uri.substr(0, colon));
    if (scheme != "https" && scheme != "http") {
        return std::nullopt;
    }
    auto authority = authority_of(uri.substr(colon + 1));
    if (!authority || authority->find('@') != std::string_view::npos) {
        return std::nullopt;
    }
    std::string host = lower(host_of(*authority));
    if (host.empty()) {
        return std::nullopt;
    }
    return host;
}

}  // namespace idpd::oidc
