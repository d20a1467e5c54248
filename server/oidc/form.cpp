#include "oidc/form.h"

#include <cctype>

namespace idpd::oidc {
namespace {

bool is_form_content_type(const std::optional<std::string>& value) {
    if (!value) {
        return false;
    }
    std::string media = value->substr(0, value->find(';'));
    while (!media.empty() && media.back() == ' ') {
        media.pop_back();
    }
    for (char& c : media) {
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
    return media == "application/x-www-form-urlencoded";
}

}  // namespace

Result<FormParams> FormParams::parse(const http::HttpRequest& req) {
    if (!is_form_content_type(req.headers.get("Content-Type"))) {
        return fail(ErrorCode::invalid_request,
                    "the request body must be application/x-www-form-urlencoded");
    }
    FormParams form;
    for (auto& [name, value] : req.form_params()) {
        if (form.params_.contains(name)) {
            return fail(ErrorCode::invalid_request, "parameter " + name + " is repeated");
        }
        form.params_.emplace(name, std::move(value));
    }
    // Only now drop the empty ones, so "a=&a=1" is still refused as a repetition.
    std::erase_if(form.params_, [](const auto& entry) { return entry.second.empty(); });
    return form;
}

std::optional<std::string> FormParams::get(std::string_view name) const {
    auto found = params_.find(name);
    if (found == params_.end()) {
        return std::nullopt;
    }
    return found->second;
}

}  // namespace idpd::oidc
