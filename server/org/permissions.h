#pragma once

#include "org/membership.h"

namespace idpd::org {

// What each role may do; the organization page states the same (orgs.roles_* in the catalogs).
// Owner: everything; the only one who may transfer ownership or delete the organization.
// Admin: invite, revoke invitations, change roles of and remove admins and members, manage
// billing (pay, top up, change the plan, redeem coupons).
// Member: see the organization, its members and its billing, and use its plan.
constexpr bool can_manage_members(Role actor) {
    return actor == Role::owner || actor == Role::admin;
}

constexpr bool can_manage_billing(Role actor) {
    return actor == Role::owner || actor == Role::admin;
}

// Whether `actor` may remove `target` or change its role: never the owner's row (ownership
// moves only by a transfer).
constexpr bool can_act_on(Role actor, Role target) {
    return can_manage_members(actor) && target != Role::owner;
}

constexpr bool can_transfer_or_delete(Role actor) {
    return actor == Role::owner;
}

}  // namespace idpd::org
