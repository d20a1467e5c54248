#include "store/value.h"

#include <charconv>

namespace idpd::store {

std::optional<std::int64_t> Row::optional_integer(std::size_t i) const {
    const Value& v = at(i);
    if (const auto* n = std::get_if<std::int64_t>(&v)) {
        return *n;
    }
    if (const auto* d = std::get_if<double>(&v)) {
        return static_cast<std::int64_t>(*d);
    }
    // MySQL returns DECIMAL and some aggregates (SUM) as text; read those as numbers too.
    if (const auto* s = std::get_if<std::string>(&v)) {
        std::int64_t n = 0;
        auto [end, ec] = std::from_chars(s->data(), s->data() + s->size(), n);
        if (ec == std::errc{} && end == s->data() + s->size()) {
            return n;
        }
    }
    return std::nullopt;
}

std::int64_t Row::integer(std::size_t i) const {
    return optional_integer(i).value_or(0);
}

double Row::real(std::size_t i) const {
    const Value& v = at(i);
    if (const auto* d = std::get_if<double>(&v)) {
        return *d;
    }
    if (const auto* n = std::get_if<std::int64_t>(&v)) {
        return static_cast<double>(*n);
    }
    return 0.0;
}

std::optional<std::string> Row::optional_text(std::size_t i) const {
    const Value& v = at(i);
    if (const auto* s = std::get_if<std::string>(&v)) {
        return *s;
    }
    if (const auto* b = std::get_if<Blob>(&v)) {
        return b->bytes;
    }
    if (const auto* n = std::get_if<std::int64_t>(&v)) {
        return std::to_string(*n);
    }
    return std::nullopt;
}

std::string Row::text(std::size_t i) const {
    return optional_text(i).value_or(std::string{});
}

}  // namespace idpd::store
