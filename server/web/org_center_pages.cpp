// OrgPages: the organization center (/account/orgs/:id) and the actions on its members.
#include <algorithm>
#include <charconv>

#include <spdlog/spdlog.h>

#include "account/user_store.h"
#include "billing/account_store.h"
#include "billing/amount.h"
#include "org/permissions.h"
#include "web/form_input.h"
#include "web/form_view.h"
#include "web/notices.h"
#include "web/org_mail.h"
#include "web/org_pages.h"

namespace idpd::web {
namespace {

using http::HttpRequest;
using http::HttpResponse;

std::string center(std::int64_t org_id) {
    return "/account/orgs/" + std::to_string(org_id);
}

std::string lowercase(std::string text) {
    std::ranges::transform(text, text.begin(), [](unsigned char c) { return std::tolower(c); });
    return text;
}

}  // namespace

HttpResponse OrgPages::get_center(const HttpRequest& req) {
    Visit visit = kit_.begin(req);
    const auto org_id = path_id(req, "id");
    if (!visit.user) {
        return kit_.redirect(visit, with_return_to("/signin", req.path));
    }
    if (!org_id) {
        return kit_.error_page(visit, 404, "error_pages.not_found_heading", "error.not_found");
    }
    auto me = store().membership(*org_id, visit.user->id);
    if (!me) {
        return me.error().code == org::Code::not_found
                   ? kit_.error_page(visit, 404, "error_pages.not_found_heading", "error.not_found")
                   : kit_.error_page(visit, 503, "error.title", "error.unavailable");
    }
    auto members = store().members(visit.user->id, *org_id);
    auto invitations = store().pending_of_org(visit.user->id, *org_id, kit_.now());
    auto account = billing::AccountStore(kit_.db()).find({billing::OwnerKind::org, *org_id});
    if (!members || !invitations) {
        return kit_.error_page(visit, 503, "error.title", "error.unavailable");
    }
    const bool manage = org::can_manage_members(me->role);
    const bool owner = org::can_transfer_or_delete(me->role);
    auto role_word = [&](org::Role role) {
        return kit_.text(visit, "orgs.role." + std::string(org::role_name(role)));
    };
    auto data = kit_.base_data(visit, me->display_name, false);
    data["org"] = mstch::map{
        {"id", std::to_string(*org_id)},
        {"name", me->name},
        {"display_name", me->display_name},
        {"my_role", role_word(me->role)},
        {"balance", account ? billing::format_yuan(account->balance_fen) : std::string("0.00")}};
    mstch::array rows;
    for (const auto& m : *members) {
        const bool other = m.user_id != visit.user->id;
        rows.push_back(mstch::map{{"user_id", std::to_string(m.user_id)},
                                  {"username", m.username},
                                  {"role", role_word(m.role)},
                                  {"is_admin", m.role == org::Role::admin},
                                  {"joined", format_time(m.joined_at)},
                                  {"joined_iso", iso_time(m.joined_at)},
                                  {"can_act", other && org::can_act_on(me->role, m.role)},
                                  {"can_receive", other && owner}});
    }
    data["members"] = rows;
    data["has_transfer_candidates"] = owner && members->size() > 1;
    mstch::array pending;
    for (const auto& i : *invitations) {
        pending.push_back(
            mstch::map{{"id", std::to_string(i.id)},
                       {"invitee", i.invitee.email ? *i.invitee.email : i.invitee_username},
                       {"role", role_word(i.role)},
                       {"expires", format_time(i.expires_at)},
                       {"expires_iso", iso_time(i.expires_at)}});
    }
    data["invitations"] = pending;
    data["has_invitations"] = !pending.empty();
    data["can_manage"] = manage;
    data["is_owner"] = owner;
    add_outcome(req, visit, data);
    return kit_.page(visit, "org_center", 200, std::move(data));
}

HttpResponse OrgPages::post_invite(const HttpRequest& req) {
    Visit visit = kit_.begin(req);
    const auto org_id = path_id(req, "id").value_or(0);
    const std::string back = center(org_id);
    if (auto refused = refuse_post(req, visit, back)) {
        return std::move(*refused);
    }
    const Form form(req);
    const std::string who = form.get("invitee");
    const auto role = org::parse_role(form.get("role"));
    if (!role) {
        return kit_.redirect(visit, back + "?error=invalid_role");
    }
    org::Invitee invitee;
    std::string mail_to;
    account::UserStore users(kit_.db());
    if (who.find('@') != std::string::npos) {
        if (check_input(who, 254, false) || who.find_first_of(" \t") != std::string::npos) {
            return kit_.redirect(visit, back + "?error=invalid_invitee");
        }
        invitee.email = lowercase(who);
        mail_to = *invitee.email;
    } else {
        auto user = users.find_by_username(who);
        if (!user) {
            return user.error().kind == store::Error::Kind::not_found
                       ? kit_.redirect(visit, back + "?error=no_such_invitee")
                       : kit_.redirect(visit, back + "?error=unavailable");
        }
        invitee.user_id = user->id;
        if (auto emails = users.emails(user->id)) {
            for (const auto& e : *emails) {
                mail_to = e.is_primary ? e.email : mail_to;
            }
        }
    }
    std::optional<org::Error> refusal;
    std::int64_t invitation_id = 0;
    auto done = kit_.db().transaction([&](store::Database& tx) -> store::Result<void> {
        auto created =
            org::OrgStore(tx, options_)
                .invite(visit.user->id, org_id, invitee, *role, kit_.random(), kit_.now());
        if (!created) {
            refusal = created.error();
            return store::fail(store::Error::Kind::invalid, "refused");
        }
        invitation_id = created->invitation.id;
        const MailContext context{kit_.renderer(), visit.locale, kit_.options().issuer};
        if (auto noticed =
                send_org_invitation_notice(tx, context, kit_.options().wechat_templates,
                                           created->invitation, visit.user->username, kit_.now());
            !noticed) {
            return noticed;
        }
        if (mail_to.empty()) {
            return {};  // an account without an address still sees it on its organizations page
        }
        const auto days = std::chrono::duration_cast<std::chrono::days>(options_.invitation_ttl);
        return enqueue_org_invitation_mail(
            tx, context,
            OrgInvitationMail{mail_to, visit.user->username, created->invitation.org_display_name,
                              created->invitation.org_name,
                              kit_.text(visit, "orgs.role." + std::string(org::role_name(*role))),
                              created->token, static_cast<int>(days.count())},
            kit_.now());
    });
    if (!done) {
        return fail_to(visit, back,
                       refusal.value_or(
                           org::Error{org::Code::unavailable, done.error().message, done.error()}));
    }
    audit(req, visit, audit::EventType::org_invited, org_id,
          {{"invitation_id", invitation_id}, {"role", std::string(org::role_name(*role))}});
    return kit_.redirect(visit, back + "?done=invited");
}

HttpResponse OrgPages::post_revoke(const HttpRequest& req) {
    Visit visit = kit_.begin(req);
    const auto org_id = path_id(req, "id").value_or(0);
    const std::string back = center(org_id);
    if (auto refused = refuse_post(req, visit, back)) {
        return std::move(*refused);
    }
    const auto id = path_id(req, "inv").value_or(0);
    auto revoked = store().revoke(visit.user->id, org_id, id, kit_.now());
    if (!revoked) {
        return fail_to(visit, back, revoked.error());
    }
    audit(req, visit, audit::EventType::org_invitation_revoked, org_id, {{"invitation_id", id}});
    return kit_.redirect(visit, back + "?done=revoked");
}

HttpResponse OrgPages::post_role(const HttpRequest& req) {
    Visit visit = kit_.begin(req);
    const auto org_id = path_id(req, "id").value_or(0);
    const std::string back = center(org_id);
    if (auto refused = refuse_post(req, visit, back)) {
        return std::move(*refused);
    }
    const auto target = path_id(req, "user").value_or(0);
    const auto role = org::parse_role(Form(req).get("role"));
    if (!role) {
        return kit_.redirect(visit, back + "?error=invalid_role");
    }
    auto changed = store().change_role(visit.user->id, org_id, target, *role);
    if (!changed) {
        return fail_to(visit, back, changed.error());
    }
    audit(req, visit, audit::EventType::org_role_changed, org_id,
          {{"target", target}, {"role", std::string(org::role_name(*role))}});
    return kit_.redirect(visit, back + "?done=role");
}

HttpResponse OrgPages::post_remove(const HttpRequest& req) {
    Visit visit = kit_.begin(req);
    const auto org_id = path_id(req, "id").value_or(0);
    const std::string back = center(org_id);
    if (auto refused = refuse_post(req, visit, back)) {
        return std::move(*refused);
    }
    if (auto gate = guard_.require(visit, back)) {
        return std::move(*gate);
    }
    const auto target = path_id(req, "user").value_or(0);
    auto removed = store().remove(visit.user->id, org_id, target);
    if (!removed) {
        return fail_to(visit, back, removed.error());
    }
    audit(req, visit, audit::EventType::org_member_removed, org_id, {{"target", target}});
    return kit_.redirect(visit, back + "?done=removed");
}

HttpResponse OrgPages::post_leave(const HttpRequest& req) {
    Visit visit = kit_.begin(req);
    const auto org_id = path_id(req, "id").value_or(0);
    const std::string back = center(org_id);
    if (auto refused = refuse_post(req, visit, back)) {
        return std::move(*refused);
    }
    auto left = store().leave(visit.user->id, org_id);
    if (!left) {
        return fail_to(visit, back, left.error());
    }
    audit(req, visit, audit::EventType::org_left, org_id);
    return kit_.redirect(visit, "/account/orgs?done=left");
}

HttpResponse OrgPages::post_transfer(const HttpRequest& req) {
    Visit visit = kit_.begin(req);
    const auto org_id = path_id(req, "id").value_or(0);
    const std::string back = center(org_id);
    if (auto refused = refuse_post(req, visit, back)) {
        return std::move(*refused);
    }
    if (auto gate = guard_.require(visit, back)) {
        return std::move(*gate);
    }
    std::int64_t target = 0;
    const std::string text = Form(req).get("user");
    std::from_chars(text.data(), text.data() + text.size(), target);
    auto moved = store().transfer(visit.user->id, org_id, target);
    if (!moved) {
        return fail_to(visit, back, moved.error());
    }
    audit(req, visit, audit::EventType::org_transferred, org_id, {{"target", target}});
    return kit_.redirect(visit, back + "?done=transferred");
}

HttpResponse OrgPages::post_delete(const HttpRequest& req) {
    Visit visit = kit_.begin(req);
    const auto org_id = path_id(req, "id").value_or(0);
    const std::string back = center(org_id);
    if (auto refused = refuse_post(req, visit, back)) {
        return std::move(*refused);
    }
    if (auto gate = guard_.require(visit, back)) {
        return std::move(*gate);
    }
    auto deleted = store().remove_org(visit.user->id, org_id);
    if (!deleted) {
        return fail_to(visit, back, deleted.error());
    }
    audit(req, visit, audit::EventType::org_deleted, org_id);
    return kit_.redirect(visit, "/account/orgs?done=deleted");
}

}  // namespace idpd::web
