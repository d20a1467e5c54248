#include "web/billing_context.h"

#include "org/org_store.h"
#include "org/permissions.h"
#include "store/epoch.h"

namespace idpd::web {
namespace {

std::unexpected<store::Error> as_store(const org::Error& error) {
    if (error.cause) {
        return std::unexpected(*error.cause);
    }
    return store::fail(store::Error::Kind::unavailable, error.message);
}

BillingContext personal(const Visit& visit) {
    return BillingContext{{billing::OwnerKind::user, visit.user->id}, visit.user->username, true};
}

}  // namespace

store::Result<BillingContext> billing_context(PageKit& kit, const Visit& visit) {
    if (!visit.session) {
        return personal(visit);
    }
    auto rows = kit.db().query("SELECT org_id FROM org_session_contexts WHERE session_id = ?",
                               {visit.session->id});
    if (!rows) {
        return std::unexpected(rows.error());
    }
    if (rows->empty()) {
        return personal(visit);
    }
    auto member = org::OrgStore(kit.db()).membership(rows->front().integer(0), visit.user->id);
    if (!member) {
        if (member.error().code == org::Code::not_found) {
            return personal(visit);  // removed, left, or the organization is gone
        }
        return as_store(member.error());
    }
    return BillingContext{{billing::OwnerKind::org, member->org_id},
                          member->display_name + " (" + member->name + ")",
                          org::can_manage_billing(member->role)};
}

store::Result<std::vector<ContextChoice>> billing_contexts(PageKit& kit, const Visit& visit,
                                                           const BillingContext& current) {
    auto orgs = org::OrgStore(kit.db()).memberships(visit.user->id);
    if (!orgs) {
        return as_store(orgs.error());
    }
    std::vector<ContextChoice> out{
        {0, visit.user->username, current.owner.kind == billing::OwnerKind::user}};
    for (const auto& m : *orgs) {
        out.push_back({m.org_id, m.display_name + " (" + m.name + ")",
                       current.owner == billing::Owner{billing::OwnerKind::org, m.org_id}});
    }
    return out;
}

store::Result<bool> choose_billing_context(PageKit& kit, const Visit& visit, std::int64_t org_id) {
    if (!visit.session) {
        return false;
    }
    if (org_id != 0) {
        auto member = org::OrgStore(kit.db()).membership(org_id, visit.user->id);
        if (!member) {
            if (member.error().code == org::Code::not_found) {
                return false;
            }
            return as_store(member.error());
        }
    }
    const std::int64_t session_id = visit.session->id;
    auto done = kit.db().transaction([&](store::Database& tx) -> store::Result<void> {
        auto cleared =
            tx.execute("DELETE FROM org_session_contexts WHERE session_id = ?", {session_id});
        if (!cleared) {
            return std::unexpected(cleared.error());
        }
        if (org_id == 0) {
            return {};
        }
        auto set = tx.execute(
            "INSERT INTO org_session_contexts (session_id, org_id, updated_at) VALUES (?, ?, ?)",
            {session_id, org_id, store::epoch(kit.now())});
        if (!set) {
            return std::unexpected(set.error());
        }
        return {};
    });
    if (!done) {
        return std::unexpected(done.error());
    }
    return true;
}

store::Result<void> add_context_switch(PageKit& kit, const Visit& visit,
                                       const BillingContext& current, mstch::map& data) {
    auto choices = billing_contexts(kit, visit, current);
    if (!choices) {
        return std::unexpected(choices.error());
    }
    mstch::array options;
    for (const auto& c : *choices) {
        options.push_back(mstch::map{
            {"value", std::to_string(c.org_id)},
            {"label",
             c.org_id == 0 ? kit.text(visit, "orgs.personal", {{"name", c.label}}) : c.label},
            {"selected", c.selected}});
    }
    data["contexts"] = options;
    data["has_org_contexts"] = choices->size() > 1;
    data["context_label"] = current.label;
    data["context_readonly"] = !current.can_manage;
    data["return_to"] = visit.current;
    return {};
}

}  // namespace idpd::web
