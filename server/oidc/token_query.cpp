#include "oidc/token_query.h"

#include "oidc/client_auth.h"
#include "oidc/form.h"

namespace idpd::oidc {

Result<TokenQuery> read_token_query(const http::HttpRequest& req,
                                    ClientAuthenticator& authenticator, AccessTokenReader& reader,
                                    RefreshTokenStore& refresh_tokens) {
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
    TokenQuery query{std::move(*client), std::string(*token), std::move(*found), std::nullopt};
    if (!query.found) {
        auto refresh = refresh_tokens.find(*token);
        if (refresh) {
            query.refresh = std::move(*refresh);
        } else if (refresh.error().kind != store::Error::Kind::not_found) {
            return std::unexpected(database_error(refresh.error()));
        }
    }
    return query;
}

}  // namespace idpd::oidc
