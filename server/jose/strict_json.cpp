#include "jose/strict_json.h"

#include <cstddef>
#include <set>
#include <string>
#include <vector>

namespace idpd::jose {

namespace {

constexpr std::size_t max_depth = 16;

// A first pass over the text that builds nothing: it stops at the first duplicate member name or
// at the first container past max_depth, before ~json() would have to recurse through it.
class ShapeCheck {
public:
    using Json = nlohmann::json;

    bool null() { return true; }

    bool boolean(bool /*value*/) { return true; }

    bool number_integer(Json::number_integer_t /*value*/) { return true; }

    bool number_unsigned(Json::number_unsigned_t /*value*/) { return true; }

    bool number_float(Json::number_float_t /*value*/, const Json::string_t& /*text*/) {
        return true;
    }

    bool string(Json::string_t& /*value*/) { return true; }

    bool binary(Json::binary_t& /*value*/) { return true; }

    bool start_object(std::size_t /*elements*/) {
        keys_.emplace_back();
        return enter();
    }

    bool key(Json::string_t& name) {
        if (!keys_.back().insert(name).second) {
            problem_ = "json: duplicate member name";
            return false;
        }
        return true;
    }

    bool end_object() {
        keys_.pop_back();
        --depth_;
        return true;
    }

    bool start_array(std::size_t /*elements*/) { return enter(); }

    bool end_array() {
        --depth_;
        return true;
    }

    bool parse_error(std::size_t /*position*/, const std::string& /*last_token*/,
                     const nlohmann::detail::exception& /*error*/) {
        problem_ = "json: not valid JSON";
        return false;
    }

    const std::string& problem() const { return problem_; }

private:
    bool enter() {
        if (++depth_ > max_depth) {
            problem_ = "json: nested deeper than 16 levels";
            return false;
        }
        return true;
    }

    std::vector<std::set<std::string>> keys_;
    std::size_t depth_ = 0;
    std::string problem_;
};

}  // namespace

Result<nlohmann::json> parse_json_object(std::string_view text) {
    ShapeCheck check;
    if (!nlohmann::json::sax_parse(text.begin(), text.end(), &check)) {
        return fail(ErrorCode::malformed,
                    check.problem().empty() ? "json: not valid JSON" : check.problem());
    }
    nlohmann::json value = nlohmann::json::parse(text.begin(), text.end(), nullptr,
                                                 /*allow_exceptions=*/false);
    if (value.is_discarded()) {
        return fail(ErrorCode::malformed, "json: not valid JSON");
    }
    if (!value.is_object()) {
        return fail(ErrorCode::malformed, "json: not an object");
    }
    return value;
}

Result<std::string> serialize_json(const nlohmann::json& value) {
    try {
        return value.dump();
    } catch (const nlohmann::json::exception& e) {
        return fail(ErrorCode::malformed, std::string("json: cannot serialize: ") + e.what());
    }
}

}  // namespace idpd::jose
