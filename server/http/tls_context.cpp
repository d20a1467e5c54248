#include "http/tls_context.h"

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

namespace idpd::http {
namespace {

// The most recent OpenSSL error as text, and an empty queue for the next caller.
std::string openssl_error() {
    unsigned long code = ERR_peek_last_error();
    std::string text = "unknown OpenSSL error";
    if (code != 0) {
        char buffer[256];
        ERR_error_string_n(code, buffer, sizeof buffer);
        text = buffer;
    }
    ERR_clear_error();
    return text;
}

std::string mismatch(const TlsFiles& files) {
    return "TLS: " + files.key_file + " is not the key of " + files.cert_file;
}

}  // namespace

std::expected<TlsContext, std::string> TlsContext::load(const TlsFiles& files) {
    ERR_clear_error();
    std::shared_ptr<SSL_CTX> context(SSL_CTX_new(TLS_server_method()), SSL_CTX_free);
    if (!context) {
        return std::unexpected("TLS: cannot create a context: " + openssl_error());
    }
    // TLS 1.0 and 1.1 are deprecated (RFC 8996); compression invites CRIME; renegotiation
    // mid-connection is both an attack surface and unsupported by the non-blocking transport.
    SSL_CTX_set_min_proto_version(context.get(), TLS1_2_VERSION);
    SSL_CTX_set_options(context.get(), SSL_OP_NO_COMPRESSION | SSL_OP_NO_RENEGOTIATION);
    // Writes are non-blocking and resumed from a copy of the unsent bytes (Pistache's queue).
    SSL_CTX_set_mode(context.get(),
                     SSL_MODE_ENABLE_PARTIAL_WRITE | SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER);
    if (SSL_CTX_use_certificate_chain_file(context.get(), files.cert_file.c_str()) != 1) {
        return std::unexpected("TLS: " + files.cert_file + ": " + openssl_error());
    }
    if (SSL_CTX_use_PrivateKey_file(context.get(), files.key_file.c_str(), SSL_FILETYPE_PEM) != 1) {
        unsigned long code = ERR_peek_last_error();
        if (ERR_GET_LIB(code) == ERR_LIB_X509 &&
            ERR_GET_REASON(code) == X509_R_KEY_VALUES_MISMATCH) {
            ERR_clear_error();
            return std::unexpected(mismatch(files));
        }
        return std::unexpected("TLS: " + files.key_file + ": " + openssl_error());
    }
    if (SSL_CTX_check_private_key(context.get()) != 1) {
        ERR_clear_error();
        return std::unexpected(mismatch(files));
    }
    return TlsContext(std::move(context));
}

}  // namespace idpd::http
