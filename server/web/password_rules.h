// The new-password rules as every page that sets a password shows them (sign-up, reset, the
// account center's password tab): the hint under the field and each broken rule named in the
// reader's language.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "account/password_policy.h"
#include "web/page_kit.h"

namespace idpd::web {

// What the pages show about a new password and its confirmation.
struct NewPasswordErrors {
    std::vector<std::string> password;  // empty field, bad input, each policy rule broken
    std::vector<std::string> confirm;   // the confirmation differs

    bool empty() const { return password.empty() && confirm.empty(); }
};

// "8 to 128 characters…" for the field's hint, with the policy's bounds.
std::string password_hint(const PageKit& kit, const Visit& visit,
                          const account::PasswordPolicy& policy);

// Checks `password` for the account named `username` (empty when there is none yet) and that
// `confirm` repeats it. The confirmation is compared only when the password itself is usable.
NewPasswordErrors check_new_password(const PageKit& kit, const Visit& visit,
                                     const account::PasswordPolicy& policy,
                                     const std::string& password, const std::string& confirm,
                                     std::string_view username);

}  // namespace idpd::web
