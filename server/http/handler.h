#pragma once

#include <functional>
#include <vector>

#include "http/request.h"

namespace idpd::http {

// Every endpoint: a function of a request value. It may block (SQL, Argon2id, upstream calls):
// the server runs it on the worker pool, never on the event loop.
using Handler = std::function<HttpResponse(const HttpRequest&)>;

// What the server runs for each request: the handlers wrapped in middleware. The request is
// mutable so middleware can fill in request_id, client_ip, secure and route.
using Pipeline = std::function<HttpResponse(HttpRequest&)>;

// A layer around the rest of the pipeline: it may change the request, answer by itself, or edit
// the response that `next` returns.
using Middleware = std::function<HttpResponse(HttpRequest& req, const Pipeline& next)>;

// Wraps `inner` in `layers`, the first being the outermost.
Pipeline compose(const std::vector<Middleware>& layers, Pipeline inner);

}  // namespace idpd::http
