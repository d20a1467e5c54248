#include "account/common_passwords.h"

#include <string>
#include <unordered_set>

#include "account/unicode_text.h"

namespace idpd::account {
namespace {

const std::unordered_set<std::string_view>& common_password_set() {
    // The views point into the embedded text, which lives as long as the program.
    static const std::unordered_set<std::string_view> set = [] {
        std::unordered_set<std::string_view> entries;
        entries.reserve(40'000);
        std::string_view text = common_passwords_text();
        while (!text.empty()) {
            const std::size_t end = text.find('\n');
            const std::string_view line = text.substr(0, end);
            text = end == std::string_view::npos ? std::string_view{} : text.substr(end + 1);
            if (!line.empty() && !line.starts_with('#')) {
                entries.insert(line);
            }
        }
        return entries;
    }();
    return set;
}

}  // namespace

bool is_common_password(std::string_view password) {
    const auto folded = fold_case(password);
    return folded && common_password_set().contains(*folded);
}

}  // namespace idpd::account
