// load_master_key (declared in jose/key_store.h): the master key from config, or, in
// development, from a file generated beside the database.
#include <array>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include <fcntl.h>
#include <openssl/crypto.h>
#include <openssl/rand.h>
#include <spdlog/spdlog.h>
#include <sys/stat.h>
#include <unistd.h>

#include "jose/base64url.h"
#include "jose/key_store.h"

namespace idpd::jose {
namespace {

std::string trim(std::string text) {
    while (!text.empty() && (text.back() == '\n' || text.back() == '\r' || text.back() == ' ')) {
        text.pop_back();
    }
    return text;
}

Result<MasterKey> read_key_file(const std::filesystem::path& file) {
    std::ifstream in(file);
    if (!in) {
        return fail(ErrorCode::internal, "cannot read master key file " + file.string());
    }
    std::stringstream text;
    text << in.rdbuf();
    auto key = MasterKey::from_base64url(trim(text.str()));
    if (!key) {
        return fail(ErrorCode::invalid_key, file.string() + ": " + key.error().detail);
    }
    return key;
}

// Creates `file` with a fresh key, readable by its owner only. O_EXCL: when two processes
// start at once, one creates the file and the other reads it.
Result<bool> create_key_file(const std::filesystem::path& file) {
    std::array<unsigned char, MasterKey::size> bytes{};
    if (RAND_bytes(bytes.data(), static_cast<int>(bytes.size())) != 1) {
        return fail(ErrorCode::internal, "RAND_bytes failed");
    }
    std::string text = base64url_encode(std::string_view(
                           reinterpret_cast<const char*>(bytes.data()), bytes.size())) +
                       "\n";
    OPENSSL_cleanse(bytes.data(), bytes.size());
    std::error_code ignored;
    if (file.has_parent_path()) {
        std::filesystem::create_directories(file.parent_path(), ignored);
    }
    const int fd = ::open(file.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0) {
        if (errno == EEXIST) {
            return false;
        }
        return fail(ErrorCode::internal,
                    "cannot create master key file " + file.string() + ": " + std::strerror(errno));
    }
    const bool written = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size());
    OPENSSL_cleanse(text.data(), text.size());
    if (::close(fd) != 0 || !written) {
        return fail(ErrorCode::internal, "cannot write master key file " + file.string());
    }
    return true;
}

}  // namespace

Result<MasterKey> load_master_key(const MasterKeyOptions& options) {
    if (!options.master_key.empty()) {
        auto key = MasterKey::from_base64url(options.master_key);
        if (!key) {
            return fail(ErrorCode::invalid_key,
                        "the master key must be 32 bytes as unpadded base64url (43 characters)");
        }
        return key;
    }
    if (options.generated_key_file.empty()) {
        return fail(ErrorCode::invalid_key,
                    "no master key: set keys.master_key (32 random bytes, base64url)");
    }
    auto created = create_key_file(options.generated_key_file);
    if (!created) {
        return std::unexpected(created.error());
    }
    spdlog::warn(
        "signing keys: NO MASTER KEY CONFIGURED. {} the development master key {}; anyone who "
        "can read it can open every signing key. In production set keys.master_key.",
        *created ? "Generated" : "Using", options.generated_key_file.string());
    return read_key_file(options.generated_key_file);
}

}  // namespace idpd::jose
