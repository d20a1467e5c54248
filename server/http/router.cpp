#include "http/router.h"

#include <algorithm>
#include <iterator>
#include <stdexcept>

#include "http/errors.h"

namespace idpd::http {
namespace {

std::vector<std::string> split_path(std::string_view path) {
    std::vector<std::string> parts;
    std::size_t start = 1;  // every path starts with '/'
    while (start <= path.size()) {
        auto slash = path.find('/', start);
        if (slash == std::string_view::npos) {
            slash = path.size();
        }
        parts.emplace_back(path.substr(start, slash - start));
        start = slash + 1;
    }
    return parts;
}

// How well `segments` match `path`: -1 for no match, otherwise a score that prefers literal
// segments, so "/users/me" wins over "/users/:id".
int match_score(const std::vector<std::string>& pattern, const std::vector<std::string>& path,
                std::map<std::string, std::string, std::less<>>* params) {
    int score = 0;
    for (std::size_t i = 0; i < pattern.size(); ++i) {
        const std::string& seg = pattern[i];
        if (!seg.empty() && seg[0] == '*') {
            if (params != nullptr) {
                std::string rest;
                for (std::size_t j = i; j < path.size(); ++j) {
                    rest += (j == i ? "" : "/") + path[j];
                }
                (*params)[seg.substr(1)] = rest;
            }
            return score;
        }
        if (i >= path.size()) {
            return -1;
        }
        if (!seg.empty() && seg[0] == ':') {
            if (path[i].empty()) {
                return -1;
            }
            if (params != nullptr) {
                (*params)[seg.substr(1)] = path[i];
            }
            score += 1;
        } else if (seg == path[i]) {
            score += 2;
        } else {
            return -1;
        }
    }
    return pattern.size() == path.size() ? score : -1;
}

}  // namespace

void Router::add(Method method, std::string_view pattern, Handler handler) {
    if (pattern.empty() || pattern[0] != '/') {
        throw std::invalid_argument("route pattern must start with '/': " + std::string(pattern));
    }
    auto segments = split_path(pattern);
    for (std::size_t i = 0; i + 1 < segments.size(); ++i) {
        if (!segments[i].empty() && segments[i][0] == '*') {
            throw std::invalid_argument("'*' must be the last segment: " + std::string(pattern));
        }
    }
    for (const Route& r : routes_) {
        if (r.method == method && r.pattern == pattern) {
            throw std::invalid_argument("duplicate route " + std::string(method_name(method)) +
                                        " " + std::string(pattern));
        }
    }
    const std::string& first = segments.front();
    if (!first.empty() && (first[0] == ':' || first[0] == '*')) {
        open_first_.push_back(routes_.size());
    } else {
        by_first_[first].push_back(routes_.size());
    }
    routes_.push_back(Route{method, std::string(pattern), std::move(segments), std::move(handler)});
}

std::vector<std::size_t> Router::candidates(const std::string& first) const {
    auto it = by_first_.find(first);
    if (it == by_first_.end()) {
        return open_first_;
    }
    std::vector<std::size_t> merged;
    merged.reserve(it->second.size() + open_first_.size());
    std::ranges::merge(it->second, open_first_, std::back_inserter(merged));
    return merged;
}

HttpResponse Router::dispatch(HttpRequest& req) const {
    if (req.path.empty() || req.path[0] != '/') {
        return error_response(req, 400, "invalid_request", "The request path must start with /.");
    }
    auto path = split_path(req.path);
    const Route* best = nullptr;
    int best_score = -1;
    const Route* best_get = nullptr;  // for HEAD
    int best_get_score = -1;
    std::string allow;
    for (std::size_t index : candidates(path.front())) {
        const Route& r = routes_[index];
        int score = match_score(r.segments, path, nullptr);
        if (score < 0) {
            continue;
        }
        std::string name(method_name(r.method));
        if (allow.find(name) == std::string::npos) {
            allow += (allow.empty() ? "" : ", ") + name;
        }
        if (r.method == req.method && score > best_score) {
            best = &r;
            best_score = score;
        }
        if (r.method == Method::get && score > best_get_score) {
            best_get = &r;
            best_get_score = score;
        }
    }
    if (best == nullptr && req.method == Method::head) {
        best = best_get;
    }
    if (best == nullptr) {
        if (allow.empty()) {
            if (not_found_) {
                return not_found_(req);
            }
            return error_response(req, 404, "not_found", "There is nothing at this address.");
        }
        if (allow.find("GET") != std::string::npos && allow.find("HEAD") == std::string::npos) {
            allow += ", HEAD";
        }
        if (req.method == Method::options) {
            HttpResponse r{204, {}, {}};
            r.headers.set("Allow", allow + ", OPTIONS");
            return r;
        }
        auto r = error_response(
            req, 405, "method_not_allowed",
            "This address does not accept " + std::string(method_name(req.method)) + ".");
        r.headers.set("Allow", allow);
        return r;
    }
    req.path_params.clear();
    match_score(best->segments, path, &req.path_params);
    req.route = best->pattern;
    return best->handler(req);
}

}  // namespace idpd::http
