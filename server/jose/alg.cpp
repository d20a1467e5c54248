#include "jose/alg.h"

namespace idpd::jose {

std::string_view alg_name(Alg alg) {
    switch (alg) {
        case Alg::rs256:
            return "RS256";
        case Alg::ps256:
            return "PS256";
        case Alg::es256:
            return "ES256";
        case Alg::eddsa:
            return "EdDSA";
    }
    return "";
}

std::optional<Alg> parse_alg(std::string_view name) {
    for (Alg alg : {Alg::rs256, Alg::ps256, Alg::es256, Alg::eddsa}) {
        if (name == alg_name(alg)) {
            return alg;
        }
    }
    return std::nullopt;
}

}  // namespace idpd::jose
