#include "web/form_input.h"

#include "account/unicode_text.h"

namespace idpd::web {

std::string_view problem_name(InputProblem problem) {
    switch (problem) {
        case InputProblem::too_long:
            return "too_long";
        case InputProblem::invalid_utf8:
            return "invalid_utf8";
        case InputProblem::control_character:
            return "control_character";
        case InputProblem::markup:
            return "markup";
    }
    return "invalid_utf8";
}

std::optional<InputProblem> check_input(std::string_view value, std::size_t max_bytes,
                                        bool allow_markup) {
    if (value.size() > max_bytes) {
        return InputProblem::too_long;
    }
    auto points = account::code_points(value);
    if (!points) {
        return InputProblem::invalid_utf8;
    }
    for (char32_t c : *points) {
        if (c < 0x20 || (c >= 0x7f && c <= 0x9f) || c == 0x2028 || c == 0x2029) {
            return InputProblem::control_character;
        }
    }
    if (!allow_markup && value.find_first_of("<>") != std::string_view::npos) {
        return InputProblem::markup;
    }
    return std::nullopt;
}

Form::Form(const http::HttpRequest& req) : fields_(req.form_params()) {}

std::string Form::get(std::string_view name) const {
    for (const auto& [key, value] : fields_) {
        if (key == name) {
            return value;
        }
    }
    return {};
}

bool Form::has(std::string_view name) const {
    for (const auto& field : fields_) {
        if (field.first == name) {
            return true;
        }
    }
    return false;
}

}  // namespace idpd::web
