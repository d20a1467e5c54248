// The payment channels' signing rules on their own: Alipay's precreate request is signed over
// its sorted parameters (sign_type kept), its answer is verified over the raw text of the
// response object (so spacing matters and a changed qr_code fails); WeChat Pay's Authorization
// header signs METHOD\nPATH\nts\nnonce\nbody\n, and a signed answer is refused when stale or
// from another platform serial.
#include <algorithm>
#include <memory>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include "billing/channels/alipay.h"
#include "billing/channels/crypto.h"
#include "billing/channels/wechatpay.h"

namespace idpd::billing {
namespace {

struct KeyPair {
    std::string private_pem;
    std::string public_pem;
};

KeyPair new_key() {
    std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)> key(EVP_RSA_gen(2048), EVP_PKEY_free);
    auto pem = [](auto write) {
        std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new(BIO_s_mem()), BIO_free);
        write(bio.get());
        char* data = nullptr;
        const long n = BIO_get_mem_data(bio.get(), &data);
        return std::string(data, static_cast<std::size_t>(n));
    };
    return {pem([&](BIO* b) {
                PEM_write_bio_PrivateKey(b, key.get(), nullptr, nullptr, 0, nullptr, nullptr);
            }),
            pem([&](BIO* b) { PEM_write_bio_PUBKEY(b, key.get()); })};
}

const std::chrono::sys_seconds now{std::chrono::seconds{1'795'000'000}};

Order order_of(std::int64_t fen) {
    Order o;
    o.order_no = "T12345678901234567890";
    o.amount_fen = fen;
    return o;
}

TEST(AlipayChannel, APrecreateRequestIsSignedOverItsSortedParametersWithSignType) {
    const auto ours = new_key();
    const alipay::Config config{"https://gw.example/gateway.do", "2021000000000001",
                                ours.private_pem, new_key().public_pem,
                                "https://idp.example/billing/notify/alipay"};
    auto params = alipay::precreate_request(config, order_of(1234), now);
    ASSERT_TRUE(params);
    std::string signature;
    std::vector<std::pair<std::string, std::string>> signed_params;
    for (const auto& [k, v] : *params) {
        (k == "sign" ? signature : signed_params.emplace_back(k, v).second) = v;
    }
    std::sort(signed_params.begin(), signed_params.end());
    std::string content;
    for (const auto& [k, v] : signed_params) {
        content += (content.empty() ? "" : "&") + k + "=" + v;
    }
    EXPECT_NE(content.find("sign_type=RSA2"), std::string::npos);
    EXPECT_NE(content.find("timestamp=2026-11-18 "), std::string::npos);  // Beijing time
    const auto raw = channels::base64_decode(signature);
    ASSERT_TRUE(raw);
    EXPECT_TRUE(channels::rsa_sha256_verifies(ours.public_pem, content, *raw));
    const auto biz = std::find_if(params->begin(), params->end(),
                                  [](const auto& p) { return p.first == "biz_content"; });
    EXPECT_EQ(nlohmann::json::parse(biz->second)["total_amount"], "12.34");
}

TEST(AlipayChannel, AnAnswerIsVerifiedOverTheRawTextOfItsResponseObject) {
    const auto alipay_key = new_key();
    const alipay::Config config{"https://gw.example/gateway.do", "2021000000000001",
                                new_key().private_pem, alipay_key.public_pem, "https://x/n"};
    auto answer = [&](const std::string& raw, const std::string& signed_text) {
        const auto sig = channels::rsa_sha256_sign(alipay_key.private_pem, signed_text).value();
        return "{\"alipay_trade_precreate_response\" :  " + raw + " ,\"sign\":\"" +
               channels::base64_encode(sig) + "\"}";
    };
    const std::string raw =
        R"({ "code":"10000","msg":"Success", "qr_code":"https:\/\/qr.alipay.com\/bax01" })";
    auto qr = alipay::read_precreate_response(config, answer(raw, raw));
    ASSERT_TRUE(qr) << qr.error().message;
    EXPECT_EQ(*qr, "https://qr.alipay.com/bax01");
    std::string changed = raw;
    changed.replace(changed.find("bax01"), 5, "bax02");
    EXPECT_FALSE(alipay::read_precreate_response(config, answer(changed, raw)));
    const std::string refused = R"({"code":"40004","msg":"Business Failed","sub_code":"x"})";
    EXPECT_FALSE(alipay::read_precreate_response(config, answer(refused, refused)));
    EXPECT_FALSE(alipay::read_precreate_response(config, "<html>"));
}

wechatpay::Config wechat_config(const KeyPair& merchant, const KeyPair& platform) {
    return {"https://api.mch.example",
            "wxapp",
            "1900000001",
            "MSERIAL",
            merchant.private_pem,
            platform.public_pem,
            "PSERIAL",
            std::string(32, 'k'),
            "https://x/n"};
}

TEST(WechatPayChannel, TheAuthorizationHeaderSignsTheRequestLine) {
    const auto merchant = new_key();
    const auto config = wechat_config(merchant, new_key());
    auto header = wechatpay::authorization(config, "POST", "/v3/pay/transactions/native",
                                           "{\"a\":1}", 1'795'000'000, "NONCE1");
    ASSERT_TRUE(header);
    const std::string prefix =
        R"(WECHATPAY2-SHA256-RSA2048 mchid="1900000001",nonce_str="NONCE1",signature=")";
    ASSERT_TRUE(header->starts_with(prefix)) << *header;
    EXPECT_TRUE(header->ends_with(R"(",timestamp="1795000000",serial_no="MSERIAL")"));
    const auto start = prefix.size();
    const auto signature = header->substr(start, header->find('"', start) - start);
    EXPECT_TRUE(channels::rsa_sha256_verifies(
        merchant.public_pem, "POST\n/v3/pay/transactions/native\n1795000000\nNONCE1\n{\"a\":1}\n",
        channels::base64_decode(signature).value()));
}

TEST(WechatPayChannel, ASignedAnswerIsRefusedWhenStaleForgedOrFromAnotherSerial) {
    const auto platform = new_key();
    const auto config = wechat_config(new_key(), platform);
    auto signed_by = [&](const std::string& private_pem, std::int64_t ts, std::string serial) {
        const std::string body = R"({"code_url":"weixin://x"})";
        const std::string t = std::to_string(ts);
        const auto sig = channels::rsa_sha256_sign(private_pem, t + "\nN\n" + body + "\n").value();
        return Notice{{{"Wechatpay-Timestamp", t},
                       {"wechatpay-nonce", "N"},
                       {"Wechatpay-Signature", channels::base64_encode(sig)},
                       {"Wechatpay-Serial", serial}},
                      body};
    };
    const auto t = now.time_since_epoch().count();
    EXPECT_TRUE(wechatpay::verify_signature(
        config, signed_by(platform.private_pem, t - 299, "PSERIAL"), now));
    EXPECT_FALSE(wechatpay::verify_signature(
        config, signed_by(platform.private_pem, t - 301, "PSERIAL"), now));
    EXPECT_FALSE(wechatpay::verify_signature(
        config, signed_by(platform.private_pem, t + 301, "PSERIAL"), now));
    EXPECT_FALSE(
        wechatpay::verify_signature(config, signed_by(platform.private_pem, t, "OTHER"), now));
    EXPECT_FALSE(
        wechatpay::verify_signature(config, signed_by(new_key().private_pem, t, "PSERIAL"), now));
}

}  // namespace
}  // namespace idpd::billing
