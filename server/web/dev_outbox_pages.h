#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "http/router.h"
#include "web/page_kit.h"

namespace idpd::web {

// One run of a message body: plain text, or an http(s) URL to show as a link.
struct TextPiece {
    std::string text;
    bool is_link = false;
};

// Splits `body` into text and http:// or https:// URLs. A URL runs to the next whitespace,
// quote, '<', '>' or non-ASCII character, less trailing punctuation (".,;:!?)"). Only these
// two schemes become links, so no javascript: URL is ever clickable.
std::vector<TextPiece> link_pieces(std::string_view body);

// GET /dev/outbox: development only (notify.dev_outbox_page; the configuration refuses it with
// an https issuer, and it answers 404 to anyone but a loopback client). Lists the 50 newest
// outbox messages — time, kind, channel, recipient, subject, status — with each body as text
// and its links clickable, so a developer can follow a verification link without a mail
// server.
class DevOutboxPages {
public:
    explicit DevOutboxPages(PageKit& kit) : kit_(kit) {}

    void add_routes(http::Router& router);

private:
    http::HttpResponse get_outbox(const http::HttpRequest& req);

    PageKit& kit_;
};

}  // namespace idpd::web
