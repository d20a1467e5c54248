#include "web/site.h"

#include <stdexcept>

#include "billing/account_store.h"
#include "http/errors.h"
#include "web/form_input.h"
#include "web/form_view.h"

namespace idpd::web {
namespace {

using http::HttpRequest;
using http::HttpResponse;

constexpr std::chrono::seconds lang_cookie_lifetime{std::chrono::hours(24 * 365)};

const jose::MasterKey& required(const jose::MasterKey* key) {
    if (key == nullptr) {
        throw std::runtime_error("web::Site needs the master key (two-step verification)");
    }
    return *key;
}

}  // namespace

Site::Site(SiteOptions options, store::Database& db, const auth::PasswordHasher& hasher,
           account::PasswordPolicy policy, auth::SessionOptions sessions,
           auth::RandomSource& random, Clock clock, Security security, SiteHooks hooks)
    : upstreams_(hooks.upstreams != nullptr ? *hooks.upstreams : no_upstreams_),
      kit_(std::move(options), db, sessions, random, std::move(clock)),
      throttle_(db, security.throttle),
      captchas_(db, random, security.captcha_codes, security.captcha),
      two_step_(kit_, required(security.master_key), std::move(security.two_step)),
      second_step_(kit_, two_step_),
      guard_(kit_, two_step_),
      verify_(kit_, two_step_, hasher, throttle_),
      totp_(kit_, two_step_, guard_, second_step_),
      signin_(kit_, hasher, throttle_, upstreams_, second_step_),
      signup_(kit_, hasher, policy, captchas_, upstreams_),
      account_(kit_, upstreams_, kit_.options().account),
      account_security_(kit_),
      account_emails_(kit_, guard_, std::move(hooks.has_verified_phone)),
      account_password_(kit_, guard_, two_step_, hasher, policy, throttle_),
      avatars_(kit_),
      consent_(kit_, std::move(hooks.clients), std::move(hooks.consent_withdrawn),
               hooks.memberships),
      email_(kit_),
      reset_(kit_, hasher, policy),
      dev_outbox_(kit_),
      logout_(kit_),
      federation_(kit_, upstreams_, second_step_, guard_),
      federation_continue_(kit_, upstreams_, federation_),
      phones_(kit_, guard_, throttle_, second_step_),
      api_keys_(kit_, guard_, required(security.master_key)),
      notifications_(kit_, guard_),
      deletion_(kit_, guard_, std::move(hooks.memberships)) {}

void Site::add_routes(http::Router& router) {
    using http::Method;
    router.add(Method::get, "/", [](const HttpRequest&) {
        auto r = HttpResponse::redirect(303, "/account");
        r.headers.set("Cache-Control", "no-store");
        return r;
    });
    signin_.add_routes(router);
    second_step_.add_routes(router);
    verify_.add_routes(router);
    totp_.add_routes(router);
    signup_.add_routes(router);
    account_.add_routes(router);
    account_security_.add_routes(router);
    account_emails_.add_routes(router);
    account_password_.add_routes(router);
    avatars_.add_routes(router);
    consent_.add_routes(router);
    email_.add_routes(router);
    reset_.add_routes(router);
    federation_.add_routes(router);
    federation_continue_.add_routes(router);
    router.add(Method::post, "/lang", [this](const HttpRequest& req) { return post_lang(req); });
    if (kit_.options().dev_outbox_page) {
        dev_outbox_.add_routes(router);
    }
    if (topup_) {
        topup_->add_routes(router);
    }
    if (billing_) {
        billing_->add_routes(router);
    }
    phones_.add_routes(router);
    api_keys_.add_routes(router);
    notifications_.add_routes(router);
    deletion_.add_routes(router);
    if (orgs_) {
        orgs_->add_routes(router);
    }
}

void Site::enable_billing(billing::Catalog plans, std::int64_t wechat_binding_bonus_quota) {
    const std::string free_plan = plans.free_plan().id;
    billing_.emplace(kit_, std::move(plans), guard_);
    orgs_.emplace(kit_, guard_, org::StoreOptions{free_plan});
    if (wechat_binding_bonus_quota <= 0) {
        return;
    }
    federation_.set_bonus_grant([free_plan, units = wechat_binding_bonus_quota](
                                    store::Database& tx, std::int64_t user_id,
                                    std::chrono::sys_seconds now) -> store::Result<void> {
        billing::AccountStore accounts(tx);
        auto account = accounts.open({billing::OwnerKind::user, user_id}, free_plan, now);
        auto added = account ? accounts.add_bonus_quota(account->id, units)
                             : billing::Result<void>(std::unexpected(account.error()));
        if (!added) {
            return added.error().cause ? std::unexpected(*added.error().cause)
                                       : store::fail(store::Error::Kind::invalid,
                                                     "bonus quota: " + added.error().message);
        }
        return {};
    });
}

HttpResponse Site::not_found(const HttpRequest& req) {
    if (!http::prefers_html(req)) {
        return http::error_response(req, 404, "not_found", "There is nothing at this address.");
    }
    Visit visit = kit_.begin(req);
    return kit_.error_page(visit, 404, "error_pages.not_found_heading", "error.not_found");
}

HttpResponse Site::refusal(const HttpRequest& req, int status, const std::string& problem) {
    Visit visit = kit_.begin(req);
    auto data = kit_.base_data(visit, kit_.text(visit, "error.title"), true);
    data["heading"] = kit_.text(visit, "error_pages.authorize_heading");
    data["message"] = kit_.text(visit, "error_pages.authorize_message");
    data["detail"] = problem;
    data["no_back_link"] = true;  // the person came from the RP; our sign-in is no way back
    return kit_.page(visit, "error", status, std::move(data));
}

HttpResponse Site::post_lang(const HttpRequest& req) {
    Visit visit = kit_.begin(req);
    const Form submitted(req);
    if (!kit_.csrf_ok(req, visit, submitted.get("csrf"))) {
        return kit_.error_page(visit, 403, "error.forbidden", "error.csrf");
    }
    std::string target = checked_return_to(submitted.get("return_to"));
    if (auto locale = match_locale(submitted.get("lang"))) {
        visit.set_cookies.push_back(kit_.cookies().set(
            lang_cookie, std::string(locale_tag(*locale)), lang_cookie_lifetime));
        // The choice beats a ui_locales the page (or the RP's request behind it) still names.
        target = checked_return_to(replace_ui_locales(target, locale_tag(*locale)));
    }
    return kit_.redirect(visit, target.empty() ? "/signin" : target);
}

}  // namespace idpd::web
