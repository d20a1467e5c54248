#include "auth/password_hasher.h"

#include <array>
#include <charconv>
#include <optional>
#include <string>
#include <vector>

#include <argon2.h>

#include "jose/base64url.h"

namespace idpd::auth {
namespace {

// RFC 9106 §3.1: a 128-bit salt and a 256-bit tag.
constexpr std::size_t salt_bytes = 16;
constexpr std::size_t hash_bytes = 32;
// Unpadded base64 lengths of the salt and of the hash in the PHC string.
constexpr std::size_t salt_b64_chars = 22;
constexpr std::size_t hash_b64_chars = 43;

constexpr std::uint32_t min_memory_kib = 1024;
constexpr std::uint32_t max_memory_kib = 4U * 1024 * 1024;
constexpr std::uint32_t max_iterations = 64;
constexpr std::uint32_t max_parallelism = 16;

constexpr std::string_view argon2id_prefix = "$argon2id$";

std::string parameters_prefix(const PasswordHasherOptions& options) {
    return "$argon2id$v=" + std::to_string(ARGON2_VERSION_13) +
           "$m=" + std::to_string(options.memory_kib) + ",t=" + std::to_string(options.iterations) +
           ",p=" + std::to_string(options.parallelism) + "$";
}

// PHC strings use standard base64 without padding (the PHC string format spec, "B64").
std::string b64_encode(const std::uint8_t* data, std::size_t size) {
    std::string text =
        jose::base64url_encode(std::string_view(reinterpret_cast<const char*>(data), size));
    for (char& c : text) {
        c = c == '-' ? '+' : (c == '_' ? '/' : c);
    }
    return text;
}

std::optional<std::vector<std::uint8_t>> b64_decode(std::string_view text) {
    std::string url(text);
    for (char& c : url) {
        if (c == '-' || c == '_') {
            return std::nullopt;  // not in the standard alphabet
        }
        c = c == '+' ? '-' : (c == '/' ? '_' : c);
    }
    auto bytes = jose::base64url_decode(url);
    if (!bytes) {
        return std::nullopt;
    }
    return std::vector<std::uint8_t>(bytes->begin(), bytes->end());
}

// "name=<decimal>" at the front of `text`, advancing past it.
std::optional<std::uint32_t> take_number(std::string_view& text, std::string_view name) {
    if (!text.starts_with(name)) {
        return std::nullopt;
    }
    text.remove_prefix(name.size());
    std::uint32_t value = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc() || end == text.data()) {
        return std::nullopt;
    }
    text.remove_prefix(static_cast<std::size_t>(end - text.data()));
    return value;
}

// $argon2id$v=19$m=<m>,t=<t>,p=<p>$<salt>$<hash>, as libargon2 writes it.
struct Phc {
    PasswordHasherOptions cost;
    std::vector<std::uint8_t> salt;
    std::vector<std::uint8_t> hash;
};

std::optional<Phc> parse_phc(std::string_view text) {
    if (!text.starts_with(argon2id_prefix)) {
        return std::nullopt;
    }
    text.remove_prefix(argon2id_prefix.size());
    Phc phc;
    auto version = take_number(text, "v=");
    if (!version || *version != ARGON2_VERSION_13 || !text.starts_with('$')) {
        return std::nullopt;
    }
    text.remove_prefix(1);
    auto m = take_number(text, "m=");
    auto t = m && text.starts_with(',') ? (text.remove_prefix(1), take_number(text, "t="))
                                        : std::nullopt;
    auto p = t && text.starts_with(',') ? (text.remove_prefix(1), take_number(text, "p="))
                                        : std::nullopt;
    if (!p || !text.starts_with('$')) {
        return std::nullopt;
    }
    text.remove_prefix(1);
    const std::size_t dollar = text.find('$');
    if (dollar == std::string_view::npos) {
        return std::nullopt;
    }
    auto salt = b64_decode(text.substr(0, dollar));
    auto hash = b64_decode(text.substr(dollar + 1));
    // libargon2's own limits: salt ≥ 8 bytes, tag ≥ 4 bytes.
    if (!salt || !hash || salt->size() < ARGON2_MIN_SALT_LENGTH ||
        hash->size() < ARGON2_MIN_OUTLEN || hash->size() > 1024) {
        return std::nullopt;
    }
    phc.cost = {*m, *t, *p};
    phc.salt = std::move(*salt);
    phc.hash = std::move(*hash);
    return phc;
}

argon2_context context_for(const PasswordHasherOptions& cost, std::string_view password,
                           std::vector<std::uint8_t>& salt, std::uint8_t* out,
                           std::size_t out_len) {
    argon2_context ctx{};
    ctx.out = out;
    ctx.outlen = static_cast<std::uint32_t>(out_len);
    ctx.pwd = reinterpret_cast<std::uint8_t*>(const_cast<char*>(password.data()));
    ctx.pwdlen = static_cast<std::uint32_t>(password.size());
    ctx.salt = salt.data();
    ctx.saltlen = static_cast<std::uint32_t>(salt.size());
    ctx.t_cost = cost.iterations;
    ctx.m_cost = cost.memory_kib;
    ctx.lanes = cost.parallelism;
    ctx.threads = cost.parallelism;
    ctx.version = ARGON2_VERSION_13;
    ctx.flags = ARGON2_DEFAULT_FLAGS;
    return ctx;
}

std::string range_message(std::string_view name, std::uint32_t value, std::uint32_t low,
                          std::uint32_t high) {
    return "argon2 " + std::string(name) + " must be from " + std::to_string(low) + " to " +
           std::to_string(high) + ", got " + std::to_string(value);
}

}  // namespace

Result<PasswordHasher> PasswordHasher::create(const PasswordHasherOptions& options,
                                              RandomSource& random) {
    if (options.memory_kib < min_memory_kib || options.memory_kib > max_memory_kib) {
        return fail(
            range_message("memory_kib", options.memory_kib, min_memory_kib, max_memory_kib));
    }
    if (options.iterations < 1 || options.iterations > max_iterations) {
        return fail(range_message("iterations", options.iterations, 1, max_iterations));
    }
    if (options.parallelism < 1 || options.parallelism > max_parallelism) {
        return fail(range_message("parallelism", options.parallelism, 1, max_parallelism));
    }
    PasswordHasher hasher{options, random};
    // The dummy: this hasher's parameters, a random salt and a random tag. verify() against it
    // runs a whole Argon2id with today's cost and then fails the comparison, so it costs what a
    // real verify costs, and no hash is computed at start (ready time, idle memory).
    std::array<std::uint8_t, salt_bytes> salt{};
    std::array<std::uint8_t, hash_bytes> tag{};
    random.fill(salt);
    random.fill(tag);
    hasher.dummy_phc_ = parameters_prefix(options) + b64_encode(salt.data(), salt.size()) + "$" +
                        b64_encode(tag.data(), tag.size());
    // Blocks are allocated at the first hash: a process that has not hashed keeps none.
    hasher.memory_ = std::make_shared<Argon2MemoryPool>(
        usable_cpus(), static_cast<std::size_t>(options.memory_kib) * 1024);
    return hasher;
}

Result<std::string> PasswordHasher::hash(std::string_view password) const {
    std::vector<std::uint8_t> salt(salt_bytes);
    random_->fill(salt);
    std::array<std::uint8_t, hash_bytes> out{};
    argon2_context ctx = context_for(options_, password, salt, out.data(), out.size());
    const int status = memory_->hash(ctx);
    if (status != ARGON2_OK) {
        return fail(std::string("argon2id: ") + argon2_error_message(status));
    }
    return parameters_prefix(options_) + b64_encode(salt.data(), salt.size()) + "$" +
           b64_encode(out.data(), out.size());
}

bool PasswordHasher::verify(std::string_view password, std::string_view phc) const {
    // Only Argon2id: an argon2i or argon2d string in the column is not one of ours.
    auto parsed = parse_phc(phc);
    if (!parsed) {
        return false;
    }
    const PasswordHasherOptions& cost = parsed->cost;
    if (cost.memory_kib < 8 * cost.parallelism || cost.memory_kib > max_memory_kib ||
        cost.iterations < 1 || cost.iterations > max_iterations || cost.parallelism < 1 ||
        cost.parallelism > max_parallelism) {
        return false;
    }
    std::vector<std::uint8_t> out(parsed->hash.size());
    argon2_context ctx = context_for(cost, password, parsed->salt, out.data(), out.size());
    return memory_->verify(ctx, parsed->hash.data()) == ARGON2_OK;
}

bool PasswordHasher::verify_dummy(std::string_view password) const {
    static_cast<void>(verify(password, dummy_phc_));
    return false;
}

bool PasswordHasher::needs_rehash(std::string_view phc) const {
    const std::string prefix = parameters_prefix(options_);
    if (!phc.starts_with(prefix)) {
        return true;
    }
    const std::string_view rest = phc.substr(prefix.size());
    const std::size_t dollar = rest.find('$');
    if (dollar == std::string_view::npos) {
        return true;
    }
    return dollar != salt_b64_chars || rest.size() - dollar - 1 != hash_b64_chars;
}

}  // namespace idpd::auth
