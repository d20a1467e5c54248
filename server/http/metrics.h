#pragma once

#include <array>
#include <atomic>
#include <chrono>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <vector>

namespace idpd::http {

// Counters and histograms for /metrics, in the Prometheus text format (version 0.0.4).
// Safe to call from every worker thread.
class Metrics {
public:
    static constexpr std::array<double, 12> latency_buckets{
        0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5};

    // Records one finished request. `route` is the matched pattern, or "unmatched", so a
    // scanner cannot grow the label set without bound.
    void observe(std::string_view route, std::string_view method, int status,
                 std::chrono::duration<double> elapsed);

    // A value read at scrape time (pool use, queue depth).
    void add_gauge(std::string name, std::string help, std::function<double()> read);

    // A constant 1-valued series whose labels carry information (build version, commit).
    void add_info(std::string name, std::string help,
                  std::vector<std::pair<std::string, std::string>> labels);

    std::string render() const;

private:
    struct Histogram {
        std::array<std::uint64_t, latency_buckets.size()> buckets{};
        std::uint64_t count = 0;
        double sum = 0;
    };

    struct Gauge {
        std::string name;
        std::string help;
        std::function<double()> read;
    };

    struct Info {
        std::string name;
        std::string help;
        std::vector<std::pair<std::string, std::string>> labels;
    };

    mutable std::mutex mutex_;
    // (route, method, status) → count
    std::map<std::tuple<std::string, std::string, int>, std::uint64_t, std::less<>> requests_;
    std::map<std::string, Histogram, std::less<>> latency_;  // by route
    std::vector<Gauge> gauges_;
    std::vector<Info> infos_;
};

}  // namespace idpd::http
