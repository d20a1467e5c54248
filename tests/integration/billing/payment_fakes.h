#pragma once

#include <filesystem>
#include <memory>
#include <string>

#include <gtest/gtest.h>
#include <httplib.h>
#include <nlohmann/json.hpp>

#include "app/config.h"
#include "http/request.h"
#include "support/process.h"

namespace idpd::testing_support {

// tests/fakes/payment_fakes.py on a loopback ephemeral port: the Alipay gateway and WeChat Pay
// v3, with the keys it writes into `key_dir` (ours and theirs, as a merchant would hold them).
// Ended by PID when destroyed.
class PaymentFakes {
public:
    explicit PaymentFakes(const std::filesystem::path& key_dir) : keys_(key_dir) {
        std::filesystem::create_directories(key_dir);
        process_ = std::make_unique<Process>(
            std::vector<std::string>{"/usr/bin/python3",
                                     std::string(IDPD_SOURCE_DIR) + "/tests/fakes/payment_fakes.py",
                                     key_dir.string()},
            std::map<std::string, std::string>{}, std::filesystem::path(IDPD_SOURCE_DIR));
        if (process_->wait_for_output("\n", std::chrono::seconds(20))) {
            port_ = std::stoi(process_->out().substr(process_->out().find(' ') + 1));
        }
    }

    bool started() const { return port_ != 0; }

    std::string error_output() const { return process_->err(); }

    std::string base() const { return "http://127.0.0.1:" + std::to_string(port_); }

    // [billing] pointing every channel at the fakes, with their keys; a bank account too.
    void configure(app::Config& config) const {
        auto& b = config.billing;
        b.alipay_app_id = "2021000000000001";
        b.alipay_gateway_url = base() + "/alipay/gateway.do";
        b.alipay_public_key_file = keys_ / "alipay_public.pem";
        b.alipay_app_private_key_file = keys_ / "alipay_app_private.pem";
        b.wechatpay_base_url = base() + "/wechatpay";
        b.wechatpay_app_id = "wxfakepayappid0001";
        b.wechatpay_mch_id = "1900000001";
        b.wechatpay_merchant_serial_no = "FAKEMERCHANTSERIAL0001";
        b.wechatpay_merchant_key_file = keys_ / "wechatpay_merchant_private.pem";
        b.wechatpay_platform_key_file = keys_ / "wechatpay_platform_public.pem";
        b.wechatpay_platform_serial = "PUB_KEY_ID_0000000000000001";
        b.wechatpay_api_v3_key_file = keys_ / "wechatpay_apiv3.key";
        b.bank_name = "China Merchants Bank, Hangzhou branch";
        b.bank_account_name = "idpd Ltd";
        b.bank_account_number = "6214 8300 0000 0001";
    }

    // POST /_control/<channel>/<action> with `body`; the JSON answer (null when none).
    nlohmann::json control(const std::string& channel, const std::string& action,
                           const nlohmann::json& body = nlohmann::json::object()) const {
        httplib::Client c("127.0.0.1", port_);
        c.set_read_timeout(20, 0);
        auto r = c.Post("/_control/" + channel + "/" + action, body.dump(), "application/json");
        EXPECT_TRUE(r) << "fake " << channel << " " << action;
        if (!r) {
            return nullptr;
        }
        auto json = nlohmann::json::parse(r->body, nullptr, false);
        return json.is_discarded() ? nlohmann::json() : json;
    }

    // The notice the fake would send for `spec` (pay with deliver false), as the request that
    // reaches POST /billing/notify/<channel>.
    http::HttpRequest notice(const std::string& channel, nlohmann::json spec) const {
        spec["deliver"] = false;
        auto built = control(channel, "pay", spec);
        http::HttpRequest req;
        req.method = http::Method::post;
        req.path = "/billing/notify/" + channel;
        req.peer_ip = "127.0.0.9";
        if (!built.is_object() || !built.contains("body")) {
            ADD_FAILURE() << "the fake built no notice: " << built.dump();
            return req;
        }
        req.body = built["body"].get<std::string>();
        req.headers.set("Content-Type", built["content_type"].get<std::string>());
        for (const auto& [name, value] : built["headers"].items()) {
            req.headers.set(name, value.get<std::string>());
        }
        return req;
    }

private:
    std::filesystem::path keys_;
    std::unique_ptr<Process> process_;
    int port_ = 0;
};

}  // namespace idpd::testing_support
