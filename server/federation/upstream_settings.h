#pragma once

#include <string>

#include "outbound/http_client.h"

namespace idpd::federation {

// One upstream's configuration ([federation] <name>_* keys, app/federation_settings.cpp).
// Each connector reads the fields it needs; an upstream with an empty client_id is off.
struct UpstreamSettings {
    std::string client_id;
    std::string client_secret;  // a secret: masked by `idpd config check`
    std::string scopes;         // space-separated, as the upstream spells them
    std::string auth_base_url;  // where the browser goes (github.com, open.weixin.qq.com)
    std::string api_base_url;   // where idpd calls (api.github.com, api.weixin.qq.com)
    std::string display_name;   // the button's text for generic upstreams
    std::string issuer;         // generic OIDC: discovery at issuer + /.well-known/…
    // Generic OAuth2: full endpoint URLs and the profile members that carry each field.
    std::string authorize_url, token_url, userinfo_url;
    std::string id_claim, username_claim, name_claim, email_claim, email_verified_claim,
        avatar_claim;
    outbound::ClientOptions http;  // timeouts, size limit, CA bundle

    bool is_configured() const { return !client_id.empty(); }
};

}  // namespace idpd::federation
