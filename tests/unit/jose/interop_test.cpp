// Cross-checks against an independent implementation, the npm `jose` package, through
// tests/e2e/jose_interop.mjs: what we sign must verify there, what it signs must verify here,
// and our RFC 7638 thumbprints must be its thumbprints. Needs node and `npm ci --prefix tests/e2e`;
// without them these tests fail (they are never skipped).

#include <array>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include "jose/jwks.h"
#include "jose/jwt.h"
#include "unit/jose/test_keys.h"

namespace idpd::jose {
namespace {

using nlohmann::json;

const std::filesystem::path e2e_dir = std::filesystem::path(IDPD_SOURCE_DIR) / "tests" / "e2e";
const std::filesystem::path script = e2e_dir / "jose_interop.mjs";

constexpr std::int64_t t0 = 1'700'000'000;
const auto now = std::chrono::system_clock::time_point(std::chrono::seconds(t0));
const std::string issuer = "https://id.example.com";
const std::string audience = "https://api.example.com";

std::string shell_quote(const std::string& text) {
    std::string quoted = "'";
    for (char c : text) {
        quoted += c == '\'' ? std::string("'\\''") : std::string(1, c);
    }
    return quoted + "'";
}

// A file that is removed when the test ends.
class TempFile {
public:
    explicit TempFile(const std::string& content) {
        std::string pattern =
            (std::filesystem::temp_directory_path() / "idpd-jose-XXXXXX").string();
        const int fd = mkstemp(pattern.data());
        EXPECT_GE(fd, 0);
        close(fd);
        path_ = pattern;
        std::ofstream(path_) << content;
    }

    TempFile(const TempFile&) = delete;
    TempFile& operator=(const TempFile&) = delete;

    ~TempFile() { std::filesystem::remove(path_); }

    std::string path() const { return path_.string(); }

private:
    std::filesystem::path path_;
};

struct NodeResult {
    int status = -1;
    std::string out;  // stdout
    std::string err;  // stderr, for failure messages
};

NodeResult run_node(const std::vector<std::string>& args) {
    TempFile err("");
    std::string command = "node " + shell_quote(script.string());
    for (const auto& arg : args) {
        command += " " + shell_quote(arg);
    }
    command += " 2>" + shell_quote(err.path());
    NodeResult result;
    FILE* pipe = popen(command.c_str(), "r");
    if (pipe == nullptr) {
        result.err = "popen failed";
        return result;
    }
    std::array<char, 4096> buffer{};
    std::size_t n = 0;
    while ((n = fread(buffer.data(), 1, buffer.size(), pipe)) > 0) {
        result.out.append(buffer.data(), n);
    }
    const int status = pclose(pipe);
    result.status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    std::ifstream in(err.path());
    result.err.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    return result;
}

class NodeJose : public ::testing::TestWithParam<Alg> {
protected:
    void SetUp() override {
        if (!std::filesystem::exists(e2e_dir / "node_modules" / "jose" / "package.json")) {
            FAIL() << "the npm package jose is not installed: run `npm ci --prefix tests/e2e` "
                      "from the repository root (make test does)";
        }
        if (std::system("node --version >/dev/null 2>&1") != 0) {
            FAIL() << "node is not on PATH: install nodejs (Debian package) to run interop tests";
        }
    }

    const Key& key() const { return test_keys::key_for(GetParam()); }
};

INSTANTIATE_TEST_SUITE_P(Jose, NodeJose, ::testing::ValuesIn(test_keys::all_algs),
                         test_keys::alg_test_name);

json access_token_claims() {
    return {{"iss", issuer}, {"sub", "42"},     {"aud", audience},
            {"iat", t0},     {"exp", t0 + 300}, {"client_id", "demo"}};
}

TEST_P(NodeJose, WhatWeSignVerifiesInJose) {
    auto token = sign_jwt(key(), TokenType::at_jwt, access_token_claims());
    ASSERT_TRUE(token.has_value()) << token.error().detail;
    TempFile jwks(KeySet({key()}).to_jwks().dump());
    auto node = run_node(
        {"verify", jwks.path(), *token, "at+jwt", issuer, audience, std::to_string(t0 + 1)});
    ASSERT_EQ(node.status, 0) << node.err;
    const json result = json::parse(node.out);
    EXPECT_EQ(result["header"]["alg"], alg_name(GetParam()));
    EXPECT_EQ(result["header"]["kid"], key().kid());
    EXPECT_EQ(result["payload"], access_token_claims());
}

TEST_P(NodeJose, WhatJoseSignsVerifiesHere) {
    auto node = run_node({"sign", std::string(alg_name(GetParam())), "at+jwt", issuer, audience,
                          std::to_string(t0)});
    ASSERT_EQ(node.status, 0) << node.err;
    const json result = json::parse(node.out);
    auto keys = KeySet::from_jwks(result["jwks"]);
    ASSERT_TRUE(keys.has_value()) << keys.error().detail;
    ASSERT_EQ(keys->size(), 1u);
    // jose computed the kid as its RFC 7638 thumbprint; ours must agree.
    EXPECT_EQ(keys->keys()[0].kid(), keys->keys()[0].thumbprint());
    JwtRules rules;
    rules.type = TokenType::at_jwt;
    rules.issuer = issuer;
    rules.audience = audience;
    rules.leeway = std::chrono::seconds(0);
    auto verified = verify_jwt(result["token"].get<std::string>(), *keys, rules, now);
    ASSERT_TRUE(verified.has_value()) << verified.error().detail;
    EXPECT_EQ(verified->claims["sub"], "interop");
    EXPECT_EQ(verified->header["alg"], alg_name(GetParam()));
}

TEST_P(NodeJose, ThumbprintsAgree) {
    TempFile jwk(key().public_jwk().dump());
    auto node = run_node({"thumbprint", jwk.path()});
    ASSERT_EQ(node.status, 0) << node.err;
    EXPECT_EQ(json::parse(node.out)["thumbprint"], key().thumbprint());
}

TEST_P(NodeJose, RefusesOurTokenOnceTampered) {
    // Proves the verify subcommand can say no, so the positive result above means something.
    auto token = sign_jwt(key(), TokenType::at_jwt, access_token_claims()).value();
    token[token.find('.') + 5] = token[token.find('.') + 5] == 'A' ? 'B' : 'A';
    TempFile jwks(KeySet({key()}).to_jwks().dump());
    auto node = run_node(
        {"verify", jwks.path(), token, "at+jwt", issuer, audience, std::to_string(t0 + 1)});
    EXPECT_EQ(node.status, 1) << node.out;
}

}  // namespace
}  // namespace idpd::jose
