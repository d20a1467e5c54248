#include "notify/file_sender.h"

#include <cctype>
#include <fstream>
#include <system_error>

namespace idpd::notify {

std::filesystem::path FileSender::path_for(const OutboxMessage& message) const {
    // enqueue() lets only letters, digits, '_' and '-' into kind; a row written some other way
    // still cannot name a path.
    std::string kind = message.message.kind.empty() ? "message" : message.message.kind;
    for (char& c : kind) {
        if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_' && c != '-') {
            c = '_';
        }
    }
    std::string ext = message.message.channel == Channel::sms ? ".txt" : ".eml";
    return dir_ / (std::to_string(message.id) + "-" + kind + ext);
}

SendResult FileSender::send(const OutboxMessage& message, std::chrono::sys_seconds now) {
    std::string content;
    if (message.message.channel == Channel::sms) {
        content = "To: " + message.message.to + "\n\n" + message.message.text + "\n";
    } else {
        content = build_email(email_parts(message, from_, now));
    }
    std::error_code ec;
    std::filesystem::create_directories(dir_, ec);
    const auto target = path_for(message);
    // Written beside and renamed, so a reader never sees half a message.
    const auto partial = target.string() + ".partial";
    {
        std::ofstream out(partial, std::ios::binary | std::ios::trunc);
        out << content;
        if (!out.flush()) {
            return std::unexpected(SendError{false, "cannot write " + partial});
        }
    }
    std::filesystem::rename(partial, target, ec);
    if (ec) {
        return std::unexpected(
            SendError{false, "cannot write " + target.string() + ": " + ec.message()});
    }
    return {};
}

}  // namespace idpd::notify
