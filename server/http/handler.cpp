#include "http/handler.h"

namespace idpd::http {

Pipeline compose(const std::vector<Middleware>& layers, Pipeline inner) {
    Pipeline next = std::move(inner);
    for (auto it = layers.rbegin(); it != layers.rend(); ++it) {
        next = [layer = *it, rest = std::move(next)](HttpRequest& req) {
            return layer(req, rest);
        };
    }
    return next;
}

}  // namespace idpd::http
