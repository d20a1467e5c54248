#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>

#include "notify/outbox_store.h"
#include "notify/sender.h"

namespace idpd::notify {

// Config: [notify] max_attempts, retry_base, retry_max, poll_interval, keep_finished.
struct DispatcherOptions {
    std::chrono::milliseconds poll_interval{2000};
    std::size_t batch_size = 20;  // messages looked at per poll
    // How long a claim holds a message; longer than any one send() can take (the SMTP timeout
    // is 60 s), so a slow send is not sent a second time by another process.
    std::chrono::seconds lease{std::chrono::minutes(5)};
    RetryPolicy retry;
    // Sent and given-up messages are deleted this long after they finished (bodies hold
    // sign-in links).
    std::chrono::seconds keep_finished{std::chrono::hours(24 * 7)};
};

// What one poll did.
struct DispatchReport {
    std::size_t sent = 0;
    std::size_t retrying = 0;
    std::size_t gave_up = 0;
};

// Delivers the outbox: every poll_interval it claims the due messages one at a time (so a
// claim is taken just before its send), sends each through its channel's Sender and records
// the outcome. Every serving process runs one; the claims keep them from sending one message
// at the same time. A channel without a Sender ("off") has its messages given up.
class Dispatcher {
public:
    using Clock = std::function<std::chrono::system_clock::time_point()>;

    // `wechat`: the wechat channel's sender (WechatOutboxSender); nullptr: off.
    Dispatcher(store::Database& db, std::unique_ptr<Sender> email, std::unique_ptr<Sender> sms,
               Clock clock, DispatcherOptions options, std::unique_ptr<Sender> wechat = nullptr);

    ~Dispatcher() { stop(); }

    Dispatcher(const Dispatcher&) = delete;
    Dispatcher& operator=(const Dispatcher&) = delete;

    // One poll now. A database failure is logged and retried next poll.
    DispatchReport run_once();

    // Polls on a thread of its own until stop(). stop() wakes it, cancels a send in progress
    // (SMTP gives up at once; an SMS call ends within its timeouts) and joins it.
    void start();
    void stop();

private:
    void deliver(const OutboxMessage& claimed, DispatchReport& report);
    void purge_finished(std::chrono::sys_seconds now);

    store::Database& db_;
    std::unique_ptr<Sender> email_;
    std::unique_ptr<Sender> sms_;
    std::unique_ptr<Sender> wechat_;
    Clock clock_;
    DispatcherOptions options_;
    std::chrono::sys_seconds last_purge_{};
    std::mutex mutex_;
    std::condition_variable wake_;
    bool stopping_ = false;
    std::thread thread_;
};

}  // namespace idpd::notify
