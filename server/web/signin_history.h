#pragma once

#include <cstdint>
#include <string>

#include "http/request.h"
#include "web/page_kit.h"

namespace idpd::web {

// Adds one attempt to the account's sign-in history (auth/signin_history_store.h) with the
// request's IP and device. `method`: "password", an upstream's name, with "+totp" or
// "+recovery_code" after a second step. A database failure is logged, not shown: the sign-in
// itself has happened (or failed) either way.
void record_signin(PageKit& kit, const http::HttpRequest& req, std::int64_t user_id,
                   const std::string& method, bool success);

// "Chrome / Windows" from the request's User-Agent; "?" when nothing is recognised.
std::string device_of(const http::HttpRequest& req);

}  // namespace idpd::web
