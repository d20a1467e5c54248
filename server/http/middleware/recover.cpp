#include <exception>

#include <spdlog/spdlog.h>

#include "http/errors.h"
#include "http/middleware/middleware.h"

namespace idpd::http::middleware {

Middleware recover() {
    return [](HttpRequest& req, const Pipeline& next) {
        try {
            return next(req);
        } catch (const std::exception& e) {
            spdlog::error("request {} {} {} failed: {}", req.request_id, method_name(req.method),
                          req.path, e.what());
        } catch (...) {
            spdlog::error("request {} {} {} failed with a non-standard exception", req.request_id,
                          method_name(req.method), req.path);
        }
        return error_response(req, 500, "server_error",
                              "Something went wrong on our side. Quote the request ID if you "
                              "contact support.");
    };
}

}  // namespace idpd::http::middleware
