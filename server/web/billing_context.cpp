#include "web/billing_context.h"

namespace idpd::web {

store::Result<BillingContext> billing_context(PageKit&, const Visit& visit) {
    return BillingContext{{billing::OwnerKind::user, visit.user->id}, visit.user->username, true};
}

}  // namespace idpd::web
