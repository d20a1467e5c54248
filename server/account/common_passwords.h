#pragma once

#include <string_view>

namespace idpd::account {

// The bytes of server/account/common_passwords.txt, compiled into the binary at build time
// (scripts/embed_text.cmake), like the migrations: no file to install or lose beside idpd, and
// the list a build was tested with is the list it enforces. Sources and licences are in the
// file's header: the zxcvbn list (MIT) and John the Ripper's password.lst (public domain).
std::string_view common_passwords_text();

// Whether `password` is on that list, ignoring case (the list is lower-case; `password` is
// case-folded here). O(1): a hash set built once, on first use, thread-safe.
bool is_common_password(std::string_view password);

}  // namespace idpd::account
