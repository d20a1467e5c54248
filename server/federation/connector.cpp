#include "federation/connector.h"

namespace idpd::federation {

Error callback_error(std::string_view provider, const CallbackQuery& query) {
    const auto kind = query.error == "access_denied" ? Error::Kind::denied : Error::Kind::rejected;
    return Error{kind, std::string(provider) + " callback error " + query.error + ": " +
                           query.error_description.substr(0, 200)};
}

}  // namespace idpd::federation
