#include "socket/self_signed.h"

#include <cstdio>
#include <cstdlib>
#include <memory>
#include <stdexcept>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <sys/socket.h>
#include <unistd.h>

namespace idpd::http::test {
namespace {

template <typename T, void (*free_function)(T*)>
struct Freer {
    void operator()(T* p) const { free_function(p); }
};

using KeyPtr = std::unique_ptr<EVP_PKEY, Freer<EVP_PKEY, EVP_PKEY_free>>;
using CertPtr = std::unique_ptr<X509, Freer<X509, X509_free>>;

void write_pem(const std::string& path, const auto& write) {
    std::unique_ptr<FILE, decltype(&std::fclose)> file(std::fopen(path.c_str(), "w"), &std::fclose);
    if (!file || write(file.get()) != 1) {
        throw std::runtime_error("cannot write " + path);
    }
}

}  // namespace

std::string make_temp_directory() {
    std::string pattern = "/tmp/idpd-socket-test-XXXXXX";
    if (::mkdtemp(pattern.data()) == nullptr) {
        throw std::runtime_error("mkdtemp failed");
    }
    return pattern;
}

TlsFiles write_self_signed(const std::string& cert_file, const std::string& key_file,
                           const std::string& common_name) {
    KeyPtr key(EVP_EC_gen("P-256"));
    CertPtr cert(X509_new());
    if (!key || !cert) {
        throw std::runtime_error("OpenSSL could not make a key or certificate");
    }
    X509_set_version(cert.get(), 2);
    ASN1_INTEGER_set(X509_get_serialNumber(cert.get()), std::rand());
    X509_gmtime_adj(X509_getm_notBefore(cert.get()), -60);
    X509_gmtime_adj(X509_getm_notAfter(cert.get()), 3600);
    X509_NAME* name = X509_get_subject_name(cert.get());
    X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                               reinterpret_cast<const unsigned char*>(common_name.c_str()), -1, -1,
                               0);
    X509_set_issuer_name(cert.get(), name);
    X509_set_pubkey(cert.get(), key.get());
    if (X509_sign(cert.get(), key.get(), EVP_sha256()) == 0) {
        throw std::runtime_error("cannot sign the test certificate");
    }
    write_pem(cert_file, [&](FILE* f) { return PEM_write_X509(f, cert.get()); });
    write_pem(key_file, [&](FILE* f) {
        return PEM_write_PrivateKey(f, key.get(), nullptr, nullptr, 0, nullptr, nullptr);
    });
    return TlsFiles{cert_file, key_file};
}

std::string served_common_name(std::uint16_t port) {
    int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    timeval limit{5, 0};
    ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &limit, sizeof limit);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(port);
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    std::string common_name;
    SSL_CTX* context = SSL_CTX_new(TLS_client_method());
    SSL* ssl = SSL_new(context);
    if (::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0 &&
        SSL_set_fd(ssl, fd) == 1 && SSL_connect(ssl) == 1) {
        if (X509* peer = SSL_get1_peer_certificate(ssl)) {
            char text[256] = {};
            X509_NAME_get_text_by_NID(X509_get_subject_name(peer), NID_commonName, text,
                                      sizeof text);
            common_name = text;
            X509_free(peer);
        }
        SSL_shutdown(ssl);
    }
    SSL_free(ssl);
    SSL_CTX_free(context);
    ::close(fd);
    return common_name;
}

}  // namespace idpd::http::test
