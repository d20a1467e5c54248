#include "web/org_pages.h"

#include <charconv>

#include <spdlog/spdlog.h>

#include "account/user_store.h"
#include "web/billing_context.h"
#include "web/form_input.h"
#include "web/form_view.h"
#include "web/return_to.h"

namespace idpd::web {
namespace {

using http::HttpRequest;
using http::HttpResponse;

constexpr std::string_view done_words[] = {"created",     "invited", "revoked", "joined",
                                           "declined",    "role",    "removed", "left",
                                           "transferred", "deleted"};

constexpr std::string_view error_words[] = {"invalid_name",        "invalid_display_name",
                                            "name_taken",          "invalid_role",
                                            "not_found",           "forbidden",
                                            "owner_must_transfer", "already_member",
                                            "no_such_invitee",     "invitation_closed",
                                            "invitation_expired",  "wrong_invitee",
                                            "balance_not_zero",    "unavailable",
                                            "invalid_invitee"};

bool known(std::string_view word, std::span<const std::string_view> words) {
    return std::find(words.begin(), words.end(), word) != words.end();
}

}  // namespace

std::optional<std::int64_t> path_id(const HttpRequest& req, std::string_view name) {
    const std::string text = req.path_param(name).value_or("");
    std::int64_t id = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), id);
    if (ec != std::errc{} || end != text.data() + text.size() || id <= 0) {
        return std::nullopt;
    }
    return id;
}

void OrgPages::add_routes(http::Router& router) {
    using http::Method;
    auto bind = [this](HttpResponse (OrgPages::*handler)(const HttpRequest&)) {
        return [this, handler](const HttpRequest& req) {
            return (this->*handler)(req);
        };
    };
    router.add(Method::get, "/account/orgs", bind(&OrgPages::get_list));
    router.add(Method::post, "/account/orgs", bind(&OrgPages::post_create));
    router.add(Method::get, "/account/orgs/invitation", bind(&OrgPages::get_invitation));
    router.add(Method::post, "/account/orgs/invitations/:inv/accept",
               [this](const HttpRequest& req) { return post_answer(req, true); });
    router.add(Method::post, "/account/orgs/invitations/:inv/decline",
               [this](const HttpRequest& req) { return post_answer(req, false); });
    router.add(Method::get, "/account/orgs/:id", bind(&OrgPages::get_center));
    router.add(Method::post, "/account/orgs/:id/invitations", bind(&OrgPages::post_invite));
    router.add(Method::post, "/account/orgs/:id/invitations/:inv/revoke",
               bind(&OrgPages::post_revoke));
    router.add(Method::post, "/account/orgs/:id/members/:user/role", bind(&OrgPages::post_role));
    router.add(Method::post, "/account/orgs/:id/members/:user/remove",
               bind(&OrgPages::post_remove));
    router.add(Method::post, "/account/orgs/:id/leave", bind(&OrgPages::post_leave));
    router.add(Method::post, "/account/orgs/:id/transfer", bind(&OrgPages::post_transfer));
    router.add(Method::post, "/account/orgs/:id/delete", bind(&OrgPages::post_delete));
    router.add(Method::post, "/account/billing/context", bind(&OrgPages::post_context));
}

std::optional<HttpResponse> OrgPages::refuse_post(const HttpRequest& req, Visit& visit,
                                                  const std::string& back) {
    if (!visit.user) {
        return kit_.redirect(visit, with_return_to("/signin", back));
    }
    if (!kit_.csrf_ok(req, visit, Form(req).get("csrf"))) {
        return kit_.error_page(visit, 403, "error.forbidden", "error.csrf");
    }
    return std::nullopt;
}

std::optional<org::Respondent> OrgPages::respondent(const Visit& visit) {
    auto emails = account::UserStore(kit_.db()).emails(visit.user->id);
    if (!emails) {
        return std::nullopt;
    }
    org::Respondent who{visit.user->id, {}};
    for (const auto& e : *emails) {
        if (e.is_verified()) {
            who.verified_emails.push_back(e.email);
        }
    }
    return who;
}

void OrgPages::add_outcome(const HttpRequest& req, const Visit& visit, mstch::map& data) {
    if (const auto done = first_query_param(req, "done"); known(done, done_words)) {
        data["notice"] = kit_.text(visit, "orgs.done." + done);
    }
    if (const auto error = first_query_param(req, "error"); known(error, error_words)) {
        data["form_error"] = kit_.text(visit, "orgs.error." + error);
    }
}

HttpResponse OrgPages::fail_to(Visit& visit, const std::string& back, const org::Error& error) {
    if (error.code == org::Code::unavailable) {
        spdlog::error("organizations: {}", error.cause ? error.cause->message : error.message);
    }
    const char* sep = back.find('?') == std::string::npos ? "?" : "&";
    return kit_.redirect(visit, back + sep + "error=" + std::string(org::code_name(error.code)));
}

void OrgPages::audit(const HttpRequest& req, const Visit& visit, audit::EventType type,
                     std::int64_t org_id, nlohmann::json detail) {
    auto event = PageKit::audit_event(req, type);
    event.user_id = visit.user->id;
    detail["org_id"] = org_id;
    event.detail = std::move(detail);
    kit_.record(event);
}

HttpResponse OrgPages::get_list(const HttpRequest& req) {
    Visit visit = kit_.begin(req);
    if (!visit.user) {
        return kit_.redirect(visit, "/signin?return_to=%2Faccount%2Forgs");
    }
    auto mine = store().memberships(visit.user->id);
    auto who = respondent(visit);
    if (!mine || !who) {
        return kit_.error_page(visit, 503, "error.title", "error.unavailable");
    }
    auto invitations = store().pending_for(*who, kit_.now());
    if (!invitations) {
        return kit_.error_page(visit, 503, "error.title", "error.unavailable");
    }
    auto data = kit_.base_data(visit, kit_.text(visit, "orgs.title"), false);
    mstch::array orgs;
    for (const auto& m : *mine) {
        orgs.push_back(mstch::map{
            {"id", std::to_string(m.org_id)},
            {"name", m.name},
            {"display_name", m.display_name},
            {"role", kit_.text(visit, "orgs.role." + std::string(org::role_name(m.role)))}});
    }
    data["orgs"] = orgs;
    data["has_orgs"] = !orgs.empty();
    mstch::array pending;
    for (const auto& i : *invitations) {
        pending.push_back(mstch::map{
            {"id", std::to_string(i.id)},
            {"org", i.org_display_name},
            {"name", i.org_name},
            {"role", kit_.text(visit, "orgs.role." + std::string(org::role_name(i.role)))},
            {"expires", format_time(i.expires_at)},
            {"expires_iso", iso_time(i.expires_at)}});
    }
    data["invitations"] = pending;
    data["has_invitations"] = !pending.empty();
    add_outcome(req, visit, data);
    return kit_.page(visit, "orgs", 200, std::move(data));
}

HttpResponse OrgPages::post_create(const HttpRequest& req) {
    Visit visit = kit_.begin(req);
    if (auto refused = refuse_post(req, visit, "/account/orgs")) {
        return std::move(*refused);
    }
    const Form form(req);
    auto created =
        store().create(visit.user->id, form.get("name"), form.get("display_name"), kit_.now());
    if (!created) {
        return fail_to(visit, "/account/orgs", created.error());
    }
    audit(req, visit, audit::EventType::org_created, created->id, {{"name", created->name}});
    return kit_.redirect(visit, "/account/orgs/" + std::to_string(created->id) + "?done=created");
}

HttpResponse OrgPages::get_invitation(const HttpRequest& req) {
    Visit visit = kit_.begin(req);
    const std::string token = first_query_param(req, "token");
    if (!visit.user) {
        return kit_.redirect(visit, with_return_to("/signin", "/account/orgs/invitation?token=" +
                                                                  http::url_encode(token)));
    }
    auto invitation = store().find_by_token(token);
    if (!invitation) {
        if (invitation.error().code == org::Code::not_found) {
            return kit_.error_page(visit, 404, "orgs.invitation_title", "orgs.error.not_found");
        }
        return kit_.error_page(visit, 503, "error.title", "error.unavailable");
    }
    auto data = kit_.base_data(visit, kit_.text(visit, "orgs.invitation_title"), false);
    const bool open = invitation->status == "pending" && invitation->expires_at > kit_.now();
    data["invitation"] = mstch::map{
        {"id", std::to_string(invitation->id)},
        {"org", invitation->org_display_name},
        {"name", invitation->org_name},
        {"role", kit_.text(visit, "orgs.role." + std::string(org::role_name(invitation->role)))},
        {"expires", format_time(invitation->expires_at)},
        {"expires_iso", iso_time(invitation->expires_at)},
        {"open", open}};
    if (!open) {
        data["form_error"] =
            kit_.text(visit, invitation->status == "pending" ? "orgs.error.invitation_expired"
                                                             : "orgs.error.invitation_closed");
    }
    return kit_.page(visit, "org_invitation", 200, std::move(data));
}

HttpResponse OrgPages::post_answer(const HttpRequest& req, bool accept) {
    Visit visit = kit_.begin(req);
    if (auto refused = refuse_post(req, visit, "/account/orgs")) {
        return std::move(*refused);
    }
    const auto id = path_id(req, "inv");
    auto who = respondent(visit);
    if (!who) {
        return kit_.redirect(visit, "/account/orgs?error=unavailable");
    }
    if (!id) {
        return kit_.redirect(visit, "/account/orgs?error=not_found");
    }
    if (!accept) {
        auto declined = store().decline(*id, *who, kit_.now());
        return declined ? kit_.redirect(visit, "/account/orgs?done=declined")
                        : fail_to(visit, "/account/orgs", declined.error());
    }
    auto joined = store().accept(*id, *who, kit_.now());
    if (!joined) {
        return fail_to(visit, "/account/orgs", joined.error());
    }
    audit(req, visit, audit::EventType::org_joined, joined->org_id,
          {{"invitation_id", *id}, {"role", std::string(org::role_name(joined->role))}});
    return kit_.redirect(visit, "/account/orgs/" + std::to_string(joined->org_id) + "?done=joined");
}

HttpResponse OrgPages::post_context(const HttpRequest& req) {
    Visit visit = kit_.begin(req);
    if (auto refused = refuse_post(req, visit, "/account/billing")) {
        return std::move(*refused);
    }
    const Form form(req);
    std::int64_t org_id = 0;
    const std::string text = form.get("org");
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), org_id);
    const bool number = ec == std::errc{} && end == text.data() + text.size() && org_id >= 0;
    std::string back = form.get("return_to");
    if (!back.starts_with("/account/billing")) {
        back = "/account/billing";
    }
    if (!number) {
        return kit_.redirect(visit, "/account/billing");
    }
    auto chosen = choose_billing_context(kit_, visit, org_id);
    if (!chosen) {
        spdlog::error("billing context: {}", chosen.error().message);
        return kit_.redirect(visit, "/account/billing?error=unavailable");
    }
    return kit_.redirect(visit, back);
}

}  // namespace idpd::web
