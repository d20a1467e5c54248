#pragma once

#include <chrono>
#include <expected>
#include <string>

#include "notify/mime.h"
#include "notify/outbox_store.h"

namespace idpd::notify {

// Why a delivery failed. `permanent`: trying again cannot help (the server refused the
// recipient), so the message is given up at once; otherwise it is retried with back-off.
struct SendError {
    bool permanent = false;
    std::string detail;  // for logs and /dev/outbox; never shown to the recipient
};

using SendResult = std::expected<void, SendError>;

// One way to deliver messages of a channel. The Dispatcher calls send() from its one thread.
class Sender {
public:
    virtual ~Sender() = default;

    // Delivers `message` now (`now` dates it). Success means the server took it.
    virtual SendResult send(const OutboxMessage& message, std::chrono::sys_seconds now) = 0;

    // Asks a send() in progress on another thread to give up soon, for shutdown. From then on
    // send() fails at once.
    virtual void cancel() {}
};

// The email of an outbox message from `from`, dated `now`, with a new random Message-ID
// "<id.random@from-domain>".
EmailParts email_parts(const OutboxMessage& message, const Mailbox& from,
                       std::chrono::sys_seconds now);

}  // namespace idpd::notify
