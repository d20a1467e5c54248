#pragma once

#include <atomic>
#include <chrono>
#include <expected>
#include <memory>
#include <string>

#include "notify/sender.h"

namespace idpd::notify {

// Config: [notify] smtp_* and from_address (app/notify_settings.cpp maps them).
struct SmtpOptions {
    // smtp://host[:port] (STARTTLS, port 587 usually) or smtps://host[:port] (TLS from the
    // first byte, port 465).
    std::string url;
    // smtp:// only: true refuses to go on unless the server offers STARTTLS; false sends in
    // the clear (a local relay).
    bool require_starttls = true;
    std::string username;  // empty: no AUTH
    std::string password;
    std::string ca_file;  // PEM bundle to verify the server; empty: the system's trust store
    std::string from = "idpd <no-reply@localhost>";
    std::chrono::milliseconds connect_timeout{10'000};
    std::chrono::milliseconds timeout{60'000};  // the whole exchange, one message
};

// Sends email over SMTP with libcurl: MAIL FROM the From address, RCPT TO the recipient, the
// message built by build_email(). The server's certificate is always verified.
class SmtpSender final : public Sender {
public:
    // Checks the options (scheme, From address). Errors name the problem.
    static std::expected<std::unique_ptr<SmtpSender>, std::string> open(SmtpOptions options);

    // Errors: permanent when the server answered 550–554 (it will not take this recipient or
    // message), otherwise transient (no connection, no STARTTLS offered, TLS or AUTH failure,
    // timeout, 4xx, other 5xx).
    SendResult send(const OutboxMessage& message, std::chrono::sys_seconds now) override;

    void cancel() override { cancelled_ = true; }

private:
    SmtpSender(SmtpOptions options, Mailbox from)
        : options_(std::move(options)), from_(std::move(from)) {}

    SmtpOptions options_;
    Mailbox from_;
    std::atomic<bool> cancelled_{false};
};

}  // namespace idpd::notify
