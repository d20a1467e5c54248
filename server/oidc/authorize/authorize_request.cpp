#include "oidc/authorize/authorize_request.h"

#include <algorithm>
#include <cctype>

namespace idpd::oidc {

std::optional<std::string> AuthorizeRequest::get(std::string_view name) const {
    auto found = params.find(name);
    if (found == params.end()) {
        return std::nullopt;
    }
    return found->second;
}

Result<AuthorizeRequest> read_authorize_request(const http::HttpRequest& req) {
    std::vector<std::pair<std::string, std::string>> pairs;
    if (req.method == http::Method::post) {
        // OIDC Core §3.1.2.1: POST uses form serialisation.
        std::string type = req.headers.get("Content-Type").value_or("");
        type = type.substr(0, type.find(';'));
        std::ranges::transform(type, type.begin(),
                               [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
        while (!type.empty() && type.back() == ' ') {
            type.pop_back();
        }
        if (type != "application/x-www-form-urlencoded") {
            return fail(ErrorCode::invalid_request,
                        "the request body must be application/x-www-form-urlencoded");
        }
        pairs = req.form_params();
    } else {
        pairs = req.query_params();
    }
    AuthorizeRequest request;
    for (auto& [name, value] : pairs) {
        if (request.params.contains(name)) {
            if (!request.repeated) {
                request.repeated = name;
            }
            continue;
        }
        request.params.emplace(name, std::move(value));
    }
    std::erase_if(request.params, [](const auto& entry) { return entry.second.empty(); });
    return request;
}

std::string to_query(const AuthorizeRequest& request, const std::vector<std::string>& drop,
                     const std::vector<std::pair<std::string, std::string>>& add) {
    std::string query;
    auto append = [&query](std::string_view name, std::string_view value) {
        if (!query.empty()) {
            query += '&';
        }
        query += http::url_encode(name);
        query += '=';
        query += http::url_encode(value);
    };
    for (const auto& [name, value] : request.params) {
        if (std::ranges::find(drop, name) == drop.end()) {
            append(name, value);
        }
    }
    for (const auto& [name, value] : add) {
        append(name, value);
    }
    return query;
}

}  // namespace idpd::oidc
