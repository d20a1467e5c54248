#include "notify/smtp_sender.h"

#include <mutex>

#include <curl/curl.h>

namespace idpd::notify {
namespace {

struct Upload {
    std::string_view data;
    std::size_t offset = 0;
};

std::size_t read_upload(char* buffer, std::size_t size, std::size_t count, void* user) {
    auto* upload = static_cast<Upload*>(user);
    std::size_t n = std::min(size * count, upload->data.size() - upload->offset);
    std::copy_n(upload->data.data() + upload->offset, n, buffer);
    upload->offset += n;
    return n;
}

// A non-zero answer makes libcurl abort the transfer (shutdown).
int progress(void* user, curl_off_t, curl_off_t, curl_off_t, curl_off_t) {
    return static_cast<std::atomic<bool>*>(user)->load() ? 1 : 0;
}

// libcurl's global set-up, once per process before the first handle.
void init_curl_once() {
    static std::once_flag once;
    std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

struct CurlHandle {
    CURL* curl = curl_easy_init();
    curl_slist* recipients = nullptr;

    ~CurlHandle() {
        curl_slist_free_all(recipients);
        curl_easy_cleanup(curl);
    }
};

SendError classify(CURLcode code, long response, const char* detail) {
    std::string text = std::string(curl_easy_strerror(code));
    if (detail[0] != '\0') {
        text += ": " + std::string(detail);
    }
    if (response != 0) {
        text += " (server answered " + std::to_string(response) + ")";
    }
    // RFC 5321 §4.2.2/§4.2.3: 550–554 refuse this mailbox or this message for good. Other
    // 5yz answers (530 authentication required, 535 bad credentials, 502 no STARTTLS) are
    // about our configuration, which may be fixed, so those are retried.
    bool permanent = response >= 550 && response <= 554 && code != CURLE_LOGIN_DENIED &&
                     code != CURLE_USE_SSL_FAILED;
    return SendError{permanent, text};
}

}  // namespace

std::expected<std::unique_ptr<SmtpSender>, std::string> SmtpSender::open(SmtpOptions options) {
    if (!options.url.starts_with("smtp://") && !options.url.starts_with("smtps://")) {
        return std::unexpected("the SMTP URL must start with smtp:// or smtps://");
    }
    if (options.url.find_first_of("\r\n \t") != std::string::npos) {
        return std::unexpected("the SMTP URL holds whitespace");
    }
    auto from = parse_mailbox(options.from);
    if (!from) {
        return std::unexpected(
            "the From address must be \"Name <local@domain>\" or "
            "\"local@domain\"");
    }
    init_curl_once();
    return std::unique_ptr<SmtpSender>(new SmtpSender(std::move(options), std::move(*from)));
}

SendResult SmtpSender::send(const OutboxMessage& message, std::chrono::sys_seconds now) {
    if (cancelled_) {
        return std::unexpected(SendError{false, "shutting down"});
    }
    // enqueue() checked this already; the check stays here because a header line is at stake.
    if (message.message.to.find_first_of("\r\n<>") != std::string::npos) {
        return std::unexpected(SendError{true, "the recipient holds CR, LF, < or >"});
    }
    const std::string mail = build_email(email_parts(message, from_, now));
    CurlHandle h;
    if (h.curl == nullptr) {
        return std::unexpected(SendError{false, "curl_easy_init failed"});
    }
    char errors[CURL_ERROR_SIZE] = {};
    Upload upload{mail};
    const std::string from = "<" + from_.address + ">";
    const std::string to = "<" + message.message.to + ">";
    h.recipients = curl_slist_append(nullptr, to.c_str());
    CURL* c = h.curl;
    curl_easy_setopt(c, CURLOPT_URL, options_.url.c_str());
    curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c, CURLOPT_ERRORBUFFER, errors);
    curl_easy_setopt(c, CURLOPT_USE_SSL,
                     options_.require_starttls ? static_cast<long>(CURLUSESSL_ALL)
                                               : static_cast<long>(CURLUSESSL_NONE));
    curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 1L);
    curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 2L);
    if (!options_.ca_file.empty()) {
        curl_easy_setopt(c, CURLOPT_CAINFO, options_.ca_file.c_str());
    }
    if (!options_.username.empty()) {
        curl_easy_setopt(c, CURLOPT_USERNAME, options_.username.c_str());
        curl_easy_setopt(c, CURLOPT_PASSWORD, options_.password.c_str());
    }
    curl_easy_setopt(c, CURLOPT_MAIL_FROM, from.c_str());
    curl_easy_setopt(c, CURLOPT_MAIL_RCPT, h.recipients);
    curl_easy_setopt(c, CURLOPT_UPLOAD, 1L);
    curl_easy_setopt(c, CURLOPT_READFUNCTION, read_upload);
    curl_easy_setopt(c, CURLOPT_READDATA, &upload);
    curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS,
                     static_cast<long>(options_.connect_timeout.count()));
    curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, static_cast<long>(options_.timeout.count()));
    curl_easy_setopt(c, CURLOPT_NOPROGRESS, 0L);
    curl_easy_setopt(c, CURLOPT_XFERINFOFUNCTION, progress);
    curl_easy_setopt(c, CURLOPT_XFERINFODATA, &cancelled_);
    CURLcode code = curl_easy_perform(c);
    if (code == CURLE_OK) {
        return {};
    }
    long response = 0;
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &response);
    return std::unexpected(classify(code, response, errors));
}

}  // namespace idpd::notify
