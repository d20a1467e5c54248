#include "auth/captcha_store.h"

#include <array>
#include <optional>

#include <openssl/crypto.h>

#include "auth/captcha_image.h"
#include "auth/session_store.h"

namespace idpd::auth {
namespace {

constexpr std::size_t id_bytes = 16;
constexpr std::size_t max_answer_bytes = 64;

std::int64_t epoch(std::chrono::sys_seconds t) {
    return t.time_since_epoch().count();
}

// The stored form of a page's id, or nullopt when it cannot be one of ours.
std::optional<store::Blob> id_hash(std::string_view id) {
    if (id.size() != 2 * id_bytes ||
        id.find_first_not_of("0123456789abcdef") != std::string_view::npos) {
        return std::nullopt;
    }
    return store::Blob{sha256(id)};
}

// Upper-case ASCII without surrounding spaces: what people type for what the image shows.
std::string normalised(std::string_view answer) {
    const auto first = answer.find_first_not_of(" \t");
    if (first == std::string_view::npos) {
        return {};
    }
    answer = answer.substr(first, answer.find_last_not_of(" \t") - first + 1);
    std::string out;
    for (char c : answer) {
        out.push_back(c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c);
    }
    return out;
}

// Bound to the id, so one hash says nothing about another challenge's code.
std::string answer_hash(std::string_view id, std::string_view code) {
    std::string input = "idpd-captcha";
    input.push_back('\0');
    input.append(id).push_back('\0');
    input.append(code);
    return sha256(input);
}

}  // namespace

store::Result<std::string> CaptchaStore::issue(std::chrono::sys_seconds now) {
    std::array<std::uint8_t, id_bytes> raw{};
    ids_.fill(raw);
    const std::string id =
        to_hex(std::string_view(reinterpret_cast<const char*>(raw.data()), raw.size()));
    const std::string code = captcha_code(codes_);
    const std::string svg = draw_captcha(code, codes_);
    auto inserted = db_.execute(
        "INSERT INTO captchas (id_hash, answer_hash, image, created_at, expires_at) "
        "VALUES (?, ?, ?, ?, ?)",
        {store::Blob{sha256(id)}, store::Blob{answer_hash(id, code)}, svg, epoch(now),
         epoch(now + options_.ttl)});
    if (!inserted) {
        return std::unexpected(inserted.error());
    }
    return id;
}

store::Result<std::string> CaptchaStore::image(std::string_view id, std::chrono::sys_seconds now) {
    auto key = id_hash(id);
    if (!key) {
        return store::fail(store::Error::Kind::not_found, "not a captcha id");
    }
    auto rows = db_.query(
        "SELECT image FROM captchas WHERE id_hash = ? AND used_at IS NULL AND expires_at > ?",
        {*key, epoch(now)});
    if (!rows) {
        return std::unexpected(rows.error());
    }
    if (rows->empty()) {
        return store::fail(store::Error::Kind::not_found, "no open captcha with this id");
    }
    return rows->front().text(0);
}

store::Result<CaptchaVerdict> CaptchaStore::check(std::string_view id, std::string_view answer,
                                                  std::chrono::sys_seconds now) {
    auto key = id_hash(id);
    if (!key) {
        return CaptchaVerdict::unknown;
    }
    auto claimed = db_.execute(
        "UPDATE captchas SET used_at = ? WHERE id_hash = ? AND used_at IS NULL AND expires_at > ?",
        {epoch(now), *key, epoch(now)});
    if (!claimed) {
        return std::unexpected(claimed.error());
    }
    auto rows = db_.query("SELECT answer_hash, used_at, expires_at FROM captchas WHERE id_hash = ?",
                          {*key});
    if (!rows) {
        return std::unexpected(rows.error());
    }
    if (rows->empty()) {
        return CaptchaVerdict::unknown;
    }
    if (claimed->affected_rows != 1) {
        // Someone answered it before (maybe a racing request), or its time ran out.
        const auto& row = rows->front();
        return row.is_null(1) && row.integer(2) <= epoch(now) ? CaptchaVerdict::expired
                                                              : CaptchaVerdict::used;
    }
    const std::string stored = rows->front().text(0);
    const std::string typed = normalised(answer.substr(0, max_answer_bytes));
    const std::string expected = answer_hash(id, typed);
    const bool same = stored.size() == expected.size() &&
                      CRYPTO_memcmp(stored.data(), expected.data(), stored.size()) == 0;
    return same ? CaptchaVerdict::passed : CaptchaVerdict::wrong;
}

store::Result<std::uint64_t> CaptchaStore::sweep(std::chrono::sys_seconds now) {
    auto deleted = db_.execute("DELETE FROM captchas WHERE expires_at <= ?", {epoch(now)});
    if (!deleted) {
        return std::unexpected(deleted.error());
    }
    return deleted->affected_rows;
}

}  // namespace idpd::auth
