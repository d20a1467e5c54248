#include "notify/sender.h"

#include <array>
#include <sstream>

#include <openssl/rand.h>

namespace idpd::notify {

EmailParts email_parts(const OutboxMessage& message, const Mailbox& from,
                       std::chrono::sys_seconds now) {
    std::array<unsigned char, 12> random{};
    std::string hex;
    // A failing CSPRNG leaves zeros: the id then still carries the outbox id, which is unique.
    if (RAND_bytes(random.data(), static_cast<int>(random.size())) != 1) {
        random.fill(0);
    }
    for (unsigned char b : random) {
        hex.push_back("0123456789abcdef"[b >> 4]);
        hex.push_back("0123456789abcdef"[b & 15]);
    }
    const std::string domain = from.address.substr(from.address.rfind('@') + 1);
    EmailParts parts;
    parts.from = from;
    parts.to = message.message.to;
    parts.subject = message.message.subject;
    parts.text = message.message.text;
    parts.html = message.message.html;
    parts.date = now;
    // A stream, because GCC 12 warns falsely (-Wrestrict) on these strings joined with +.
    std::ostringstream id;
    id << '<' << message.id << '.' << hex << '@' << domain << '>';
    parts.message_id = id.str();
    return parts;
}

}  // namespace idpd::notify
