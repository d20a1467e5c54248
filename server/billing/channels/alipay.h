#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "billing/channels/channel.h"
#include "billing/error.h"
#include "billing/order_store.h"

namespace idpd::billing::alipay {

// Alipay's asynchronous payment notice (a form POST to our notify_url), verified the way
// Alipay's SDKs do it (AlipaySignature.rsaCheckV1; https://developer.aliyun.com/article/707599,
// https://global.alipay.com/help/integration/24): every parameter except `sign` and
// `sign_type`, sorted by name, joined as name=value with '&' (decoded values, empty ones left
// out), verified as SHA256withRSA ("RSA2") against Alipay's public key; the notice is answered
// with the plain text "success" once handled, anything else makes Alipay send it again.
struct NotifyConfig {
    std::string app_id;          // our app_id at Alipay: a notice for another app is refused
    std::string public_key_pem;  // Alipay's public key (-----BEGIN PUBLIC KEY-----)
};

// The text Alipay signs: see above.
std::string sign_content(const std::vector<std::pair<std::string, std::string>>& params);

// The payment a genuine notice reports: out_trade_no, total_amount ("88.88" yuan → fen),
// trade_no. Errors: invalid — a missing or bad signature, sign_type other than RSA2, another
// app_id, a trade_status other than TRADE_SUCCESS/TRADE_FINISHED, an unreadable amount; the
// message names which (for the audit log, never for the sender).
Result<Payment> verify_notify(const NotifyConfig& config,
                              const std::vector<std::pair<std::string, std::string>>& params);

// Face-to-face payment (当面付) through the openapi gateway: alipay.trade.precreate answers a
// qr_code the payer scans. The request is a form POST of app_id, method, format=JSON,
// charset=utf-8, sign_type=RSA2, timestamp ("yyyy-MM-dd HH:mm:ss", Beijing time), version=1.0,
// notify_url and biz_content {out_trade_no, total_amount "12.34", subject}, signed like a notice
// but with sign_type kept (every parameter but `sign`, sorted, name=value joined by '&') with our
// app private key. The answer {"alipay_trade_precreate_response": {...}, "sign": "..."} is
// verified with Alipay's public key over the raw text of the response object, as Alipay's SDKs
// do, before its code "10000" and qr_code are believed.
struct Config {
    std::string gateway_url = "https://openapi.alipay.com/gateway.do";
    std::string app_id;
    std::string app_private_key_pem;      // ours, PKCS#8 or PKCS#1 PEM
    std::string alipay_public_key_pem;    // Alipay's
    std::string notify_url;               // our POST /billing/notify/alipay, absolute
    std::string subject = "idpd top-up";  // what the payer's app shows
};

// The parameters of a precreate request for `order` at `now`, signed. Errors: unavailable when
// signing fails (an unusable key).
Result<std::vector<std::pair<std::string, std::string>>> precreate_request(
    const Config& config, const Order& order, std::chrono::sys_seconds now);

// The qr_code of a precreate answer `body` that verifies with Alipay's key and says "10000".
// Errors: unavailable, naming what was wrong (for the log).
Result<std::string> read_precreate_response(const Config& config, const std::string& body);

// The channel, after checking the keys and URLs. Errors: invalid, naming the setting.
Result<std::shared_ptr<const PaymentChannel>> open(const Config& config);

}  // namespace idpd::billing::alipay
