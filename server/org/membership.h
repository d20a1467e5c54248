#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "store/error.h"

namespace idpd::org {

// A member's role in an organization. Owner: everything, including deleting the organization and
// transferring ownership (there is always exactly one). Admin: invite, remove members and
// admins below owner, manage billing. Member: see the organization and use its plan.
enum class Role { owner, admin, member };

constexpr std::string_view role_name(Role role) {
    switch (role) {
        case Role::owner:
            return "owner";
        case Role::admin:
            return "admin";
        case Role::member:
            return "member";
    }
    return "member";
}

constexpr std::optional<Role> parse_role(std::string_view name) {
    if (name == "owner") {
        return Role::owner;
    }
    if (name == "admin") {
        return Role::admin;
    }
    if (name == "member") {
        return Role::member;
    }
    return std::nullopt;
}

// One organization a user belongs to, with the user's role there.
struct Membership {
    std::int64_t org_id = 0;
    std::string name;          // unique, the organization's handle
    std::string display_name;  // what pages show
    Role role = Role::member;
};

// The organizations `user_id` belongs to, in name order. Implemented by org/'s store; the
// claims (orgs scope), API keys, account deletion and the billing context take it as a function
// so they do not depend on the store. Errors: database failures only.
using MembershipLookup =
    std::function<store::Result<std::vector<Membership>>(std::int64_t user_id)>;

}  // namespace idpd::org
