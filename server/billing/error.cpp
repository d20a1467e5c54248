#include "billing/error.h"

#include "store/refusable_transaction.h"

namespace idpd::billing {

std::string_view code_name(Code code) {
    switch (code) {
        case Code::none:
            return "none";
        case Code::unknown_plan:
            return "unknown_plan";
        case Code::same_plan:
            return "same_plan";
        case Code::coupon_unknown:
            return "coupon_unknown";
        case Code::coupon_used_up:
            return "coupon_used_up";
        case Code::coupon_already_redeemed:
            return "coupon_already_redeemed";
        case Code::coupon_expired:
            return "coupon_expired";
        case Code::coupon_not_yet_valid:
            return "coupon_not_yet_valid";
    }
    return "none";
}

std::unexpected<Error> from_store(const store::Error& error) {
    if (error.kind == store::Error::Kind::not_found) {
        return std::unexpected(Error{Error::Kind::not_found, "not found", error, Code::none});
    }
    return std::unexpected(Error{Error::Kind::unavailable,
                                 "the billing database is unavailable, try again", error,
                                 Code::none});
}

Result<void> in_transaction(store::Database& db,
                            const std::function<Result<void>(store::Database& tx)>& work) {
    return store::refusable_transaction<Error>(db, "billing", work, from_store);
}

}  // namespace idpd::billing
