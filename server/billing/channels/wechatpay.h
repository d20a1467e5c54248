#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <string_view>

#include "billing/channels/channel.h"
#include "billing/error.h"
#include "billing/order_store.h"

namespace idpd::billing::wechatpay {

// WeChat Pay API v3, Native payment (the payer scans a QR code):
// - our requests carry `Authorization: WECHATPAY2-SHA256-RSA2048 mchid="…",nonce_str="…",
//   signature="…",timestamp="…",serial_no="…"`, the signature being SHA256withRSA with our
//   merchant key over "METHOD\nPATH?QUERY\ntimestamp\nnonce\nbody\n" (base64);
// - POST /v3/pay/transactions/native {appid, mchid, description, out_trade_no, notify_url,
//   amount {total (fen), currency CNY}} answers {code_url};
// - WeChat Pay's answers and notices are signed with the platform key (a platform certificate
//   or the "WeChat Pay public key") over "Wechatpay-Timestamp\nWechatpay-Nonce\nbody\n", the
//   signature in Wechatpay-Signature, the key's serial in Wechatpay-Serial; a timestamp more
//   than 5 minutes from ours is refused (a replayed capture);
// - a notice's `resource` {algorithm AEAD_AES_256_GCM, ciphertext (base64, the last 16 bytes the
//   tag), nonce, associated_data} opens with the APIv3 key into the transaction {appid, mchid,
//   out_trade_no, transaction_id, trade_state, amount {total, payer_total}};
// - a handled notice is answered 204; a refused one 4xx/5xx {"code":"FAIL","message":…}, which
//   makes WeChat Pay send it again later.
struct Config {
    std::string base_url = "https://api.mch.weixin.qq.com";
    std::string app_id;                    // the appid the payment is for
    std::string mch_id;                    // our merchant id
    std::string merchant_serial_no;        // the serial of our merchant API certificate
    std::string merchant_private_key_pem;  // its private key
    std::string platform_public_key_pem;   // platform certificate or WeChat Pay public key (PEM)
    std::string platform_serial;           // its serial: Wechatpay-Serial must name it; empty: any
    std::string api_v3_key;                // 32 bytes, as set in the merchant platform
    std::string notify_url;                // our POST /billing/notify/wechatpay, absolute
    std::string description = "idpd top-up";
};

inline constexpr std::chrono::seconds max_clock_skew{300};

// The Authorization header of a request. Errors: unavailable when signing fails.
Result<std::string> authorization(const Config& config, std::string_view method,
                                  std::string_view path_and_query, std::string_view body,
                                  std::int64_t timestamp, std::string_view nonce);

// Whether `body` with these headers carries a valid platform signature made within
// max_clock_skew of `now`. Errors: invalid, naming what is wrong.
Result<void> verify_signature(const Config& config, const Notice& signed_body,
                              std::chrono::sys_seconds now);

// The payment in a notice (signature checked first, then the resource opened).
// Errors: invalid, naming what is wrong.
Result<Payment> read_notice(const Config& config, const Notice& notice,
                            std::chrono::sys_seconds now);

// The channel, after checking keys and URLs. Errors: invalid, naming the setting.
Result<std::shared_ptr<const PaymentChannel>> open(const Config& config);

}  // namespace idpd::billing::wechatpay
