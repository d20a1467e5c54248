#include "store/database_url.h"

#include <charconv>
#include <optional>

namespace idpd::store {
namespace {

constexpr std::string_view sqlite_scheme = "sqlite:";
constexpr std::string_view mysql_scheme = "mysql://";

std::unexpected<Error> bad_url(std::string_view what) {
    return fail(Error::Kind::invalid, "database.url: " + std::string(what));
}

std::optional<int> hex_digit(char c) {
    if (c >= '0' && c <= '9') {
        return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
        return c - 'a' + 10;
    }
    if (c >= 'A' && c <= 'F') {
        return c - 'A' + 10;
    }
    return std::nullopt;
}

// RFC 3986 §2.1: a password may hold '@', ':' or '/' only as %40, %3A, %2F.
Result<std::string> percent_decode(std::string_view text, std::string_view part) {
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] != '%') {
            out += text[i];
            continue;
        }
        auto high = i + 2 < text.size() ? hex_digit(text[i + 1]) : std::nullopt;
        auto low = i + 2 < text.size() ? hex_digit(text[i + 2]) : std::nullopt;
        if (!high || !low) {
            return bad_url("bad percent-encoding in the " + std::string(part) +
                           " (expected %XX with two hex digits)");
        }
        out += static_cast<char>(*high * 16 + *low);
        i += 2;
    }
    return out;
}

std::string percent_encode(std::string_view text) {
    constexpr std::string_view hex = "0123456789ABCDEF";
    std::string out;
    for (char c : text) {
        auto u = static_cast<unsigned char>(c);
        bool unreserved = (u >= 'a' && u <= 'z') || (u >= 'A' && u <= 'Z') ||
                          (u >= '0' && u <= '9') || u == '-' || u == '.' || u == '_' || u == '~';
        if (unreserved) {
            out += c;
        } else {
            out += '%';
            out += hex[u >> 4];
            out += hex[u & 0xF];
        }
    }
    return out;
}

Result<DatabaseUrl> parse_sqlite(std::string_view rest) {
    if (rest == ":memory:") {
        return SqliteUrl{":memory:"};
    }
    if (rest.starts_with("///")) {
        rest.remove_prefix(2);  // keep one slash: the path is absolute
    } else if (rest.starts_with("//")) {
        return bad_url(
            "sqlite:// names no host; use sqlite:relative/path.db or sqlite:///absolute/path.db");
    }
    if (rest.empty() || rest == "/") {
        return bad_url("sqlite: needs a file path (sqlite:var/idpd.db) or :memory:");
    }
    return SqliteUrl{std::string(rest)};
}

Result<std::uint16_t> parse_port(std::string_view text) {
    unsigned value = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (text.empty() || ec != std::errc{} || end != text.data() + text.size() || value == 0 ||
        value > 65535) {
        return bad_url("port '" + std::string(text) + "' is not a number from 1 to 65535");
    }
    return static_cast<std::uint16_t>(value);
}

// host, host:port, [v6], [v6]:port
Result<void> parse_host_port(std::string_view text, MysqlUrl& url) {
    std::string_view port;
    if (text.starts_with('[')) {
        auto close = text.find(']');
        if (close == std::string_view::npos) {
            return bad_url("IPv6 host has no closing ']'");
        }
        url.host = std::string(text.substr(1, close - 1));
        auto after = text.substr(close + 1);
        if (!after.empty()) {
            if (!after.starts_with(':')) {
                return bad_url("unexpected text after the IPv6 host");
            }
            port = after.substr(1);
            if (port.empty()) {
                return bad_url("empty port after ':'");
            }
        }
    } else {
        auto colon = text.rfind(':');
        url.host = std::string(text.substr(0, colon));
        if (colon != std::string_view::npos) {
            port = text.substr(colon + 1);
            if (port.empty()) {
                return bad_url("empty port after ':'");
            }
        }
    }
    if (url.host.empty()) {
        return bad_url("missing host (mysql://user:pass@host:3306/db)");
    }
    if (!port.empty()) {
        auto number = parse_port(port);
        if (!number) {
            return std::unexpected(number.error());
        }
        url.port = *number;
    }
    return {};
}

Result<void> parse_query(std::string_view query, MysqlUrl& url) {
    while (!query.empty()) {
        auto amp = query.find('&');
        auto item = query.substr(0, amp);
        query = amp == std::string_view::npos ? std::string_view{} : query.substr(amp + 1);
        if (item.empty()) {
            continue;
        }
        auto eq = item.find('=');
        auto key = item.substr(0, eq);
        auto value = eq == std::string_view::npos ? std::string_view{} : item.substr(eq + 1);
        if (key != "socket") {
            return bad_url("unknown parameter '" + std::string(key) + "' (expected socket=)");
        }
        auto path = percent_decode(value, "socket");
        if (!path) {
            return std::unexpected(path.error());
        }
        if (path->empty()) {
            return bad_url("socket= needs a path");
        }
        url.socket = std::move(*path);
    }
    return {};
}

Result<DatabaseUrl> parse_mysql(std::string_view rest) {
    MysqlUrl url;
    auto question = rest.find('?');
    if (question != std::string_view::npos) {
        auto ok = parse_query(rest.substr(question + 1), url);
        if (!ok) {
            return std::unexpected(ok.error());
        }
        rest = rest.substr(0, question);
    }
    auto slash = rest.find('/');
    if (slash == std::string_view::npos || slash + 1 == rest.size()) {
        return bad_url("missing database name (mysql://user:pass@host:3306/db)");
    }
    auto database = percent_decode(rest.substr(slash + 1), "database name");
    if (!database) {
        return std::unexpected(database.error());
    }
    if (database->find('/') != std::string::npos) {
        return bad_url("database name must not contain '/'");
    }
    url.database = std::move(*database);
    auto authority = rest.substr(0, slash);

    // The last '@' ends the user info: an unencoded '@' in a password is a common mistake,
    // and splitting there still gives the intended host.
    auto at = authority.rfind('@');
    if (at == std::string_view::npos) {
        return bad_url("missing user (mysql://user:pass@host:3306/db)");
    }
    auto userinfo = authority.substr(0, at);
    auto colon = userinfo.find(':');
    auto user = percent_decode(userinfo.substr(0, colon), "user");
    if (!user) {
        return std::unexpected(user.error());
    }
    if (user->empty()) {
        return bad_url("missing user (mysql://user:pass@host:3306/db)");
    }
    url.user = std::move(*user);
    if (colon != std::string_view::npos) {
        auto password = percent_decode(userinfo.substr(colon + 1), "password");
        if (!password) {
            return std::unexpected(password.error());
        }
        url.password = std::move(*password);
    }
    auto host = parse_host_port(authority.substr(at + 1), url);
    if (!host) {
        return std::unexpected(host.error());
    }
    return url;
}

}  // namespace

Result<DatabaseUrl> parse_database_url(std::string_view url) {
    if (url.starts_with(mysql_scheme)) {
        return parse_mysql(url.substr(mysql_scheme.size()));
    }
    if (url.starts_with(sqlite_scheme)) {
        return parse_sqlite(url.substr(sqlite_scheme.size()));
    }
    if (url.empty()) {
        return bad_url("is empty (expected sqlite: or mysql://)");
    }
    auto colon = url.find(':');
    if (colon == std::string_view::npos) {
        return bad_url("has no scheme (expected sqlite: or mysql://)");
    }
    return bad_url("unknown scheme '" + std::string(url.substr(0, colon)) +
                   "' (expected sqlite: or mysql://)");
}

std::string to_string(const MysqlUrl& url) {
    std::string out{mysql_scheme};
    out += percent_encode(url.user);
    if (!url.password.empty()) {
        out += ':' + percent_encode(url.password);
    }
    out += '@';
    out += url.host.find(':') != std::string::npos ? '[' + url.host + ']' : url.host;
    if (url.port != 3306) {
        out += ':' + std::to_string(url.port);
    }
    out += '/' + percent_encode(url.database);
    if (!url.socket.empty()) {
        // Slashes stay readable in a socket path; only what would end the value is encoded.
        out += "?socket=";
        for (char c : url.socket) {
            if (c == '%' || c == '&' || c == '#') {
                out += percent_encode(std::string_view(&c, 1));
            } else {
                out += c;
            }
        }
    }
    return out;
}

std::string redacted(const MysqlUrl& url) {
    MysqlUrl copy = url;
    copy.password = copy.password.empty() ? "" : "xxxxx";
    return to_string(copy);
}

}  // namespace idpd::store
