#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "auth/consent_store.h"
#include "http/router.h"
#include "web/page_kit.h"

namespace idpd::web {

// What the consent pages show about a client; app/ looks it up in oidc's client store.
struct ClientSummary {
    std::string client_id;
    std::string name;
    std::vector<std::string> scopes;  // the scopes it may ask for
};

using ClientDirectory = std::function<std::optional<ClientSummary>(std::string_view client_id)>;

// Called after a user withdrew a client's consent, so what the client holds (refresh tokens)
// can end too.
using ConsentWithdrawn = std::function<void(std::int64_t user_id, const std::string& client_id)>;

// GET/POST /consent: "<app> wants to …" with each requested scope in the reader's language,
// Allow / Deny; /authorize sends the browser here and gets it back through return_to.
// GET /account/apps: the clients the user has allowed; POST /account/apps/:client_id/withdraw.
class ConsentPages {
public:
    ConsentPages(PageKit& kit, ClientDirectory clients, ConsentWithdrawn on_withdraw = {})
        : kit_(kit),
          consents_(kit.db()),
          clients_(std::move(clients)),
          on_withdraw_(std::move(on_withdraw)) {}

    void add_routes(http::Router& router);

private:
    http::HttpResponse get_consent(const http::HttpRequest& req);
    http::HttpResponse post_consent(const http::HttpRequest& req);
    http::HttpResponse get_apps(const http::HttpRequest& req);
    http::HttpResponse post_withdraw(const http::HttpRequest& req);
    // The scopes as lines a person can read: known ones from the catalog, others by name.
    mstch::array scope_lines(const Visit& visit, const std::vector<std::string>& scopes) const;

    PageKit& kit_;
    auth::ConsentStore consents_;
    ClientDirectory clients_;
    ConsentWithdrawn on_withdraw_;
};

}  // namespace idpd::web
