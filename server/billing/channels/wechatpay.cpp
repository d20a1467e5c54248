#include "billing/channels/wechatpay.h"

#include <charconv>

#include <nlohmann/json.hpp>

#include "billing/channels/crypto.h"
#include "outbound/http_client.h"

namespace idpd::billing::wechatpay {
namespace {

constexpr std::string_view native_path = "/v3/pay/transactions/native";

// The path part of an http(s) URL ("https://host:443/a/b" → "/a/b"; no path → "").
std::string url_path(std::string_view url) {
    const auto scheme = url.find("://");
    const auto slash = url.find('/', scheme == std::string_view::npos ? 0 : scheme + 3);
    if (slash == std::string_view::npos) {
        return {};
    }
    std::string path(url.substr(slash));
    while (path.ends_with('/')) {
        path.pop_back();
    }
    return path;
}

std::optional<std::int64_t> to_int(std::string_view text) {
    std::int64_t n = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
    if (ec != std::errc{} || end != text.data() + text.size()) {
        return std::nullopt;
    }
    return n;
}

// The transaction inside a notice's resource, opened with the APIv3 key.
Result<nlohmann::json> open_resource(const Config& config, const nlohmann::json& resource) {
    if (!resource.is_object() || resource.value("algorithm", "") != "AEAD_AES_256_GCM") {
        return fail(Error::Kind::invalid, "the resource is not AEAD_AES_256_GCM");
    }
    auto ciphertext = channels::base64_decode(resource.value("ciphertext", ""));
    if (!ciphertext) {
        return fail(Error::Kind::invalid, "the resource's ciphertext is not base64");
    }
    auto plain = channels::aes_256_gcm_open(config.api_v3_key, resource.value("nonce", ""),
                                            resource.value("associated_data", ""), *ciphertext);
    if (!plain) {
        return fail(Error::Kind::invalid, "the resource does not open with our APIv3 key");
    }
    auto transaction = nlohmann::json::parse(*plain, nullptr, false);
    if (transaction.is_discarded() || !transaction.is_object()) {
        return fail(Error::Kind::invalid, "the opened resource is not a JSON object");
    }
    return transaction;
}

Result<Payment> payment_of(const Config& config, const nlohmann::json& t) {
    if (t.value("mchid", "") != config.mch_id || t.value("appid", "") != config.app_id) {
        return fail(Error::Kind::invalid, "the notice is for another merchant or appid");
    }
    if (t.value("trade_state", "") != "SUCCESS") {
        return fail(Error::Kind::invalid,
                    "trade_state " + t.value("trade_state", "") + " is not a payment");
    }
    const auto amount = t.value("amount", nlohmann::json::object());
    if (!amount.is_object() || !amount.contains("total") || !amount["total"].is_number_integer() ||
        amount.value("currency", "CNY") != "CNY") {
        return fail(Error::Kind::invalid, "the notice's amount is unreadable");
    }
    return Payment{t.value("out_trade_no", ""), Channel::wechatpay,
                   amount["total"].get<std::int64_t>(), t.value("transaction_id", "")};
}

class WechatPayChannel final : public PaymentChannel {
public:
    explicit WechatPayChannel(Config config) : config_(std::move(config)), api_(config_.base_url) {}

    Channel channel() const override { return Channel::wechatpay; }

    Result<std::string> create_payment(const Order& order,
                                       std::chrono::sys_seconds now) const override;

    Result<Payment> verify_notice(const Notice& notice,
                                  std::chrono::sys_seconds now) const override {
        return read_notice(config_, notice, now);
    }

    NoticeReply reply(NoticeOutcome outcome, std::string_view) const override {
        switch (outcome) {
            case NoticeOutcome::handled:
                return {204, "", ""};
            case NoticeOutcome::refused:
                return {400, "application/json",
                        R"({"code":"FAIL","message":"the notice was refused"})"};
            case NoticeOutcome::retry:
                return {500, "application/json", R"({"code":"FAIL","message":"try again later"})"};
        }
        return {500, "application/json", R"({"code":"FAIL","message":"try again later"})"};
    }

private:
    Config config_;
    outbound::HttpClient api_;
};

Result<std::string> WechatPayChannel::create_payment(const Order& order,
                                                     std::chrono::sys_seconds now) const {
    const std::string body =
        nlohmann::json{{"appid", config_.app_id},
                       {"mchid", config_.mch_id},
                       {"description", config_.description},
                       {"out_trade_no", order.order_no},
                       {"notify_url", config_.notify_url},
                       {"amount", {{"total", order.amount_fen}, {"currency", "CNY"}}}}
            .dump();
    auto nonce = channels::random_token(32);
    if (!nonce) {
        return fail(Error::Kind::unavailable, "no randomness for a nonce");
    }
    auto auth =
        authorization(config_, "POST", url_path(config_.base_url) + std::string(native_path), body,
                      now.time_since_epoch().count(), *nonce);
    if (!auth) {
        return std::unexpected(auth.error());
    }
    auto answer = api_.post_json(native_path, body,
                                 {{"Authorization", *auth}, {"Accept", "application/json"}});
    if (!answer) {
        return fail(
            Error::Kind::unavailable,
            "WeChat Pay did not answer: " + std::string(outbound::kind_name(answer.error().kind)));
    }
    if (answer->status != 200) {
        return fail(Error::Kind::unavailable, "WeChat Pay answered HTTP " +
                                                  std::to_string(answer->status) + " " +
                                                  answer->body.substr(0, 200));
    }
    Notice signed_answer{{}, answer->body};
    for (const auto& h : answer->headers) {
        signed_answer.headers.push_back(h);
    }
    if (auto ok = verify_signature(config_, signed_answer, now); !ok) {
        return fail(Error::Kind::unavailable, "WeChat Pay's answer: " + ok.error().message);
    }
    auto json = nlohmann::json::parse(answer->body, nullptr, false);
    if (json.is_discarded() || !json.is_object() || json.value("code_url", "").empty()) {
        return fail(Error::Kind::unavailable, "WeChat Pay's answer has no code_url");
    }
    return json.value("code_url", "");
}

}  // namespace

Result<std::string> authorization(const Config& config, std::string_view method,
                                  std::string_view path_and_query, std::string_view body,
                                  std::int64_t timestamp, std::string_view nonce) {
    const std::string ts = std::to_string(timestamp);
    const std::string message = std::string(method) + "\n" + std::string(path_and_query) + "\n" +
                                ts + "\n" + std::string(nonce) + "\n" + std::string(body) + "\n";
    auto signature = channels::rsa_sha256_sign(config.merchant_private_key_pem, message);
    if (!signature) {
        return fail(Error::Kind::unavailable, "cannot sign with the WeChat Pay merchant key");
    }
    return "WECHATPAY2-SHA256-RSA2048 mchid=\"" + config.mch_id + "\",nonce_str=\"" +
           std::string(nonce) + "\",signature=\"" + channels::base64_encode(*signature) +
           "\",timestamp=\"" + ts + "\",serial_no=\"" + config.merchant_serial_no + "\"";
}

Result<void> verify_signature(const Config& config, const Notice& signed_body,
                              std::chrono::sys_seconds now) {
    const auto timestamp = signed_body.header("Wechatpay-Timestamp");
    const auto nonce = signed_body.header("Wechatpay-Nonce");
    const auto signature = signed_body.header("Wechatpay-Signature");
    if (!timestamp || !nonce || !signature) {
        return fail(Error::Kind::invalid, "the Wechatpay-* signature headers are missing");
    }
    if (!config.platform_serial.empty() &&
        signed_body.header("Wechatpay-Serial").value_or("") != config.platform_serial) {
        return fail(Error::Kind::invalid, "signed with another platform key (Wechatpay-Serial)");
    }
    const auto at = to_int(*timestamp);
    const auto skew = at ? now.time_since_epoch().count() - *at : 0;
    if (!at || skew > max_clock_skew.count() || -skew > max_clock_skew.count()) {
        return fail(Error::Kind::invalid, "Wechatpay-Timestamp is more than 5 minutes off");
    }
    auto raw = channels::base64_decode(*signature);
    const std::string message = *timestamp + "\n" + *nonce + "\n" + signed_body.body + "\n";
    if (!raw || !channels::rsa_sha256_verifies(config.platform_public_key_pem, message, *raw)) {
        return fail(Error::Kind::invalid, "the signature does not verify with the platform key");
    }
    return {};
}

Result<Payment> read_notice(const Config& config, const Notice& notice,
                            std::chrono::sys_seconds now) {
    if (auto ok = verify_signature(config, notice, now); !ok) {
        return std::unexpected(ok.error());
    }
    auto json = nlohmann::json::parse(notice.body, nullptr, false);
    if (json.is_discarded() || !json.is_object()) {
        return fail(Error::Kind::invalid, "the notice is not a JSON object");
    }
    if (json.value("event_type", "") != "TRANSACTION.SUCCESS") {
        return fail(Error::Kind::invalid,
                    "event_type " + json.value("event_type", "") + " is not a payment");
    }
    auto transaction = open_resource(config, json.value("resource", nlohmann::json()));
    if (!transaction) {
        return std::unexpected(transaction.error());
    }
    return payment_of(config, *transaction);
}

Result<std::shared_ptr<const PaymentChannel>> open(const Config& config) {
    if (config.app_id.empty() || config.mch_id.empty() || config.merchant_serial_no.empty()) {
        return fail(Error::Kind::invalid,
                    "wechatpay_app_id, wechatpay_mch_id and wechatpay_merchant_serial_no are "
                    "required");
    }
    if (!channels::is_rsa_private_key(config.merchant_private_key_pem)) {
        return fail(Error::Kind::invalid, "wechatpay_merchant_key_file holds no RSA private key");
    }
    if (!channels::is_rsa_public_key(config.platform_public_key_pem)) {
        return fail(Error::Kind::invalid,
                    "wechatpay_platform_key_file holds no RSA public key or certificate");
    }
    if (config.api_v3_key.size() != 32) {
        return fail(Error::Kind::invalid, "wechatpay_api_v3_key_file must hold 32 bytes");
    }
    for (const auto& url : {config.base_url, config.notify_url}) {
        if (!url.starts_with("https://") && !url.starts_with("http://")) {
            return fail(Error::Kind::invalid, "a WeChat Pay URL is not http(s): " + url);
        }
    }
    return std::make_shared<const WechatPayChannel>(config);
}

}  // namespace idpd::billing::wechatpay
