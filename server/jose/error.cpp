#include "jose/error.h"

namespace idpd::jose {

std::string_view code_name(ErrorCode code) {
    switch (code) {
        case ErrorCode::malformed:
            return "malformed";
        case ErrorCode::unsupported:
            return "unsupported";
        case ErrorCode::rejected_header:
            return "rejected_header";
        case ErrorCode::bad_signature:
            return "bad_signature";
        case ErrorCode::unknown_key:
            return "unknown_key";
        case ErrorCode::invalid_key:
            return "invalid_key";
        case ErrorCode::invalid_claims:
            return "invalid_claims";
        case ErrorCode::expired:
            return "expired";
        case ErrorCode::not_yet_valid:
            return "not_yet_valid";
        case ErrorCode::decryption_failed:
            return "decryption_failed";
        case ErrorCode::internal:
            return "internal";
    }
    return "unknown";
}

}  // namespace idpd::jose
