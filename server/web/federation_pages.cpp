#include "web/federation_pages.h"

#include <algorithm>
#include <charconv>

#include <spdlog/spdlog.h>

#include "account/user_store.h"
#include "federation/binding_store.h"
#include "federation/login_state_store.h"
#include "federation/pending_identity_store.h"
#include "web/form_input.h"
#include "web/form_view.h"

namespace idpd::web {

using http::HttpRequest;
using http::HttpResponse;

namespace {

bool is_token(std::string_view text) {
    return text.size() == 64 && text.find_first_not_of("0123456789abcdef") == std::string::npos;
}

std::string error_key(federation::Error::Kind kind) {
    switch (kind) {
        case federation::Error::Kind::denied:
            return "federation.error.denied";
        case federation::Error::Kind::unavailable:
            return "federation.error.unavailable";
        case federation::Error::Kind::malformed:
            return "federation.error.malformed";
        case federation::Error::Kind::rejected:
            break;
    }
    return "federation.error.rejected";
}

}  // namespace

mstch::array upstream_buttons(const PageKit& kit, const Visit& visit,
                              const federation::Registry& upstreams, std::string_view intent,
                              const std::string& return_to,
                              const std::vector<std::string>& except) {
    mstch::array buttons;
    for (const auto& c : upstreams.connectors()) {
        if (std::find(except.begin(), except.end(), c->name()) != except.end()) {
            continue;
        }
        buttons.push_back(mstch::map{
            {"name", std::string(c->name())},
            {"label", c->label()},
            {"text",
             kit.text(visit, intent == "bind" ? "federation.bind_with" : "federation.continue_with",
                      {{"provider", c->label()}})},
            {"intent", std::string(intent)},
            {"return_to", return_to},
            {"csrf", kit.csrf_for(visit)},
        });
    }
    return buttons;
}

void FederationPages::add_routes(http::Router& router) {
    using http::Method;
    auto bind = [this](HttpResponse (FederationPages::*handler)(const HttpRequest&)) {
        return [this, handler](const HttpRequest& req) {
            return (this->*handler)(req);
        };
    };
    router.add(Method::post, "/federation/:provider/start", bind(&FederationPages::post_start));
    router.add(Method::get, "/federation/:provider/callback", bind(&FederationPages::get_callback));
    router.add(Method::post, "/account/bindings/:id/unbind", bind(&FederationPages::post_unbind));
}

std::string FederationPages::redirect_uri(std::string_view provider) const {
    return kit_.options().issuer + "/federation/" + std::string(provider) + "/callback";
}

HttpResponse FederationPages::post_start(const HttpRequest& req) {
    Visit visit = kit_.begin(req);
    const Form submitted(req);
    if (!kit_.csrf_ok(req, visit, submitted.get("csrf"))) {
        return kit_.error_page(visit, 403, "error.forbidden", "error.csrf");
    }
    const auto* connector = upstreams_.find(req.path_param("provider").value_or(""));
    if (connector == nullptr) {
        return kit_.error_page(visit, 404, "error.title", "federation.error.unknown");
    }
    federation::NewLoginState state{std::string(connector->name()), federation::Intent::sign_in,
                                    std::nullopt, checked_return_to(submitted.get("return_to"))};
    if (submitted.get("intent") == "bind") {
        if (!visit.user) {
            return kit_.redirect(visit, "/signin?return_to=%2Faccount");
        }
        state.intent = federation::Intent::bind;
        state.user_id = visit.user->id;
    }
    std::string secret = cookie_value(req, kit_.cookies().name(federation_cookie)).value_or("");
    if (!is_token(secret)) {
        secret = federation::random_token(kit_.random());
    }
    const auto ttl = upstreams_.options().state_ttl;
    federation::LoginStateStore states{kit_.db(), kit_.random(), ttl};
    auto issued = states.issue(state, secret, kit_.now());
    if (!issued) {
        spdlog::error("cannot start an upstream login: {}", issued.error().message);
        return kit_.error_page(visit, 503, "error.title", "error.unavailable");
    }
    visit.set_cookies.push_back(kit_.cookies().set(federation_cookie, secret, ttl));
    const std::string verifier = federation::code_verifier(secret, *issued);
    auto url = connector->login_url({redirect_uri(connector->name()), *issued,
                                     federation::code_challenge(verifier),
                                     federation::login_nonce(secret, *issued)});
    if (!url) {
        return upstream_error(visit, *connector, url.error());
    }
    return kit_.redirect(visit, *url);
}

HttpResponse FederationPages::upstream_error(Visit& visit, const federation::Connector& connector,
                                             const federation::Error& error) {
    spdlog::warn("upstream sign-in with {} failed: {}", connector.name(), error.detail);
    auto data = kit_.base_data(visit, kit_.text(visit, "error.title"), true);
    data["heading"] = kit_.text(visit, "federation.error.heading");
    data["message"] = kit_.text(visit, error_key(error.kind), {{"provider", connector.label()}});
    const int status = error.kind == federation::Error::Kind::denied ? 403 : 502;
    return kit_.page(visit, "error", status, std::move(data));
}

HttpResponse FederationPages::get_callback(const HttpRequest& req) {
    Visit visit = kit_.begin(req);
    const auto* connector = upstreams_.find(req.path_param("provider").value_or(""));
    if (connector == nullptr) {
        return kit_.error_page(visit, 404, "error.title", "federation.error.unknown");
    }
    const std::string state = first_query_param(req, "state");
    const std::string secret =
        cookie_value(req, kit_.cookies().name(federation_cookie)).value_or("");
    federation::LoginStateStore states{kit_.db(), kit_.random(), upstreams_.options().state_ttl};
    auto login = states.consume(state, secret, kit_.now());
    if (!login && login.error().kind != store::Error::Kind::not_found) {
        spdlog::error("cannot check an upstream login state: {}", login.error().message);
        return kit_.error_page(visit, 503, "error.title", "error.unavailable");
    }
    // Another browser's, replayed, expired, or started for another upstream (mix-up).
    if (!login || login->provider != connector->name()) {
        return kit_.error_page(visit, 400, "federation.error.heading", "federation.error.state");
    }
    federation::CallbackQuery query{first_query_param(req, "code"),
                                    first_query_param(req, "error"),
                                    first_query_param(req, "error_description"),
                                    redirect_uri(connector->name()),
                                    federation::code_verifier(secret, state),
                                    federation::login_nonce(secret, state)};
    if (query.code.empty() && query.error.empty()) {
        // WeChat's refusal: back with the state and no code ("用户禁止授权…仅会带上state参数").
        query.error = "access_denied";
    }
    auto identity = connector->finish_login(query);
    if (!identity) {
        return upstream_error(visit, *connector, identity.error());
    }
    if (login->intent == federation::Intent::bind) {
        if (!visit.user || !login->user_id || visit.user->id != *login->user_id) {
            return kit_.error_page(visit, 403, "federation.error.heading",
                                   "federation.error.bind_session");
        }
        return bind_to_account(visit, visit.user->id, *identity);
    }
    return signed_in_upstream(req, visit, *identity, login->return_to);
}

HttpResponse FederationPages::signed_in_upstream(const HttpRequest& req, Visit& visit,
                                                 const federation::UpstreamIdentity& identity,
                                                 const std::string& return_to) {
    federation::BindingStore bindings{kit_.db()};
    auto bound = bindings.find(identity);
    if (!bound) {
        spdlog::error("binding look-up failed: {}", bound.error().message);
        return kit_.error_page(visit, 503, "error.title", "error.unavailable");
    }
    if (*bound) {
        account::UserStore users{kit_.db()};
        auto user = users.find_by_id((*bound)->user_id);
        if (!user) {
            spdlog::error("bound account {} look-up failed: {}", (*bound)->user_id,
                          user.error().message);
            return kit_.error_page(visit, 503, "error.title", "error.unavailable");
        }
        return open_upstream_session(req, visit, *user, identity.provider, return_to);
    }
    // Unbound: never linked by a matching email; the user chooses on the next page.
    federation::PendingIdentityStore pending{kit_.db(), kit_.random(),
                                             upstreams_.options().pending_ttl};
    auto token = pending.put({identity, return_to}, kit_.now());
    if (!token) {
        spdlog::error("cannot keep an upstream identity: {}", token.error().message);
        return kit_.error_page(visit, 503, "error.title", "error.unavailable");
    }
    visit.set_cookies.push_back(
        kit_.cookies().set(upstream_pending_cookie, *token, upstreams_.options().pending_ttl));
    return kit_.redirect(visit, "/federation/continue");
}

HttpResponse FederationPages::open_upstream_session(const HttpRequest& req, Visit& visit,
                                                    const account::User& user,
                                                    std::string_view provider,
                                                    const std::string& return_to) {
    if (!user.is_active()) {
        return kit_.error_page(visit, 403, "federation.error.heading", "federation.error.disabled");
    }
    auto event = PageKit::audit_event(req, audit::EventType::sign_in_success);
    event.user_id = user.id;
    event.detail = {{"method", "federation"}, {"provider", provider}};
    kit_.record(event);
    spdlog::info("user {} signed in with {}", user.id, provider);
    // No RFC 8176 amr value names "signed in at another provider", so the session carries
    // none and ID tokens leave amr out rather than claim a method we did not see. An account
    // with TOTP gets its second step here, exactly as after a password.
    return second_step_.begin(req, visit,
                              FirstFactor{user.id, "", return_to, false, std::string(provider)});
}

HttpResponse FederationPages::bind_to_account(Visit& visit, std::int64_t user_id,
                                              const federation::UpstreamIdentity& identity) {
    federation::BindingStore bindings{kit_.db(), bonus_grant_};
    auto outcome = bindings.bind(user_id, identity, kit_.now());
    if (!outcome) {
        spdlog::error("bind failed: {}", outcome.error().message);
        return kit_.error_page(visit, 503, "error.title", "error.unavailable");
    }
    switch (*outcome) {
        case federation::BindOutcome::identity_taken:
            return kit_.error_page(visit, 409, "federation.error.heading",
                                   "federation.error.identity_taken");
        case federation::BindOutcome::provider_taken:
            return kit_.error_page(visit, 409, "federation.error.heading",
                                   "federation.error.provider_taken");
        case federation::BindOutcome::bound:
            break;
    }
    spdlog::info("user {} bound a {} identity", user_id, identity.provider);
    return kit_.redirect(visit, "/account/bindings?bound=" + identity.provider);
}

HttpResponse FederationPages::post_unbind(const HttpRequest& req) {
    Visit visit = kit_.begin(req);
    const Form submitted(req);
    if (!visit.user) {
        return kit_.redirect(visit, "/signin?return_to=%2Faccount");
    }
    if (!kit_.csrf_ok(req, visit, submitted.get("csrf"))) {
        return kit_.error_page(visit, 403, "error.forbidden", "error.csrf");
    }
    // Back to the tab after the step-up: the user presses Unbind again (no POST is replayed).
    if (auto gate = guard_.require(visit, "/account/bindings")) {
        return std::move(*gate);
    }
    std::int64_t id = 0;
    const std::string text_id = req.path_param("id").value_or("");
    auto [end, ec] = std::from_chars(text_id.data(), text_id.data() + text_id.size(), id);
    if (ec != std::errc{} || end != text_id.data() + text_id.size()) {
        return kit_.error_page(visit, 404, "error.title", "federation.error.no_binding");
    }
    federation::BindingStore bindings{kit_.db()};
    auto outcome = bindings.unbind(visit.user->id, id);
    if (!outcome) {
        spdlog::error("unbind failed: {}", outcome.error().message);
        return kit_.error_page(visit, 503, "error.title", "error.unavailable");
    }
    switch (*outcome) {
        case federation::UnbindOutcome::not_found:
            return kit_.error_page(visit, 404, "error.title", "federation.error.no_binding");
        case federation::UnbindOutcome::last_method:
            return kit_.error_page(visit, 409, "federation.error.heading",
                                   "federation.error.last_method");
        case federation::UnbindOutcome::unbound:
            break;
    }
    spdlog::info("user {} removed binding {}", visit.user->id, id);
    return kit_.redirect(visit, "/account/bindings?unbound=1");
}

}  // namespace idpd::web
