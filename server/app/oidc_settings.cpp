#include "app/oidc_settings.h"

namespace idpd::app {

oidc::Options oidc_options(const Config& config) {
    oidc::Options options;
    options.issuer = config.server.issuer;
    options.access_token_ttl = config.oidc.access_token_ttl;
    options.access_token_audience = config.oidc.access_token_audience;
    options.id_token_ttl = config.oidc.id_token_ttl;
    options.authorization_code_ttl = config.oidc.authorization_code_ttl;
    options.metadata_max_age = config.oidc.metadata_max_age;
    options.client_cache_ttl = config.oidc.client_cache_ttl;
    options.par_ttl = config.oidc.par_ttl;
    options.registration_enabled = config.registration.enabled;
    options.offer_mfa_enrollment = config.totp.mfa_unavailable == "enroll";
    options.registration_initial_access_token = config.registration.initial_access_token;
    options.refresh_token_idle_ttl = config.oidc.refresh_token_idle_ttl;
    options.refresh_token_absolute_ttl = config.oidc.refresh_token_absolute_ttl;
    options.refresh_token_reuse_grace = config.oidc.refresh_token_reuse_grace;
    options.dpop_proof_max_age = config.oidc.dpop_proof_max_age;
    return options;
}

jose::KeyStoreOptions key_store_options(const Config& config) {
    jose::KeyStoreOptions options;
    options.algs.clear();
    for (const auto& name : config.keys.algs) {
        // load_config accepted only names parse_alg knows.
        if (auto alg = jose::parse_alg(name)) {
            options.algs.push_back(*alg);
        }
    }
    options.rotation_period = config.keys.rotation_period;
    options.publish_ahead = config.keys.publish_ahead;
    options.max_token_lifetime = config.keys.max_token_lifetime;
    options.reload_interval = config.keys.reload_interval;
    options.rsa_bits = static_cast<int>(config.keys.rsa_bits);
    return options;
}

jose::MasterKeyOptions master_key_options(const Config& config) {
    jose::MasterKeyOptions options;
    options.master_key = config.keys.master_key;
    if (options.master_key.empty()) {
        options.generated_key_file = config.server.var_dir / "master.key";
    }
    return options;
}

}  // namespace idpd::app
