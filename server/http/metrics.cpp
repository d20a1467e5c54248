#include "http/metrics.h"

#include <sstream>

namespace idpd::http {
namespace {

// Prometheus label values escape backslash, double quote and newline.
std::string label_value(std::string_view v) {
    std::string out;
    for (char c : v) {
        if (c == '\\' || c == '"') {
            out.push_back('\\');
            out.push_back(c);
        } else if (c == '\n') {
            out += "\\n";
        } else {
            out.push_back(c);
        }
    }
    return out;
}

}  // namespace

void Metrics::observe(std::string_view route, std::string_view method, int status,
                      std::chrono::duration<double> elapsed) {
    std::lock_guard lock(mutex_);
    ++requests_[std::tuple{std::string(route), std::string(method), status}];
    auto it = latency_.find(route);
    if (it == latency_.end()) {
        it = latency_.emplace(std::string(route), Histogram{}).first;
    }
    Histogram& h = it->second;
    double seconds = elapsed.count();
    for (std::size_t i = 0; i < latency_buckets.size(); ++i) {
        if (seconds <= latency_buckets[i]) {
            ++h.buckets[i];
        }
    }
    ++h.count;
    h.sum += seconds;
}

void Metrics::add_gauge(std::string name, std::string help, std::function<double()> read) {
    std::lock_guard lock(mutex_);
    gauges_.push_back(Gauge{std::move(name), std::move(help), std::move(read)});
}

void Metrics::add_info(std::string name, std::string help,
                       std::vector<std::pair<std::string, std::string>> labels) {
    std::lock_guard lock(mutex_);
    infos_.push_back(Info{std::move(name), std::move(help), std::move(labels)});
}

std::string Metrics::render() const {
    std::ostringstream out;
    std::lock_guard lock(mutex_);
    for (const Info& info : infos_) {
        out << "# HELP " << info.name << ' ' << info.help << "\n# TYPE " << info.name << " gauge\n"
            << info.name << '{';
        for (std::size_t i = 0; i < info.labels.size(); ++i) {
            out << (i ? "," : "") << info.labels[i].first << "=\""
                << label_value(info.labels[i].second) << '"';
        }
        out << "} 1\n";
    }
    out << "# HELP idpd_http_requests_total HTTP requests answered, by route, method and "
           "status.\n# TYPE idpd_http_requests_total counter\n";
    for (const auto& [key, count] : requests_) {
        const auto& [route, method, status] = key;
        out << "idpd_http_requests_total{route=\"" << label_value(route) << "\",method=\"" << method
            << "\",status=\"" << status << "\"} " << count << '\n';
    }
    out << "# HELP idpd_http_request_duration_seconds Time from request to response, by "
           "route.\n# TYPE idpd_http_request_duration_seconds histogram\n";
    for (const auto& [route, h] : latency_) {
        std::string r = label_value(route);
        for (std::size_t i = 0; i < latency_buckets.size(); ++i) {
            out << "idpd_http_request_duration_seconds_bucket{route=\"" << r << "\",le=\""
                << latency_buckets[i] << "\"} " << h.buckets[i] << '\n';
        }
        out << "idpd_http_request_duration_seconds_bucket{route=\"" << r << "\",le=\"+Inf\"} "
            << h.count << '\n'
            << "idpd_http_request_duration_seconds_sum{route=\"" << r << "\"} " << h.sum << '\n'
            << "idpd_http_request_duration_seconds_count{route=\"" << r << "\"} " << h.count
            << '\n';
    }
    for (const Gauge& g : gauges_) {
        out << "# HELP " << g.name << ' ' << g.help << "\n# TYPE " << g.name << " gauge\n"
            << g.name << ' ' << g.read() << '\n';
    }
    return out.str();
}

}  // namespace idpd::http
