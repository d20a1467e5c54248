#pragma once

#include <expected>
#include <memory>
#include <string>

// OpenSSL's SSL_CTX, named without including OpenSSL.
struct ssl_ctx_st;

namespace idpd::http {

// PEM files for serving HTTPS.
struct TlsFiles {
    std::string cert_file;  // the certificate, then any intermediates
    std::string key_file;   // its private key, unencrypted
};

// A server certificate with its key, loaded and checked. Immutable once loaded: a reload builds
// a new one, which new handshakes pick up while open connections keep theirs.
class TlsContext {
public:
    // Reads both files and checks that the key belongs to the certificate. Never throws; the
    // error is one line naming the file and the problem.
    static std::expected<TlsContext, std::string> load(const TlsFiles& files);

    // OpenSSL's handle; shared, so it stays valid while any holder of this context lives.
    ssl_ctx_st* native() const { return context_.get(); }

private:
    explicit TlsContext(std::shared_ptr<ssl_ctx_st> context) : context_(std::move(context)) {}

    std::shared_ptr<ssl_ctx_st> context_;
};

}  // namespace idpd::http
