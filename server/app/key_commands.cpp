#include "app/key_commands.h"

#include <iostream>
#include <memory>

#include "app/oidc_runtime.h"

namespace idpd::app {
namespace {

struct KeyCommandState {
    CLI::App* list = nullptr;
    CLI::App* rotate = nullptr;
    std::string alg;
    bool now = false;
};

int print_keys(jose::KeyStore& keys) {
    auto infos = keys.list();
    if (!infos) {
        std::cerr << "idpd: keys: " << infos.error().detail << '\n';
        return 1;
    }
    std::cout << "alg\tstate\tkid\tcreated_at\tactivated_at\trotate_after\tremove_at\n";
    for (const auto& info : *infos) {
        std::cout << jose::alg_name(info.alg) << '\t' << jose::key_state_name(info.state) << '\t'
                  << info.kid << '\t' << info.created_at << '\t' << info.activated_at << '\t'
                  << info.rotate_after << '\t' << info.remove_at << '\n';
    }
    return 0;
}

}  // namespace

CommandRunner add_key_commands(CLI::App& cli) {
    auto state = std::make_shared<KeyCommandState>();
    auto* keys = cli.add_subcommand("keys", "List or rotate the signing keys");
    keys->require_subcommand(1);
    state->list = keys->add_subcommand("list", "List the signing keys (active, next, retired)");
    state->rotate = keys->add_subcommand(
        "rotate", "Rotate: the next key takes over once it has been published long enough");
    state->rotate->add_option("--alg", state->alg, "Only this alg (RS256, PS256, ES256, EdDSA)");
    state->rotate->add_flag("--now", state->now,
                            "Take over at once, even before verifiers may have fetched the next "
                            "key (a compromised key)");
    return [state](const Config& config) -> std::optional<int> {
        if (!state->list->parsed() && !state->rotate->parsed()) {
            return std::nullopt;
        }
        auto runtime = open_oidc_runtime(config);
        if (!runtime) {
            return 2;
        }
        if (state->rotate->parsed()) {
            std::optional<jose::Alg> alg;
            if (!state->alg.empty()) {
                alg = jose::parse_alg(state->alg);
                if (!alg) {
                    std::cerr << "idpd: keys rotate: unknown alg " << state->alg << '\n';
                    return 2;
                }
            }
            if (auto rotated = runtime->keys->rotate(alg, state->now); !rotated) {
                std::cerr << "idpd: keys rotate: " << rotated.error().detail << '\n';
                return 1;
            }
        }
        return print_keys(*runtime->keys);
    };
}

}  // namespace idpd::app
