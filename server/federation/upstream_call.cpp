#include "federation/upstream_call.h"

#include <openssl/evp.h>

namespace idpd::federation {

std::string with_query(std::string_view base, const Fields& fields) {
    std::string url(base);
    url.push_back(url.find('?') == std::string::npos ? '?' : '&');
    return url + outbound::form_body(fields);
}

Result<nlohmann::json> json_object(const outbound::Result<outbound::Response>& answer,
                                   std::string_view what) {
    if (!answer) {
        return fail(Error::Kind::unavailable,
                    std::string(what) + ": " +
                        std::string(outbound::kind_name(answer.error().kind)) + " " +
                        answer.error().detail);
    }
    const std::string snippet = answer->body.substr(0, 300);
    if (answer->status >= 500) {
        return fail(Error::Kind::unavailable,
                    std::string(what) + ": HTTP " + std::to_string(answer->status) + " " + snippet);
    }
    auto body = nlohmann::json::parse(answer->body, nullptr, false);
    if (answer->status < 200 || answer->status >= 300) {
        return fail(Error::Kind::rejected,
                    std::string(what) + ": HTTP " + std::to_string(answer->status) + " " + snippet);
    }
    if (body.is_discarded() || !body.is_object()) {
        return fail(Error::Kind::malformed, std::string(what) + ": not a JSON object: " + snippet);
    }
    return body;
}

std::string member_text(const nlohmann::json& object, std::string_view key) {
    auto it = object.find(std::string(key));
    if (it == object.end()) {
        return {};
    }
    if (it->is_string()) {
        return it->get<std::string>();
    }
    if (it->is_number_integer()) {
        return std::to_string(it->get<std::int64_t>());
    }
    return {};
}

nlohmann::json jsonp_object(std::string_view body) {
    const auto first = body.find_first_not_of(" \t\r\n");
    if (first != std::string_view::npos && body.substr(first).starts_with("callback")) {
        const auto open = body.find('(');
        const auto close = body.rfind(')');
        if (open == std::string_view::npos || close == std::string_view::npos || close < open) {
            return nlohmann::json(nlohmann::json::value_t::discarded);
        }
        body = body.substr(open + 1, close - open - 1);
    }
    return nlohmann::json::parse(body, nullptr, false);
}

std::string basic_credentials(std::string_view client_id, std::string_view client_secret) {
    const std::string plain = outbound::form_body({{"a", std::string(client_id)}}).substr(2) + ":" +
                              outbound::form_body({{"a", std::string(client_secret)}}).substr(2);
    std::string out(4 * ((plain.size() + 2) / 3), '\0');
    const int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                  reinterpret_cast<const unsigned char*>(plain.data()),
                                  static_cast<int>(plain.size()));
    out.resize(static_cast<std::size_t>(n));
    return "Basic " + out;
}

Result<std::string> access_token_of(const nlohmann::json& token_response, std::string_view what) {
    // GitHub answers its errors with HTTP 200 and {"error": …} (docs: "Troubleshooting OAuth
    // app access token request errors"), so the member decides, not the status.
    if (auto error = member_text(token_response, "error"); !error.empty()) {
        return fail(Error::Kind::rejected, std::string(what) + ": " + error + " " +
                                               member_text(token_response, "error_description"));
    }
    std::string token = member_text(token_response, "access_token");
    if (token.empty()) {
        return fail(Error::Kind::malformed, std::string(what) + ": no access_token");
    }
    return token;
}

void add_emails(UpstreamIdentity& identity, const nlohmann::json& list,
                std::string_view verified_key, std::string_view primary_key) {
    if (!list.is_array()) {
        return;
    }
    for (const auto& e : list) {
        if (!e.is_object() || !e.contains("email") || !e["email"].is_string()) {
            continue;
        }
        const auto flag = [&e](std::string_view key) {
            auto found = e.find(key);
            return found != e.end() && found->is_boolean() && found->get<bool>();
        };
        UpstreamEmail email{e["email"].get<std::string>(), flag(verified_key)};
        if (flag(primary_key)) {
            identity.emails.insert(identity.emails.begin(), email);
        } else {
            identity.emails.push_back(email);
        }
    }
}

}  // namespace idpd::federation
