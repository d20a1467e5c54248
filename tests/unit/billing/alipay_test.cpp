// Alipay's sign string: sign and sign_type left out, empty values left out, sorted by name.
#include "billing/channels/alipay.h"

#include <gtest/gtest.h>

namespace idpd::billing::alipay {
namespace {

TEST(AlipaySignContent, SortsByNameAndLeavesOutSignSignTypeAndEmptyValues) {
    const std::vector<std::pair<std::string, std::string>> params{
        {"trade_status", "TRADE_SUCCESS"},
        {"sign", "abc"},
        {"app_id", "2021"},
        {"sign_type", "RSA2"},
        {"buyer_logon_id", ""},
        {"total_amount", "88.88"},
        {"out_trade_no", "T1"},
        {"notify_time", "2026-11-22 20:05:01"}};
    EXPECT_EQ(sign_content(params),
              "app_id=2021&notify_time=2026-11-22 20:05:01&out_trade_no=T1&total_amount=88.88&"
              "trade_status=TRADE_SUCCESS");
}

TEST(AlipayNotify, RefusesAnUnsignedOrWronglyTypedNotice) {
    const NotifyConfig config{"2021", "not a key"};
    auto unsigned_notice = verify_notify(config, {{"sign_type", "RSA2"}, {"app_id", "2021"}});
    ASSERT_FALSE(unsigned_notice);
    EXPECT_NE(unsigned_notice.error().message.find("signature"), std::string::npos);
    auto rsa1 = verify_notify(config, {{"sign_type", "RSA"}, {"sign", "AAAA"}});
    ASSERT_FALSE(rsa1);
    EXPECT_EQ(rsa1.error().message, "sign_type is not RSA2");
}

}  // namespace
}  // namespace idpd::billing::alipay
