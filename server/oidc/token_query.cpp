#include "oidc/token_query.h"

#include "oidc/form.h"

namespace idpd::oidc {

Result<TokenQuery> read_token_query(const http::HttpRequest& req,
                                    ClientAuthenticator& authenticator, AccessTokenReader& reader) {
    auto form = FormParams::parse(req);
    if (!form) {
        return std::unexpected(form.error());
    }
    auto client = authenticator.authenticate(req, *form);
    if (!client) {
        return std::unexpected(client.error());
    }
    auto token = form->get("token");
    if (!token) {
        return std::unexpected(Error{ErrorCode::invalid_request, "token is missing", {}});
    }
    auto found = reader.read(*token);
    if (!found) {
        return std::unexpected(found.error());
    }
    return TokenQuery{std::move(*client), std::string(*token), std::move(*found)};
}

}  // namespace idpd::oidc
