#include "org/error.h"

#include "store/refusable_transaction.h"

namespace idpd::org {

std::string_view code_name(Code code) {
    switch (code) {
        case Code::invalid_name:
            return "invalid_name";
        case Code::invalid_display_name:
            return "invalid_display_name";
        case Code::name_taken:
            return "name_taken";
        case Code::invalid_role:
            return "invalid_role";
        case Code::not_found:
            return "not_found";
        case Code::forbidden:
            return "forbidden";
        case Code::owner_must_transfer:
            return "owner_must_transfer";
        case Code::already_member:
            return "already_member";
        case Code::no_such_invitee:
            return "no_such_invitee";
        case Code::invitation_closed:
            return "invitation_closed";
        case Code::invitation_expired:
            return "invitation_expired";
        case Code::wrong_invitee:
            return "wrong_invitee";
        case Code::balance_not_zero:
            return "balance_not_zero";
        case Code::unavailable:
            return "unavailable";
    }
    return "unavailable";
}

std::unexpected<Error> from_store(const store::Error& error) {
    if (error.kind == store::Error::Kind::not_found) {
        return std::unexpected(Error{Code::not_found, "not found", error});
    }
    return std::unexpected(
        Error{Code::unavailable, "the database is unavailable, try again", error});
}

Result<void> in_transaction(store::Database& db,
                            const std::function<Result<void>(store::Database& tx)>& work) {
    return store::refusable_transaction<Error>(db, "org", work, from_store);
}

}  // namespace idpd::org
