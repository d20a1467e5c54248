#pragma once

#include <filesystem>

#include "notify/sender.h"

namespace idpd::notify {

// Development delivery: each message becomes a file in `dir` (created when missing):
// <id>-<kind>.eml holding the exact RFC 5322 message SMTP would send (open it in a mail
// client), or <id>-<kind>.txt for an SMS ("To: +86…", a blank line, the text).
class FileSender final : public Sender {
public:
    FileSender(std::filesystem::path dir, Mailbox from)
        : dir_(std::move(dir)), from_(std::move(from)) {}

    // Errors: the file cannot be written (never permanent: the disk may get space again).
    SendResult send(const OutboxMessage& message, std::chrono::sys_seconds now) override;

    // The file send() writes for `message`.
    std::filesystem::path path_for(const OutboxMessage& message) const;

private:
    std::filesystem::path dir_;
    Mailbox from_;
};

}  // namespace idpd::notify
