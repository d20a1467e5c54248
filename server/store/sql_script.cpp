#include "store/sql_script.h"

#include <cctype>

namespace idpd::store {
namespace {

bool is_blank(char c) {
    return std::isspace(static_cast<unsigned char>(c)) != 0;
}

// MySQL starts a `--` comment only when a blank or the end follows the dashes.
bool is_dash_comment(std::string_view text, std::size_t i) {
    return text.compare(i, 2, "--") == 0 && (i + 2 == text.size() || is_blank(text[i + 2]));
}

// The index just past the comment that starts at `i`, or `i` when none starts there.
std::size_t skip_comment(std::string_view text, std::size_t i) {
    if (is_dash_comment(text, i) || text[i] == '#') {
        auto end = text.find('\n', i);
        return end == std::string_view::npos ? text.size() : end + 1;
    }
    if (text.compare(i, 2, "/*") == 0) {
        auto end = text.find("*/", i + 2);
        return end == std::string_view::npos ? text.size() : end + 2;
    }
    return i;
}

// The index just past the quoted text that starts at `i`. A doubled quote and, except in a
// `backquoted` identifier, a backslash escape stay inside.
std::size_t skip_quoted(std::string_view text, std::size_t i) {
    const char quote = text[i];
    for (std::size_t j = i + 1; j < text.size(); ++j) {
        if (text[j] == '\\' && quote != '`') {
            ++j;
        } else if (text[j] == quote) {
            if (j + 1 < text.size() && text[j + 1] == quote) {
                ++j;
            } else {
                return j + 1;
            }
        }
    }
    return text.size();
}

std::string trimmed(std::string_view text) {
    while (!text.empty() && is_blank(text.front())) {
        text.remove_prefix(1);
    }
    while (!text.empty() && is_blank(text.back())) {
        text.remove_suffix(1);
    }
    return std::string(text);
}

}  // namespace

std::vector<std::string> split_sql_script(std::string_view script) {
    std::vector<std::string> statements;
    std::size_t start = 0;
    bool has_code = false;  // anything but blanks and comments since `start`
    std::size_t i = 0;
    while (i < script.size()) {
        const char c = script[i];
        if (std::size_t after = skip_comment(script, i); after != i) {
            // MySQL runs the text of an executable comment (/*! ... */, /*M! ... */).
            has_code =
                has_code || script.compare(i, 3, "/*!") == 0 || script.compare(i, 4, "/*M!") == 0;
            i = after;
        } else if (c == '\'' || c == '"' || c == '`') {
            i = skip_quoted(script, i);
            has_code = true;
        } else if (c == ';') {
            if (has_code) {
                statements.push_back(trimmed(script.substr(start, i - start)));
            }
            start = ++i;
            has_code = false;
        } else {
            has_code = has_code || !is_blank(c);
            ++i;
        }
    }
    if (has_code) {
        statements.push_back(trimmed(script.substr(start)));
    }
    return statements;
}

bool starts_with_keyword(std::string_view sql, std::string_view keyword) {
    std::size_t i = 0;
    while (i < sql.size()) {
        if (is_blank(sql[i])) {
            ++i;
        } else if (std::size_t after = skip_comment(sql, i); after != i) {
            i = after;
        } else {
            break;
        }
    }
    if (sql.size() - i < keyword.size()) {
        return false;
    }
    for (std::size_t k = 0; k < keyword.size(); ++k) {
        if (std::toupper(static_cast<unsigned char>(sql[i + k])) !=
            std::toupper(static_cast<unsigned char>(keyword[k]))) {
            return false;
        }
    }
    auto next = i + keyword.size();
    return next == sql.size() ||
           !(std::isalnum(static_cast<unsigned char>(sql[next])) != 0 || sql[next] == '_');
}

std::string sql_excerpt(std::string_view sql) {
    constexpr std::size_t limit = 160;
    return sql.size() <= limit ? std::string(sql) : std::string(sql.substr(0, limit)) + "...";
}

}  // namespace idpd::store
