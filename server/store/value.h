#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace idpd::store {

// Bytes that are not text (an encrypted key, a hash). Bound as BLOB / VARBINARY.
struct Blob {
    std::string bytes;
    bool operator==(const Blob&) const = default;
};

// One SQL value, as both backends can bind and read it. Times are stored as integer
// seconds or milliseconds since the epoch, so the two dialects never disagree on zones.
using Value = std::variant<std::nullptr_t, std::int64_t, double, std::string, Blob>;
using Params = std::vector<Value>;

// One result row. Accessors take the column index in SELECT order; a NULL or a mismatched
// type reads as the fallback (`std::nullopt` for the optional forms).
class Row {
public:
    explicit Row(std::vector<Value> values) : values_(std::move(values)) {}

    std::size_t size() const { return values_.size(); }

    const Value& at(std::size_t i) const { return values_.at(i); }

    bool is_null(std::size_t i) const { return std::holds_alternative<std::nullptr_t>(at(i)); }

    std::int64_t integer(std::size_t i) const;
    std::optional<std::int64_t> optional_integer(std::size_t i) const;
    double real(std::size_t i) const;
    // Text or blob bytes; empty for NULL.
    std::string text(std::size_t i) const;
    std::optional<std::string> optional_text(std::size_t i) const;

private:
    std::vector<Value> values_;
};

using Rows = std::vector<Row>;

}  // namespace idpd::store
