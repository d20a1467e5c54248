#pragma once

#include <string>
#include <string_view>

namespace idpd::billing {

// A plan's name as programs show it, from its id: "pro-16x" → "Pro 16x", "free-2x" → "Free 2x".
// Pages use their catalogs instead; this is for claims and the API, which speak no language.
std::string plan_display_name(std::string_view plan_id);

}  // namespace idpd::billing
