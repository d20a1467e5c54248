// A stand-in for Alipay's side of the asynchronous payment notice: it holds an RSA key pair
// (Alipay's, as far as the test is concerned), and writes notices in Alipay's wire format — an
// application/x-www-form-urlencoded body with notify_time, notify_type=trade_status_sync,
// notify_id, app_id, charset, version, sign_type=RSA2, trade_no, out_trade_no, total_amount,
// trade_status, and `sign`: base64 SHA256withRSA over the other parameters (without sign and
// sign_type) sorted by name and joined as name=value&… . Sources: Alipay's SDK check
// (AlipaySignature.rsaCheckV1, described at https://developer.aliyun.com/article/707599) and
// https://global.alipay.com/help/integration/24 (the sign string). Header-only, for tests.
#pragma once

#include <algorithm>
#include <map>
#include <memory>
#include <stdexcept>
#include <string>

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>

#include "http/request.h"

namespace idpd::fakes {

class AlipayFake {
public:
    AlipayFake() : key_(EVP_RSA_gen(2048), EVP_PKEY_free) {
        if (!key_) {
            throw std::runtime_error("cannot generate the fake Alipay key");
        }
    }

    // Alipay's public key as merchants download it (SubjectPublicKeyInfo PEM).
    std::string public_key_pem() const {
        std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new(BIO_s_mem()), BIO_free);
        PEM_write_bio_PUBKEY(bio.get(), key_.get());
        char* data = nullptr;
        const long n = BIO_get_mem_data(bio.get(), &data);
        return std::string(data, static_cast<std::size_t>(n));
    }

    // A merchant app private key (PKCS#8 PEM): idpd needs one to be configured for Alipay,
    // though notices alone never use it.
    static std::string app_private_key_pem() {
        std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)> key(EVP_RSA_gen(2048), EVP_PKEY_free);
        std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new(BIO_s_mem()), BIO_free);
        PEM_write_bio_PrivateKey(bio.get(), key.get(), nullptr, nullptr, 0, nullptr, nullptr);
        char* data = nullptr;
        const long n = BIO_get_mem_data(bio.get(), &data);
        return std::string(data, static_cast<std::size_t>(n));
    }

    // The parameters of a TRADE_SUCCESS notice for our order.
    static std::map<std::string, std::string> paid(const std::string& app_id,
                                                   const std::string& out_trade_no,
                                                   const std::string& total_amount) {
        return {{"notify_time", "2026-11-22 20:05:01"},
                {"notify_type", "trade_status_sync"},
                {"notify_id", "ac05099524730693a8b330c5ecf72da9786"},
                {"app_id", app_id},
                {"charset", "utf-8"},
                {"version", "1.0"},
                {"sign_type", "RSA2"},
                {"trade_no", "2026112222001419271412345678"},
                {"out_trade_no", out_trade_no},
                {"total_amount", total_amount},
                {"receipt_amount", total_amount},
                {"buyer_logon_id", "159****5620"},
                {"subject", "idpd top-up"},
                {"trade_status", "TRADE_SUCCESS"},
                {"gmt_payment", "2026-11-22 20:05:00"}};
    }

    // The form body Alipay posts: the parameters plus `sign`, URL-encoded.
    std::string notice_body(std::map<std::string, std::string> params) const {
        std::string content;
        for (const auto& [k, v] : params) {  // std::map: sorted by name
            if (k == "sign" || k == "sign_type" || v.empty()) {
                continue;
            }
            content += (content.empty() ? "" : "&") + k + "=" + v;
        }
        params["sign"] = sign(content);
        std::string body;
        for (const auto& [k, v] : params) {
            body += (body.empty() ? "" : "&") + k + "=" + http::url_encode(v);
        }
        return body;
    }

private:
    std::string sign(const std::string& content) const {
        std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(),
                                                                    EVP_MD_CTX_free);
        std::size_t n = 0;
        EVP_DigestSignInit(ctx.get(), nullptr, EVP_sha256(), nullptr, key_.get());
        EVP_DigestSign(ctx.get(), nullptr, &n,
                       reinterpret_cast<const unsigned char*>(content.data()), content.size());
        std::string sig(n, '\0');
        EVP_DigestSign(ctx.get(), reinterpret_cast<unsigned char*>(sig.data()), &n,
                       reinterpret_cast<const unsigned char*>(content.data()), content.size());
        sig.resize(n);
        std::string b64(4 * ((sig.size() + 2) / 3), '\0');
        EVP_EncodeBlock(reinterpret_cast<unsigned char*>(b64.data()),
                        reinterpret_cast<const unsigned char*>(sig.data()),
                        static_cast<int>(sig.size()));
        return b64;
    }

    std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)> key_;
};

}  // namespace idpd::fakes
