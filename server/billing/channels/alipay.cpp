#include "billing/channels/alipay.h"

#include <algorithm>
#include <ctime>

#include <nlohmann/json.hpp>

#include "billing/amount.h"
#include "billing/channels/crypto.h"
#include "http/request.h"
#include "outbound/http_client.h"

namespace idpd::billing::alipay {
namespace {

using Params = std::vector<std::pair<std::string, std::string>>;

std::string value_of(const Params& params, std::string_view name) {
    for (const auto& [k, v] : params) {
        if (k == name) {
            return v;
        }
    }
    return {};
}

// "88.88" as Alipay writes total_amount: up to two decimals, no sign.
Result<std::int64_t> total_amount(const std::string& text) {
    auto fen = parse_yuan(text);
    if (!fen) {
        return fail(Error::Kind::invalid, "unreadable total_amount \"" + text + "\"");
    }
    return fen;
}

}  // namespace

std::string sign_content(const Params& params) {
    Params kept;
    for (const auto& [k, v] : params) {
        if (k != "sign" && k != "sign_type" && !v.empty()) {
            kept.emplace_back(k, v);
        }
    }
    std::sort(kept.begin(), kept.end());
    std::string out;
    for (const auto& [k, v] : kept) {
        if (!out.empty()) {
            out.push_back('&');
        }
        out += k;
        out.push_back('=');
        out += v;
    }
    return out;
}

Result<Payment> verify_notify(const NotifyConfig& config, const Params& params) {
    if (value_of(params, "sign_type") != "RSA2") {
        return fail(Error::Kind::invalid, "sign_type is not RSA2");
    }
    auto signature = channels::base64_decode(value_of(params, "sign"));
    if (!signature ||
        !channels::rsa_sha256_verifies(config.public_key_pem, sign_content(params), *signature)) {
        return fail(Error::Kind::invalid, "the signature does not verify with Alipay's key");
    }
    if (value_of(params, "app_id") != config.app_id) {
        return fail(Error::Kind::invalid, "the notice is for another app_id");
    }
    const auto status = value_of(params, "trade_status");
    if (status != "TRADE_SUCCESS" && status != "TRADE_FINISHED") {
        return fail(Error::Kind::invalid, "trade_status " + status + " is not a payment");
    }
    auto fen = total_amount(value_of(params, "total_amount"));
    if (!fen) {
        return std::unexpected(fen.error());
    }
    return Payment{value_of(params, "out_trade_no"), Channel::alipay, *fen,
                   value_of(params, "trade_no")};
}

namespace {

constexpr std::string_view precreate_key = "alipay_trade_precreate_response";

// The raw text of the JSON object that follows "`key`": in `body`, braces matched outside
// strings: Alipay signs these exact bytes, so a re-serialised object would not verify.
std::optional<std::string> raw_object(const std::string& body, std::string_view key) {
    const auto at = body.find("\"" + std::string(key) + "\"");
    if (at == std::string::npos) {
        return std::nullopt;
    }
    auto i = body.find_first_not_of(" \t\r\n", at + key.size() + 2);
    if (i == std::string::npos || body[i] != ':') {
        return std::nullopt;
    }
    i = body.find_first_not_of(" \t\r\n", i + 1);
    if (i == std::string::npos || body[i] != '{') {
        return std::nullopt;
    }
    int depth = 0;
    bool in_string = false;
    for (auto j = i; j < body.size(); ++j) {
        const char c = body[j];
        if (in_string) {
            if (c == '\\') {
                ++j;
            } else if (c == '"') {
                in_string = false;
            }
        } else if (c == '"') {
            in_string = true;
        } else if (c == '{') {
            ++depth;
        } else if (c == '}' && --depth == 0) {
            return body.substr(i, j - i + 1);
        }
    }
    return std::nullopt;
}

// Alipay's timestamp: Beijing time (UTC+8), "2026-11-22 20:05:01".
std::string beijing_time(std::chrono::sys_seconds now) {
    const std::time_t t = (now + std::chrono::hours(8)).time_since_epoch().count();
    std::tm tm{};
    gmtime_r(&t, &tm);
    char out[20];
    std::strftime(out, sizeof out, "%Y-%m-%d %H:%M:%S", &tm);
    return out;
}

class AlipayChannel final : public PaymentChannel {
public:
    explicit AlipayChannel(Config config)
        : config_(std::move(config)), gateway_(config_.gateway_url) {}

    Channel channel() const override { return Channel::alipay; }

    Result<std::string> create_payment(const Order& order,
                                       std::chrono::sys_seconds now) const override {
        auto params = precreate_request(config_, order, now);
        if (!params) {
            return std::unexpected(params.error());
        }
        auto answer = gateway_.post_form("", *params);
        if (!answer) {
            return fail(
                Error::Kind::unavailable,
                "Alipay did not answer: " + std::string(outbound::kind_name(answer.error().kind)) +
                    " " + answer.error().detail);
        }
        if (answer->status != 200) {
            return fail(Error::Kind::unavailable,
                        "Alipay answered HTTP " + std::to_string(answer->status));
        }
        return read_precreate_response(config_, answer->body);
    }

    Result<Payment> verify_notice(const Notice& notice, std::chrono::sys_seconds) const override {
        return verify_notify({config_.app_id, config_.alipay_public_key_pem},
                             http::parse_urlencoded(notice.body));
    }

    // Only the text "success" stops Alipay's resending.
    NoticeReply reply(NoticeOutcome outcome, std::string_view) const override {
        switch (outcome) {
            case NoticeOutcome::handled:
                return {200, "text/plain; charset=utf-8", "success"};
            case NoticeOutcome::refused:
                return {200, "text/plain; charset=utf-8", "fail"};
            case NoticeOutcome::retry:
                return {503, "text/plain; charset=utf-8", "fail"};
        }
        return {503, "text/plain; charset=utf-8", "fail"};
    }

private:
    Config config_;
    outbound::HttpClient gateway_;
};

}  // namespace

Result<Params> precreate_request(const Config& config, const Order& order,
                                 std::chrono::sys_seconds now) {
    const nlohmann::json biz{{"out_trade_no", order.order_no},
                             {"total_amount", format_yuan(order.amount_fen)},
                             {"subject", config.subject}};
    Params params{{"app_id", config.app_id},  {"method", "alipay.trade.precreate"},
                  {"format", "JSON"},         {"charset", "utf-8"},
                  {"sign_type", "RSA2"},      {"timestamp", beijing_time(now)},
                  {"version", "1.0"},         {"notify_url", config.notify_url},
                  {"biz_content", biz.dump()}};
    // A request's sign string keeps sign_type (only notices leave it out).
    Params kept = params;
    std::sort(kept.begin(), kept.end());
    std::string content;
    for (const auto& [k, v] : kept) {
        content += (content.empty() ? "" : "&") + k + "=" + v;
    }
    auto signature = channels::rsa_sha256_sign(config.app_private_key_pem, content);
    if (!signature) {
        return fail(Error::Kind::unavailable, "cannot sign with the Alipay app private key");
    }
    params.emplace_back("sign", channels::base64_encode(*signature));
    return params;
}

Result<std::string> read_precreate_response(const Config& config, const std::string& body) {
    auto json = nlohmann::json::parse(body, nullptr, false);
    auto raw = raw_object(body, precreate_key);
    if (json.is_discarded() || !json.is_object() || !raw) {
        return fail(Error::Kind::unavailable, "Alipay's answer is not a precreate response");
    }
    const auto sign = json.value("sign", std::string());
    auto signature = channels::base64_decode(sign);
    if (!signature ||
        !channels::rsa_sha256_verifies(config.alipay_public_key_pem, *raw, *signature)) {
        return fail(Error::Kind::unavailable,
                    "Alipay's precreate answer does not verify with Alipay's key");
    }
    const auto& response = json[std::string(precreate_key)];
    const auto code = response.value("code", std::string());
    const auto qr_code = response.value("qr_code", std::string());
    if (code != "10000" || qr_code.empty()) {
        return fail(Error::Kind::unavailable, "Alipay refused the precreate: " + code + " " +
                                                  response.value("sub_code", std::string()) + " " +
                                                  response.value("sub_msg", std::string()));
    }
    return qr_code;
}

Result<std::shared_ptr<const PaymentChannel>> open(const Config& config) {
    if (config.app_id.empty()) {
        return fail(Error::Kind::invalid, "alipay_app_id is empty");
    }
    if (!channels::is_rsa_private_key(config.app_private_key_pem)) {
        return fail(Error::Kind::invalid, "alipay_app_private_key_file holds no RSA private key");
    }
    if (!channels::is_rsa_public_key(config.alipay_public_key_pem)) {
        return fail(Error::Kind::invalid, "alipay_public_key_file holds no RSA public key");
    }
    if (!config.gateway_url.starts_with("https://") && !config.gateway_url.starts_with("http://")) {
        return fail(Error::Kind::invalid, "alipay_gateway_url is not an http(s) URL");
    }
    if (!config.notify_url.starts_with("https://") && !config.notify_url.starts_with("http://")) {
        return fail(Error::Kind::invalid, "the Alipay notify_url is not an http(s) URL");
    }
    return std::make_shared<const AlipayChannel>(config);
}

}  // namespace idpd::billing::alipay
