#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "http/request.h"

namespace idpd::web {

// What is wrong with a submitted text field before any business rule looks at it. The
// enumerator's name is the catalog key (errors.input.<name>).
enum class InputProblem {
    too_long,           // more bytes than the field's limit
    invalid_utf8,       // not well-formed UTF-8
    control_character,  // C0 or C1 controls, DEL, U+2028/U+2029
    markup,             // '<' or '>' where no one needs them (names, addresses)
};

std::string_view problem_name(InputProblem problem);

// Checks one field. `allow_markup` is for passwords, which may hold any printable character
// and are never shown.
std::optional<InputProblem> check_input(std::string_view value, std::size_t max_bytes,
                                        bool allow_markup);

// A submitted form: the first value of each field (a repeated field does not override).
class Form {
public:
    explicit Form(const http::HttpRequest& req);

    std::string get(std::string_view name) const;
    bool has(std::string_view name) const;

private:
    std::vector<std::pair<std::string, std::string>> fields_;
};

}  // namespace idpd::web
