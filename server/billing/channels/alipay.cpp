#include "billing/channels/alipay.h"

#include <algorithm>
#include <memory>

#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include "billing/amount.h"

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

// Standard base64 (Alipay's sign), strictly: no whitespace, padding required.
std::optional<std::string> base64_decode(std::string_view text) {
    if (text.empty() || text.size() % 4 != 0) {
        return std::nullopt;
    }
    std::string out(text.size() / 4 * 3, '\0');
    const int n = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                  reinterpret_cast<const unsigned char*>(text.data()),
                                  static_cast<int>(text.size()));
    if (n < 0) {
        return std::nullopt;
    }
    const auto padding = static_cast<std::size_t>(std::count(text.end() - 2, text.end(), '='));
    out.resize(static_cast<std::size_t>(n) - padding);
    return out;
}

bool rsa2_verifies(const std::string& public_key_pem, const std::string& content,
                   const std::string& signature) {
    std::unique_ptr<BIO, decltype(&BIO_free)> bio(
        BIO_new_mem_buf(public_key_pem.data(), static_cast<int>(public_key_pem.size())), BIO_free);
    if (!bio) {
        return false;
    }
    std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)> key(
        PEM_read_bio_PUBKEY(bio.get(), nullptr, nullptr, nullptr), EVP_PKEY_free);
    std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(), EVP_MD_CTX_free);
    if (!key || !ctx || EVP_PKEY_get_base_id(key.get()) != EVP_PKEY_RSA ||
        EVP_DigestVerifyInit(ctx.get(), nullptr, EVP_sha256(), nullptr, key.get()) != 1) {
        return false;
    }
    return EVP_DigestVerify(ctx.get(), reinterpret_cast<const unsigned char*>(signature.data()),
                            signature.size(),
                            reinterpret_cast<const unsigned char*>(content.data()),
                            content.size()) == 1;
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
    auto signature = base64_decode(value_of(params, "sign"));
    if (!signature || !rsa2_verifies(config.public_key_pem, sign_content(params), *signature)) {
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

}  // namespace idpd::billing::alipay
