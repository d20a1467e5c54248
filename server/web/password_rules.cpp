#include "web/password_rules.h"

#include <map>

#include "web/form_input.h"
#include "web/form_view.h"

namespace idpd::web {
namespace {

std::map<std::string, std::string> bounds(const account::PasswordPolicy& policy) {
    return {{"min", std::to_string(policy.min_length())},
            {"max", std::to_string(policy.max_length())}};
}

}  // namespace

std::string password_hint(const PageKit& kit, const Visit& visit,
                          const account::PasswordPolicy& policy) {
    return kit.text(visit, "signup.password_hint", bounds(policy));
}

NewPasswordErrors check_new_password(const PageKit& kit, const Visit& visit,
                                     const account::PasswordPolicy& policy,
                                     const std::string& password, const std::string& confirm,
                                     std::string_view username) {
    NewPasswordErrors errors;
    if (password.empty()) {
        errors.password.push_back(kit.text(visit, "errors.password.required"));
        return errors;
    }
    if (auto problem = check_input(password, max_password_bytes, true)) {
        errors.password.push_back(
            kit.text(visit, "errors.input." + std::string(problem_name(*problem))));
        return errors;
    }
    const auto args = bounds(policy);
    for (auto p : policy.check(password, username)) {
        errors.password.push_back(
            kit.text(visit, "errors.password." + std::string(account::problem_name(p)), args));
    }
    if (confirm != password) {
        errors.confirm.push_back(kit.text(visit, "errors.password.mismatch"));
    }
    return errors;
}

}  // namespace idpd::web
