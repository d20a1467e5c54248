#include "web/dev_outbox_pages.h"

#include <spdlog/spdlog.h>

#include "notify/outbox_store.h"
#include "web/form_view.h"

namespace idpd::web {
namespace {

using http::HttpRequest;
using http::HttpResponse;

constexpr std::size_t shown = 50;

bool is_url_char(char c) {
    auto u = static_cast<unsigned char>(c);
    return u > 0x20 && u < 0x7f && c != '"' && c != '\'' && c != '<' && c != '>' && c != '`';
}

bool is_loopback(std::string_view ip) {
    return ip.starts_with("127.") || ip == "::1" || ip.starts_with("::ffff:127.");
}

std::string status_key(const notify::OutboxMessage& m) {
    if (m.sent_at) {
        return "dev_outbox.status_sent";
    }
    if (m.failed_at) {
        return "dev_outbox.status_failed";
    }
    return m.attempts > 0 ? "dev_outbox.status_retrying" : "dev_outbox.status_pending";
}

}  // namespace

std::vector<TextPiece> link_pieces(std::string_view body) {
    std::vector<TextPiece> pieces;
    std::size_t plain_from = 0;
    std::size_t at = 0;
    while (at < body.size()) {
        std::size_t start = std::min(body.find("http://", at), body.find("https://", at));
        if (start == std::string_view::npos) {
            break;
        }
        std::size_t end = start;
        while (end < body.size() && is_url_char(body[end])) {
            ++end;
        }
        while (end > start &&
               std::string_view(".,;:!?)").find(body[end - 1]) != std::string_view::npos) {
            --end;
        }
        const std::string_view url = body.substr(start, end - start);
        if (url == "http://" || url == "https://") {
            at = end;
            continue;
        }
        if (start > plain_from) {
            pieces.push_back({std::string(body.substr(plain_from, start - plain_from)), false});
        }
        pieces.push_back({std::string(url), true});
        plain_from = at = end;
    }
    if (plain_from < body.size()) {
        pieces.push_back({std::string(body.substr(plain_from)), false});
    }
    return pieces;
}

void DevOutboxPages::add_routes(http::Router& router) {
    router.add(http::Method::get, "/dev/outbox",
               [this](const HttpRequest& req) { return get_outbox(req); });
}

HttpResponse DevOutboxPages::get_outbox(const HttpRequest& req) {
    Visit visit = kit_.begin(req);
    // It shows every link sent, sign-in links included: never to another machine.
    if (!is_loopback(req.client_ip.empty() ? req.peer_ip : req.client_ip)) {
        return kit_.error_page(visit, 404, "error.title", "error.not_found");
    }
    auto messages = notify::OutboxStore{kit_.db()}.latest(shown);
    if (!messages) {
        spdlog::error("dev outbox page: {}", messages.error().message);
        return kit_.error_page(visit, 503, "error.title", "error.unavailable");
    }
    mstch::array rows;
    for (const auto& m : *messages) {
        mstch::array pieces;
        for (const auto& piece : link_pieces(m.message.text)) {
            pieces.push_back(mstch::map{{"text", piece.text}, {"is_link", piece.is_link}});
        }
        const std::string status = status_key(m);
        rows.push_back(mstch::map{
            {"id", std::to_string(m.id)},
            {"created", format_time(m.created_at) + " " + kit_.text(visit, "time.zone")},
            {"created_iso", iso_time(m.created_at)},
            {"kind", m.message.kind},
            {"channel", kit_.text(visit, "dev_outbox.channel_" +
                                             std::string(notify::channel_name(m.message.channel)))},
            {"to", m.message.to},
            {"subject", m.message.subject},
            {"status", kit_.text(visit, status)},
            {"sent", m.sent_at.has_value()},
            {"failed", m.failed_at.has_value()},
            {"attempts", std::to_string(m.attempts)},
            {"last_error", m.last_error},
            {"pieces", pieces},
            {"has_html", !m.message.html.empty()},
        });
    }
    auto data = kit_.base_data(visit, kit_.text(visit, "dev_outbox.title"), false);
    data["has_messages"] = !rows.empty();
    data["messages"] = rows;
    auto response = kit_.page(visit, "dev_outbox", 200, std::move(data));
    response.headers.set("Cache-Control", "no-store");
    return response;
}

}  // namespace idpd::web
