#include "app/audit_commands.h"

#include <iostream>
#include <memory>

#include <nlohmann/json.hpp>

#include "app/serve.h"
#include "store/open.h"

namespace idpd::app {
namespace {

struct AuditCommandState {
    CLI::App* tail = nullptr;
    std::size_t limit = 20;
    std::int64_t user_id = 0;
    std::string type;
    bool json = false;
};

// "2026-11-22T08:30:00Z"
std::string utc(std::chrono::sys_seconds t) {
    const auto day = std::chrono::floor<std::chrono::days>(t);
    const std::chrono::year_month_day date{day};
    const std::chrono::hh_mm_ss time{t - day};
    char buf[64];
    std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02ld:%02ld:%02ldZ",
                  static_cast<int>(date.year()), static_cast<unsigned>(date.month()),
                  static_cast<unsigned>(date.day()), static_cast<long>(time.hours().count()),
                  static_cast<long>(time.minutes().count()),
                  static_cast<long>(time.seconds().count()));
    return buf;
}

// Quoted and escaped, so a typed identifier or a User-Agent cannot forge a line or a terminal
// control sequence.
std::string quoted(const std::string& text) {
    return nlohmann::json(text).dump(-1, ' ', true, nlohmann::json::error_handler_t::replace);
}

std::string type_list() {
    std::string types;
    for (auto name : audit::type_names()) {
        types += (types.empty() ? "" : ", ") + std::string(name);
    }
    return types;
}

nlohmann::json as_json(const audit::Record& r) {
    nlohmann::json out{{"id", r.id},
                       {"time", utc(r.occurred_at)},
                       {"type", r.type},
                       {"user_id", nullptr},
                       {"identifier", nullptr},
                       {"ip", r.ip},
                       {"user_agent", r.user_agent}};
    if (r.user_id) {
        out["user_id"] = *r.user_id;
    }
    if (r.identifier) {
        out["identifier"] = *r.identifier;
    }
    out["detail"] = nlohmann::json::parse(r.detail, nullptr, false);
    if (out["detail"].is_discarded()) {
        out["detail"] = r.detail;
    }
    return out;
}

}  // namespace

void print_audit_records(const std::vector<audit::Record>& records, bool json, std::ostream& out) {
    for (const auto& r : records) {
        if (json) {
            out << as_json(r).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace)
                << '\n';
            continue;
        }
        out << utc(r.occurred_at) << ' ' << r.type;
        if (r.user_id) {
            out << " user=" << *r.user_id;
        }
        if (r.identifier) {
            out << " identifier=" << quoted(*r.identifier);
        }
        out << " ip=" << (r.ip.empty() ? "-" : r.ip) << " ua=" << quoted(r.user_agent);
        if (r.detail != "{}") {
            out << ' ' << r.detail;
        }
        out << '\n';
    }
}

CommandRunner add_audit_commands(CLI::App& cli) {
    auto state = std::make_shared<AuditCommandState>();
    auto* audit_cmd = cli.add_subcommand("audit", "Read the security audit log");
    audit_cmd->require_subcommand(1);
    state->tail = audit_cmd->add_subcommand("tail", "Print the newest events, newest last (UTC)");
    state->tail->add_option("-n,--lines", state->limit, "How many events (default 20)")
        ->check(CLI::Range(1, 100'000));
    state->tail->add_option("--user", state->user_id, "Only events of this user ID")
        ->check(CLI::PositiveNumber);
    state->tail->add_option("--type", state->type, "Only events of this type: " + type_list());
    state->tail->add_flag("--json", state->json, "One JSON object per line");
    return [state](const Config& config) -> std::optional<int> {
        if (!state->tail->parsed()) {
            return std::nullopt;
        }
        audit::Filter filter;
        filter.limit = state->limit;
        if (state->user_id > 0) {
            filter.user_id = state->user_id;
        }
        if (!state->type.empty()) {
            if (!audit::parse_type(state->type)) {
                std::cerr << "idpd: audit tail: unknown --type " << quoted(state->type)
                          << " (one of " << type_list() << ")\n";
                return 2;
            }
            filter.type = state->type;
        }
        auto db = open_configured_database(config, std::cerr);
        if (!db) {
            return 2;
        }
        auto records = audit::tail(*db, filter);
        if (!records) {
            std::cerr << "idpd: audit tail: " << records.error().message << '\n';
            return 1;
        }
        print_audit_records(*records, state->json, std::cout);
        return 0;
    };
}

}  // namespace idpd::app
