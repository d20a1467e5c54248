#include "auth/password_hasher.h"

#include <array>
#include <string>

#include <argon2.h>

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
    // The dummy is a hash of a random password nobody knows, made with this hasher's own
    // parameters, so verify_dummy() costs exactly what verify() of a current hash costs.
    std::array<std::uint8_t, 32> secret{};
    random.fill(secret);
    auto dummy =
        hasher.hash(std::string_view(reinterpret_cast<const char*>(secret.data()), secret.size()));
    if (!dummy) {
        return std::unexpected(dummy.error());
    }
    hasher.dummy_phc_ = std::move(*dummy);
    return hasher;
}

Result<std::string> PasswordHasher::hash(std::string_view password) const {
    std::array<std::uint8_t, salt_bytes> salt{};
    random_->fill(salt);
    std::string encoded(argon2_encodedlen(options_.iterations, options_.memory_kib,
                                          options_.parallelism, salt_bytes, hash_bytes, Argon2_id),
                        '\0');
    const int status = argon2id_hash_encoded(
        options_.iterations, options_.memory_kib, options_.parallelism, password.data(),
        password.size(), salt.data(), salt.size(), hash_bytes, encoded.data(), encoded.size());
    if (status != ARGON2_OK) {
        return fail(std::string("argon2id: ") + argon2_error_message(status));
    }
    encoded.resize(encoded.find('\0'));
    return encoded;
}

bool PasswordHasher::verify(std::string_view password, std::string_view phc) const {
    // Only Argon2id: an argon2i or argon2d string in the column is not one of ours.
    if (!phc.starts_with(argon2id_prefix)) {
        return false;
    }
    const std::string encoded(phc);  // libargon2 wants a NUL-terminated string
    return argon2_verify(encoded.c_str(), password.data(), password.size(), Argon2_id) == ARGON2_OK;
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
