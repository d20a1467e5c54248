#pragma once

// Owning handles for the OpenSSL objects jose/ creates, so every early return frees them.
// Internal to jose/: callers outside it see only jose::Key.

#include <memory>
#include <string>

#include <openssl/bn.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>

namespace idpd::jose {

struct OpensslFree {
    void operator()(EVP_PKEY* p) const { EVP_PKEY_free(p); }

    void operator()(EVP_PKEY_CTX* p) const { EVP_PKEY_CTX_free(p); }

    void operator()(EVP_MD_CTX* p) const { EVP_MD_CTX_free(p); }

    void operator()(EVP_CIPHER_CTX* p) const { EVP_CIPHER_CTX_free(p); }

    void operator()(BIGNUM* p) const { BN_free(p); }

    void operator()(ECDSA_SIG* p) const { ECDSA_SIG_free(p); }

    void operator()(OSSL_PARAM_BLD* p) const { OSSL_PARAM_BLD_free(p); }

    void operator()(OSSL_PARAM* p) const { OSSL_PARAM_free(p); }
};

template <class T>
using OpensslPtr = std::unique_ptr<T, OpensslFree>;

// The reason OpenSSL left on this thread's error queue, which it then clears, so that a later
// failure does not report a stale cause.
std::string openssl_error_text();

}  // namespace idpd::jose
