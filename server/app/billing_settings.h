#pragma once

#include <optional>

#include "app/config.h"
#include "billing/channels/alipay.h"
#include "billing/channels/channel.h"
#include "billing/plans.h"

namespace idpd::app {

// The [billing] prices and quotas as the plan catalogue. Throws std::runtime_error for a
// line-up billing::Catalog refuses (it cannot happen with load_config's checks, but a wrong
// catalogue must never start charging).
billing::Catalog plan_catalog(const Config& config);

// The payment channels [billing] configures: Alipay when alipay_app_id is set (then both keys are
// required), WeChat Pay when
// wechatpay_mch_id is set, bank transfer with an account number. Notices reach
// <issuer>/billing/notify/<channel>. Throws std::runtime_error for a key file that cannot be
// read or a channel configured by half.
billing::Channels payment_channels(const Config& config);

}  // namespace idpd::app
