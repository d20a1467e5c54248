#pragma once

#include <filesystem>
#include <map>
#include <string>

#include "http/handler.h"

namespace idpd::http {

// The files of static/ (CSS, a little JS, images), read once at start and answered from memory
// with a strong ETag, so a restart is the only way content changes and 304s are cheap.
class StaticFiles {
public:
    // Reads every regular file under `root`. Throws std::runtime_error when `root` is missing:
    // a deployment without its assets is a start-up error, not a page of 404s.
    StaticFiles(const std::filesystem::path& root, std::chrono::seconds max_age);

    // For a route "/static/*file": the file named by the `file` path parameter, 304 when
    // If-None-Match matches, 404 otherwise.
    HttpResponse serve(const HttpRequest& req) const;

    std::size_t size() const { return files_.size(); }

private:
    struct File {
        std::string content_type;
        std::string etag;
        std::string body;
    };

    std::map<std::string, File, std::less<>> files_;  // by path relative to root, '/'-separated
    std::string cache_control_;
};

}  // namespace idpd::http
