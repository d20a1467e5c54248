#include "http/static_files.h"

#include <fstream>
#include <sstream>
#include <stdexcept>

#include <openssl/evp.h>

#include "http/errors.h"

namespace idpd::http {
namespace {

std::string content_type_for(const std::filesystem::path& path) {
    static const std::map<std::string, std::string, std::less<>> types{
        {".css", "text/css; charset=utf-8"},
        {".js", "text/javascript; charset=utf-8"},
        {".svg", "image/svg+xml"},
        {".png", "image/png"},
        {".jpg", "image/jpeg"},
        {".jpeg", "image/jpeg"},
        {".webp", "image/webp"},
        {".ico", "image/x-icon"},
        {".woff2", "font/woff2"},
        {".txt", "text/plain; charset=utf-8"},
        {".json", "application/json"},
        {".html", "text/html; charset=utf-8"},
    };
    auto it = types.find(path.extension().string());
    return it == types.end() ? "application/octet-stream" : it->second;
}

std::string etag_for(std::string_view body) {
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int len = 0;
    EVP_Digest(body.data(), body.size(), digest, &len, EVP_sha256(), nullptr);
    static constexpr char hex[] = "0123456789abcdef";
    std::string tag = "\"";
    for (unsigned int i = 0; i < 12 && i < len; ++i) {
        tag.push_back(hex[digest[i] >> 4]);
        tag.push_back(hex[digest[i] & 0x0f]);
    }
    tag.push_back('"');
    return tag;
}

// RFC 9110 §13.1.2: If-None-Match is a list of entity tags, or "*"; weak tags compare equal.
bool matches_etag(std::string_view header, std::string_view etag) {
    if (header.find('*') != std::string_view::npos) {
        return true;
    }
    return header.find(etag) != std::string_view::npos;
}

}  // namespace

StaticFiles::StaticFiles(const std::filesystem::path& root, std::chrono::seconds max_age)
    : cache_control_("public, max-age=" + std::to_string(max_age.count())) {
    if (!std::filesystem::is_directory(root)) {
        throw std::runtime_error("static files directory " + root.string() + " does not exist");
    }
    for (const auto& entry : std::filesystem::recursive_directory_iterator(root)) {
        if (!entry.is_regular_file()) {
            continue;
        }
        std::ifstream in(entry.path(), std::ios::binary);
        std::ostringstream body;
        body << in.rdbuf();
        std::string rel = std::filesystem::relative(entry.path(), root).generic_string();
        File file{content_type_for(entry.path()), "", body.str()};
        file.etag = etag_for(file.body);
        files_.emplace(std::move(rel), std::move(file));
    }
}

HttpResponse StaticFiles::serve(const HttpRequest& req) const {
    // The table holds only files that were under root at start, so "../" cannot escape it.
    auto it = files_.find(req.path_param("file").value_or(""));
    if (it == files_.end()) {
        return error_response(req, 404, "not_found", "There is no such file.");
    }
    const File& file = it->second;
    HttpResponse res;
    res.headers.set("ETag", file.etag);
    res.headers.set("Cache-Control", cache_control_);
    if (auto inm = req.headers.get("If-None-Match"); inm && matches_etag(*inm, file.etag)) {
        res.status = 304;
        return res;
    }
    res.headers.set("Content-Type", file.content_type);
    res.body = file.body;
    return res;
}

}  // namespace idpd::http
