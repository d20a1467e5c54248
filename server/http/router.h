#pragma once

#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "http/handler.h"

namespace idpd::http {

// The route table. Patterns are literal segments, `:name` for one segment and a final `*name`
// for the rest of the path ("/static/*file"). Literal segments win over parameters.
class Router {
public:
    // Adds a route; throws std::invalid_argument at start-up for a duplicate or malformed pattern.
    void add(Method method, std::string_view pattern, Handler handler);

    // Finds the route for req.method and req.path, fills req.path_params and req.route, and runs
    // it. HEAD falls back to GET. No path → 404; a path without that method → 405 with Allow;
    // OPTIONS on a known path → 204 with Allow. Error bodies follow the client's Accept.
    HttpResponse dispatch(HttpRequest& req) const;

    // Answers requests for a path no route has (instead of the plain 404 of http/errors.h); set
    // once, before serving. The handler must answer 404 itself.
    void set_not_found(Handler handler) { not_found_ = std::move(handler); }

    struct Route {
        Method method;
        std::string pattern;
        std::vector<std::string> segments;
        Handler handler;
    };

    const std::vector<Route>& routes() const { return routes_; }

private:
    // The routes a path can match, in the order they were added: those whose first segment is
    // the path's first segment, merged with those that start with a parameter or a wildcard.
    // Dispatch looks only at these (a linear scan of every route was 5% of a token request).
    std::vector<std::size_t> candidates(const std::string& first) const;

    std::vector<Route> routes_;
    std::unordered_map<std::string, std::vector<std::size_t>> by_first_;  // literal first segment
    std::vector<std::size_t> open_first_;  // first segment ":name" or "*name"
    Handler not_found_;
};

}  // namespace idpd::http
