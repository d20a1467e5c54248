#include "web/avatar_pages.h"

#include <charconv>

#include <spdlog/spdlog.h>

#include "account/avatar_image.h"
#include "account/avatar_store.h"
#include "http/multipart.h"
#include "web/form_input.h"

namespace idpd::web {
namespace {

using http::HttpRequest;
using http::HttpResponse;

HttpResponse not_found() {
    auto response = HttpResponse::text(404, "no avatar");
    response.headers.set("Cache-Control", "no-store");
    return response;
}

}  // namespace

void AvatarPages::add_routes(http::Router& router) {
    using http::Method;
    auto bind = [this](HttpResponse (AvatarPages::*handler)(const HttpRequest&)) {
        return [this, handler](const HttpRequest& req) {
            return (this->*handler)(req);
        };
    };
    router.add(Method::post, "/account/avatar", bind(&AvatarPages::post_upload));
    router.add(Method::post, "/account/avatar/url", bind(&AvatarPages::post_url));
    router.add(Method::post, "/account/avatar/remove", bind(&AvatarPages::post_remove));
    router.add(Method::get, "/avatars/:id", bind(&AvatarPages::get_avatar));
}

std::optional<HttpResponse> AvatarPages::refuse(const HttpRequest& req, Visit& visit,
                                                const std::string& csrf) {
    if (!visit.user) {
        return kit_.redirect(visit, "/signin?return_to=%2Faccount");
    }
    if (!kit_.csrf_ok(req, visit, csrf)) {
        return kit_.error_page(visit, 403, "error.forbidden", "error.csrf");
    }
    return std::nullopt;
}

void AvatarPages::audit(const HttpRequest& req, const Visit& visit, std::string_view change) {
    auto event = PageKit::audit_event(req, audit::EventType::avatar_changed);
    event.user_id = visit.user->id;
    event.detail = {{"change", change}};
    kit_.record(event);
}

HttpResponse AvatarPages::post_upload(const HttpRequest& req) {
    Visit visit = kit_.begin(req);
    // Kept for the whole handler: `file` points into it.
    const auto parts = http::parse_multipart(req).value_or(std::vector<http::FormPart>{});
    std::string csrf;
    const http::FormPart* file = nullptr;
    for (const auto& part : parts) {
        if (part.name == "csrf" && !part.filename) {
            csrf = part.body;
        } else if (part.name == "avatar" && part.filename) {
            file = &part;
        }
    }
    if (auto refused = refuse(req, visit, csrf)) {
        return std::move(*refused);
    }
    if (file == nullptr || file->body.empty()) {
        return kit_.redirect(visit, "/account?avatar_error=missing");
    }
    const auto& options = kit_.options().account;
    auto image = account::validate_image(
        file->body, account::ImageLimits{options.avatar_max_bytes, options.avatar_max_pixels});
    if (!image) {
        return kit_.redirect(
            visit, "/account?avatar_error=" + std::string(account::problem_name(image.error())));
    }
    account::AvatarStore avatars{kit_.db()};
    if (auto set = avatars.set_image(visit.user->id, account::content_type(image->type), file->body,
                                     kit_.now());
        !set) {
        spdlog::error("avatar upload: {}", set.error().message);
        return kit_.error_page(visit, 503, "error.title", "error.unavailable");
    }
    audit(req, visit, account::content_type(image->type));
    return kit_.redirect(visit, "/account?notice=avatar_saved");
}

HttpResponse AvatarPages::post_url(const HttpRequest& req) {
    Visit visit = kit_.begin(req);
    const Form submitted(req);
    if (auto refused = refuse(req, visit, submitted.get("csrf"))) {
        return std::move(*refused);
    }
    const std::string url = submitted.get("url");
    if (!account::is_avatar_url(url)) {
        return kit_.redirect(visit, "/account?avatar_error=bad_url");
    }
    account::AvatarStore avatars{kit_.db()};
    if (auto set = avatars.set_url(visit.user->id, url, kit_.now()); !set) {
        spdlog::error("avatar url: {}", set.error().message);
        return kit_.error_page(visit, 503, "error.title", "error.unavailable");
    }
    audit(req, visit, "url");
    return kit_.redirect(visit, "/account?notice=avatar_saved");
}

HttpResponse AvatarPages::post_remove(const HttpRequest& req) {
    Visit visit = kit_.begin(req);
    const Form submitted(req);
    if (auto refused = refuse(req, visit, submitted.get("csrf"))) {
        return std::move(*refused);
    }
    account::AvatarStore avatars{kit_.db()};
    if (auto gone = avatars.clear(visit.user->id); !gone) {
        spdlog::error("avatar remove: {}", gone.error().message);
        return kit_.error_page(visit, 503, "error.title", "error.unavailable");
    }
    audit(req, visit, "removed");
    return kit_.redirect(visit, "/account?notice=avatar_removed");
}

HttpResponse AvatarPages::get_avatar(const HttpRequest& req) {
    std::int64_t id = 0;
    const std::string text = req.path_param("id").value_or("");
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), id);
    if (ec != std::errc{} || end != text.data() + text.size() || id <= 0) {
        return not_found();
    }
    account::AvatarStore avatars{kit_.db()};
    auto avatar = avatars.find(id, true);
    if (!avatar) {
        spdlog::error("avatar: {}", avatar.error().message);
        auto response = HttpResponse::text(503, "unavailable");
        response.headers.set("Retry-After", "1");
        return response;
    }
    if (!*avatar || !(*avatar)->is_upload()) {
        return not_found();
    }
    HttpResponse response = HttpResponse::text(200, std::move((*avatar)->image));
    response.headers.set("Content-Type", *(*avatar)->content_type);
    response.headers.set("X-Content-Type-Options", "nosniff");
    // Public: avatars are shown to relying parties' users; the ?v= of the links changes with
    // each upload, so a day of caching never shows an old one where a new one is linked.
    response.headers.set("Cache-Control", "public, max-age=86400");
    // Opened directly, the image can run nothing and load nothing.
    response.headers.set("Content-Security-Policy", "default-src 'none'; sandbox");
    response.headers.set("Content-Disposition", "inline");
    return response;
}

}  // namespace idpd::web
