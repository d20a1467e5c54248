#pragma once

#include "http/router.h"
#include "web/page_kit.h"

namespace idpd::web {

// Avatars (design.md §2): shown on the Overview tab, given to relying parties as `picture`.
//   POST /account/avatar          multipart/form-data: an image file (PNG, JPEG or WebP, at
//                                 most [account] avatar_max_bytes and avatar_max_pixels),
//                                 validated by decoding (account/avatar_image.h), kept as is
//   POST /account/avatar/url      an https URL, stored as given and never fetched by us
//   POST /account/avatar/remove
//   GET  /avatars/:id             an uploaded avatar, from our own origin, with its own
//                                 Content-Type, nosniff and CSP default-src 'none'
// Our pages show only uploaded avatars as images: their CSP allows img-src 'self' and data:,
// so a URL avatar is shown as a link (docs/architecture.md, "Account center").
class AvatarPages {
public:
    explicit AvatarPages(PageKit& kit) : kit_(kit) {}

    void add_routes(http::Router& router);

private:
    http::HttpResponse post_upload(const http::HttpRequest& req);
    http::HttpResponse post_url(const http::HttpRequest& req);
    http::HttpResponse post_remove(const http::HttpRequest& req);
    http::HttpResponse get_avatar(const http::HttpRequest& req);
    // The signed-in visit past the CSRF check, or the answer to send instead.
    std::optional<http::HttpResponse> refuse(const http::HttpRequest& req, Visit& visit,
                                             const std::string& csrf);
    void audit(const http::HttpRequest& req, const Visit& visit, std::string_view change);

    PageKit& kit_;
};

}  // namespace idpd::web
