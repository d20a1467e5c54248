#include "billing/plan_name.h"

#include <cctype>

namespace idpd::billing {

std::string plan_display_name(std::string_view plan_id) {
    std::string name(plan_id);
    const auto dash = name.rfind('-');
    if (dash != std::string::npos) {
        name[dash] = ' ';
    }
    if (!name.empty()) {
        name[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(name[0])));
    }
    return name;
}

}  // namespace idpd::billing
