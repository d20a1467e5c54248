#include "notify/dispatcher.h"

#include <spdlog/spdlog.h>

namespace idpd::notify {
namespace {

std::chrono::sys_seconds seconds_of(std::chrono::system_clock::time_point t) {
    return std::chrono::time_point_cast<std::chrono::seconds>(t);
}

}  // namespace

Dispatcher::Dispatcher(store::Database& db, std::unique_ptr<Sender> email,
                       std::unique_ptr<Sender> sms, Clock clock, DispatcherOptions options,
                       std::unique_ptr<Sender> wechat)
    : db_(db),
      email_(std::move(email)),
      sms_(std::move(sms)),
      wechat_(std::move(wechat)),
      clock_(std::move(clock)),
      options_(options) {}

DispatchReport Dispatcher::run_once() {
    DispatchReport report;
    OutboxStore outbox{db_};
    auto due = outbox.due(seconds_of(clock_()), options_.batch_size);
    if (!due) {
        spdlog::warn("outbox: cannot read due messages, will retry: {}", due.error().message);
        return report;
    }
    for (std::int64_t id : *due) {
        {
            std::lock_guard lock(mutex_);
            if (stopping_) {
                break;
            }
        }
        auto claimed = outbox.claim(id, seconds_of(clock_()), options_.lease);
        if (!claimed) {
            spdlog::warn("outbox: cannot claim message {}: {}", id, claimed.error().message);
            continue;
        }
        if (*claimed) {
            deliver(**claimed, report);
        }
    }
    purge_finished(seconds_of(clock_()));
    return report;
}

void Dispatcher::deliver(const OutboxMessage& claimed, DispatchReport& report) {
    OutboxStore outbox{db_};
    const auto& m = claimed.message;
    Sender* sender = m.channel == Channel::sms      ? sms_.get()
                     : m.channel == Channel::wechat ? wechat_.get()
                                                    : email_.get();
    SendResult sent = std::unexpected(
        SendError{true, std::string(channel_name(m.channel)) + " transport is off"});
    if (sender != nullptr) {
        sent = sender->send(claimed, seconds_of(clock_()));
    }
    const auto now = seconds_of(clock_());
    if (sent) {
        // A failure to record means the message may go out again: delivery is at-least-once.
        if (auto recorded = outbox.record_sent(claimed.id, now); !recorded) {
            spdlog::error("outbox: message {} was sent but not recorded: {}", claimed.id,
                          recorded.error().message);
        }
        spdlog::info("outbox: sent {} {} to {} (message {}, attempt {})", m.kind,
                     channel_name(m.channel), m.to, claimed.id, claimed.attempts);
        ++report.sent;
        return;
    }
    auto outcome = outbox.record_failure(claimed, sent.error().detail, sent.error().permanent,
                                         options_.retry, now);
    if (!outcome) {
        spdlog::error("outbox: cannot record the failure of message {}: {}", claimed.id,
                      outcome.error().message);
    } else if (!*outcome) {
        spdlog::warn("outbox: message {} was claimed by another process meanwhile", claimed.id);
    } else if ((*outcome)->gave_up) {
        spdlog::error("outbox: gave up {} {} to {} (message {}) after {} attempts: {}", m.kind,
                      channel_name(m.channel), m.to, claimed.id, claimed.attempts,
                      sent.error().detail);
        ++report.gave_up;
    } else {
        spdlog::warn("outbox: {} {} to {} (message {}) failed, attempt {}; next in {}s: {}", m.kind,
                     channel_name(m.channel), m.to, claimed.id, claimed.attempts,
                     ((*outcome)->next_attempt_at - now).count(), sent.error().detail);
        ++report.retrying;
    }
}

void Dispatcher::purge_finished(std::chrono::sys_seconds now) {
    // Once in ten minutes is plenty for rows kept for days.
    if (now - last_purge_ < std::chrono::minutes(10)) {
        return;
    }
    last_purge_ = now;
    auto deleted = OutboxStore{db_}.delete_finished(now - options_.keep_finished);
    if (!deleted) {
        spdlog::warn("outbox: cleanup failed, will retry: {}", deleted.error().message);
    } else if (*deleted > 0) {
        spdlog::info("outbox: deleted {} finished messages", *deleted);
    }
}

void Dispatcher::start() {
    thread_ = std::thread([this] {
        std::unique_lock lock(mutex_);
        while (!wake_.wait_for(lock, options_.poll_interval, [this] { return stopping_; })) {
            lock.unlock();
            run_once();
            lock.lock();
        }
    });
}

void Dispatcher::stop() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    wake_.notify_all();
    for (Sender* sender : {email_.get(), sms_.get(), wechat_.get()}) {
        if (sender != nullptr) {
            sender->cancel();
        }
    }
    if (thread_.joinable()) {
        thread_.join();
    }
}

}  // namespace idpd::notify
