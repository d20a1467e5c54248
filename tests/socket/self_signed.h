// Throwaway TLS material for socket tests, made with OpenSSL in a temporary directory.
#pragma once

#include <cstdint>
#include <string>

#include "http/tls_context.h"

namespace idpd::http::test {

// A new empty directory under /tmp.
std::string make_temp_directory();

// Writes a fresh P-256 key and a self-signed certificate whose subject CN is `common_name` to
// files (overwriting them) and returns their paths.
TlsFiles write_self_signed(const std::string& cert_file, const std::string& key_file,
                           const std::string& common_name);

// The subject CN of the certificate a TLS server on 127.0.0.1:port presents to a new
// connection, without verifying it; "" if the handshake fails.
std::string served_common_name(std::uint16_t port);

}  // namespace idpd::http::test
