// Every Value alternative comes back exactly as it was written, on every backend.
#include <cstdint>
#include <limits>
#include <sstream>
#include <string>
#include <vector>

#include "conformance/backend.h"
#include "store/database.h"

namespace idpd::conformance {
namespace {

using store::Blob;
using store::Params;
using store::Value;

std::string describe(const Value& value) {
    std::ostringstream out;
    std::visit(
        [&](const auto& v) {
            using T = std::decay_t<decltype(v)>;
            if constexpr (std::is_same_v<T, std::nullptr_t>) {
                out << "NULL";
            } else if constexpr (std::is_same_v<T, std::int64_t>) {
                out << "int64 " << v;
            } else if constexpr (std::is_same_v<T, double>) {
                out.precision(17);
                out << "double " << v;
            } else if constexpr (std::is_same_v<T, std::string>) {
                out << "text '" << v << "' (" << v.size() << " bytes)";
            } else {
                out << "blob of " << v.bytes.size() << " bytes";
            }
        },
        value);
    return out.str();
}

std::string every_byte() {
    std::string bytes;
    for (int i = 0; i < 256; ++i) {
        bytes += static_cast<char>(i);
    }
    return bytes;
}

std::string pseudo_random_bytes(std::size_t size) {
    std::string bytes(size, '\0');
    std::uint32_t state = 12345;
    for (auto& byte : bytes) {
        state = state * 1103515245 + 12345;
        byte = static_cast<char>(state >> 24);
    }
    return bytes;
}

TEST_P(StoreTest, EveryValueTypeRoundTrips) {
    ASSERT_TRUE(
        db().execute("CREATE TABLE vals (id BIGINT PRIMARY KEY, i BIGINT, d DOUBLE, "
                     "s TEXT, b BLOB)",
                     {}));
    const std::vector<Params> written{
        {std::int64_t{1}, std::numeric_limits<std::int64_t>::min(), -1.5, std::string{}, Blob{}},
        {std::int64_t{2}, std::numeric_limits<std::int64_t>::max(), 0.1, std::string{"plain ASCII"},
         Blob{every_byte()}},
        {std::int64_t{3}, std::int64_t{0}, 1e300, std::string{"héllo wörld"},
         Blob{std::string(1, '\0')}},
        {std::int64_t{4}, std::int64_t{-1}, 2.2250738585072014e-308,
         std::string{"用户名 中文 日本語 한국어"}, Blob{std::string("\0\0abc\0", 6)}},
        {std::int64_t{5}, std::int64_t{42}, -1.7976931348623157e308,
         std::string{"emoji 😀 and 𝄞 are four bytes each"}, Blob{pseudo_random_bytes(60000)}},
        {std::int64_t{6}, nullptr, nullptr, nullptr, nullptr},
    };
    for (const auto& row : written) {
        auto inserted =
            db().execute("INSERT INTO vals (id, i, d, s, b) VALUES (?, ?, ?, ?, ?)", row);
        ASSERT_TRUE(inserted) << inserted.error().message;
    }

    auto rows = db().query("SELECT id, i, d, s, b FROM vals ORDER BY id", {});
    ASSERT_TRUE(rows) << rows.error().message;
    ASSERT_EQ(rows->size(), written.size());
    for (std::size_t r = 0; r < written.size(); ++r) {
        for (std::size_t c = 0; c < written[r].size(); ++c) {
            const Value& got = (*rows)[r].at(c);
            EXPECT_TRUE(got == written[r][c])
                << "row " << r + 1 << " column " << c << ": wrote " << describe(written[r][c])
                << ", read " << describe(got);
        }
    }
}

TEST_P(StoreTest, EmptyTextIsNotNull) {
    ASSERT_TRUE(db().execute("CREATE TABLE texts (id BIGINT PRIMARY KEY, s TEXT)", {}));
    ASSERT_TRUE(db().execute("INSERT INTO texts (id, s) VALUES (1, ?)", {std::string{}}));
    auto rows = db().query("SELECT s FROM texts WHERE s IS NOT NULL", {});
    ASSERT_TRUE(rows) << rows.error().message;
    ASSERT_EQ(rows->size(), 1U);
    EXPECT_EQ(rows->front().optional_text(0), std::string{});
}

TEST_P(StoreTest, IntegerParametersCompareWithIntegerColumns) {
    ASSERT_TRUE(db().execute("CREATE TABLE nums (id BIGINT PRIMARY KEY, n BIGINT)", {}));
    ASSERT_TRUE(db().execute("INSERT INTO nums (id, n) VALUES (1, ?), (2, ?)",
                             {std::int64_t{10}, std::int64_t{20}}));
    auto rows = db().query("SELECT id FROM nums WHERE n > ? ORDER BY id", {std::int64_t{15}});
    ASSERT_TRUE(rows) << rows.error().message;
    ASSERT_EQ(rows->size(), 1U);
    EXPECT_EQ(rows->front().integer(0), 2);
    auto count = db().query("SELECT COUNT(*) FROM nums", {});
    ASSERT_TRUE(count) << count.error().message;
    EXPECT_EQ(count->front().integer(0), 2);
}

}  // namespace
}  // namespace idpd::conformance
