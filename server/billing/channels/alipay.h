#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

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

}  // namespace idpd::billing::alipay
