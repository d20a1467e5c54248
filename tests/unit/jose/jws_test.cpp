#include "jose/jws.h"

#include <array>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>
#include <openssl/evp.h>

#include "jose/base64url.h"
#include "unit/jose/test_keys.h"

namespace idpd::jose {
namespace {

using nlohmann::json;

// A compact JWS from raw parts, for the tokens our signer would never produce.
std::string compact(const std::string& header_json, const std::string& payload,
                    const std::string& signature) {
    return base64url_encode(header_json) + "." + base64url_encode(payload) + "." +
           base64url_encode(signature);
}

std::string signature_of(const std::string& token) {
    return base64url_decode(token.substr(token.rfind('.') + 1)).value();
}

std::string with_signature(const std::string& token, const std::string& signature) {
    return token.substr(0, token.rfind('.') + 1) + base64url_encode(signature);
}

ErrorCode refusal(const Result<VerifiedJws>& result) {
    EXPECT_FALSE(result.has_value());
    return result ? ErrorCode::internal : result.error().code;
}

const Key& rsa() {
    return test_keys::key_for(Alg::rs256);
}

class JwsPerAlg : public ::testing::TestWithParam<Alg> {
protected:
    const Key& key() const { return test_keys::key_for(GetParam()); }
};

INSTANTIATE_TEST_SUITE_P(Jws, JwsPerAlg, ::testing::ValuesIn(test_keys::all_algs),
                         test_keys::alg_test_name);

TEST_P(JwsPerAlg, SignedPayloadVerifiesWithTheHeaderItWasGiven) {
    auto token = sign(key(), "{\"sub\":\"alice\"}", {{"typ", "JWT"}});
    ASSERT_TRUE(token.has_value()) << token.error().detail;
    auto verified = verify(*token, key());
    ASSERT_TRUE(verified.has_value()) << verified.error().detail;
    EXPECT_EQ(verified->payload, "{\"sub\":\"alice\"}");
    EXPECT_EQ(verified->header["alg"], alg_name(GetParam()));
    EXPECT_EQ(verified->header["kid"], key().kid());
    EXPECT_EQ(verified->header["typ"], "JWT");
}

TEST_P(JwsPerAlg, PublicKeyAloneVerifies) {
    auto pub = Key::from_public_jwk(key().public_jwk()).value();
    EXPECT_TRUE(verify(sign(key(), "x").value(), pub).has_value());
}

TEST_P(JwsPerAlg, EmptyAndBinaryPayloadsRoundTrip) {
    EXPECT_EQ(verify(sign(key(), "").value(), key()).value().payload, "");
    const std::string binary("\x00\xff\x01.", 4);
    EXPECT_EQ(verify(sign(key(), binary).value(), key()).value().payload, binary);
}

TEST_P(JwsPerAlg, SignatureHasTheAlgorithmsExactLength) {
    const std::size_t expected = GetParam() == Alg::rs256 || GetParam() == Alg::ps256 ? 256 : 64;
    EXPECT_EQ(signature_of(sign(key(), "x").value()).size(), expected);
}

TEST_P(JwsPerAlg, RefusesTamperedPayload) {
    auto token = sign(key(), "{\"admin\":false}").value();
    const std::size_t first = token.find('.');
    const std::size_t second = token.find('.', first + 1);
    token.replace(first + 1, second - first - 1, base64url_encode("{\"admin\":true}"));
    EXPECT_EQ(refusal(verify(token, key())), ErrorCode::bad_signature);
}

TEST_P(JwsPerAlg, RefusesTruncatedSignature) {
    auto token = sign(key(), "x").value();
    std::string signature = signature_of(token);
    signature.pop_back();
    EXPECT_EQ(refusal(verify(with_signature(token, signature), key())), ErrorCode::bad_signature);
}

TEST_P(JwsPerAlg, RefusesOverlongSignature) {
    auto token = sign(key(), "x").value();
    EXPECT_EQ(refusal(verify(with_signature(token, signature_of(token) + '\0'), key())),
              ErrorCode::bad_signature);
}

TEST_P(JwsPerAlg, RefusesEmptySignature) {
    auto token = sign(key(), "x").value();
    EXPECT_EQ(refusal(verify(token.substr(0, token.rfind('.') + 1), key())),
              ErrorCode::bad_signature);
}

TEST_P(JwsPerAlg, RefusesFlippedSignatureBit) {
    auto token = sign(key(), "x").value();
    std::string signature = signature_of(token);
    signature[signature.size() / 2] = static_cast<char>(signature[signature.size() / 2] ^ 0x01);
    EXPECT_EQ(refusal(verify(with_signature(token, signature), key())), ErrorCode::bad_signature);
}

TEST_P(JwsPerAlg, RefusesSignatureByAnotherKeyOfTheSameAlg) {
    auto other = Key::generate(GetParam()).value();
    EXPECT_EQ(refusal(verify(sign(other, "x").value(), key())), ErrorCode::bad_signature);
}

TEST(Jws, RefusesAlgNone) {
    const std::string token = compact(R"({"alg":"none"})", "{\"sub\":\"admin\"}", "");
    EXPECT_EQ(refusal(verify(token, rsa())), ErrorCode::rejected_header);
    EXPECT_EQ(refusal(verify(compact(R"({"alg":"None"})", "x", ""), rsa())),
              ErrorCode::rejected_header);
}

TEST(Jws, RefusesHs256SignedWithOurPublicKey) {
    // The classic confusion: a verifier that lets the header pick HMAC would key it with the
    // RSA public key, which anyone can fetch from our JWKS.
    const std::string secret = rsa().public_jwk().dump();
    const std::string input = base64url_encode(R"({"alg":"HS256","kid":")" + rsa().kid() + "\"}") +
                              "." + base64url_encode("{\"sub\":\"admin\"}");
    std::array<unsigned char, EVP_MAX_MD_SIZE> mac{};
    std::size_t length = 0;
    ASSERT_NE(EVP_Q_mac(nullptr, "HMAC", nullptr, "SHA256", nullptr, secret.data(), secret.size(),
                        reinterpret_cast<const unsigned char*>(input.data()), input.size(),
                        mac.data(), mac.size(), &length),
              nullptr);
    const std::string token =
        input + "." +
        base64url_encode(std::string(reinterpret_cast<const char*>(mac.data()), length));
    EXPECT_EQ(refusal(verify(token, rsa())), ErrorCode::rejected_header);
}

TEST(Jws, RefusesPs256TokenForAnRs256Key) {
    // Same RSA key pair, other padding: the key's alg decides, not the header.
    const Key ps = Key::from_pkcs8(rsa().to_pkcs8().value(), Alg::ps256).value();
    EXPECT_EQ(refusal(verify(sign(ps, "x").value(), rsa())), ErrorCode::rejected_header);
    EXPECT_EQ(refusal(verify(sign(rsa(), "x").value(), ps)), ErrorCode::rejected_header);
}

TEST(Jws, RefusesEs256TokenForAnEdDsaKey) {
    EXPECT_EQ(refusal(verify(sign(test_keys::key_for(Alg::es256), "x").value(),
                             test_keys::key_for(Alg::eddsa))),
              ErrorCode::rejected_header);
}

TEST(Jws, RefusesHeaderWithoutAlg) {
    EXPECT_EQ(refusal(verify(compact(R"({"kid":"x"})", "x", "sig"), rsa())), ErrorCode::malformed);
    EXPECT_EQ(refusal(verify(compact(R"({"alg":256})", "x", "sig"), rsa())), ErrorCode::malformed);
}

TEST(Jws, RefusesUnknownCrit) {
    auto token = sign(rsa(), "x", {{"crit", {"exp"}}, {"exp", 1}}).value();
    EXPECT_EQ(refusal(verify(token, rsa())), ErrorCode::unsupported);
}

TEST(Jws, AcceptsCritTheCallerUnderstands) {
    auto token = sign(rsa(), "x", {{"crit", {"exp"}}, {"exp", 1}}).value();
    VerifyOptions options;
    options.understood_crit = {"exp"};
    EXPECT_TRUE(verify(token, rsa(), options).has_value());
}

TEST(Jws, RefusesMalformedCrit) {
    VerifyOptions options;
    options.understood_crit = {"exp", "alg"};
    // RFC 7515 §4.1.11: not empty, no registered names, each one present in the header.
    EXPECT_EQ(refusal(verify(sign(rsa(), "x", {{"crit", json::array()}}).value(), rsa(), options)),
              ErrorCode::malformed);
    EXPECT_EQ(refusal(verify(sign(rsa(), "x", {{"crit", {"alg"}}}).value(), rsa(), options)),
              ErrorCode::malformed);
    EXPECT_EQ(refusal(verify(sign(rsa(), "x", {{"crit", {"exp"}}}).value(), rsa(), options)),
              ErrorCode::malformed);
    EXPECT_EQ(
        refusal(verify(sign(rsa(), "x", {{"crit", "exp"}, {"exp", 1}}).value(), rsa(), options)),
        ErrorCode::malformed);
}

TEST(Jws, RefusesUnencodedPayloadOption) {
    auto token = sign(rsa(), "x", {{"b64", false}, {"crit", {"b64"}}}).value();
    EXPECT_EQ(refusal(verify(token, rsa())), ErrorCode::unsupported);
}

TEST(Jws, RefusesEmbeddedJwkHeader) {
    auto token = sign(rsa(), "x", {{"jwk", rsa().public_jwk()}}).value();
    EXPECT_EQ(refusal(verify(token, rsa())), ErrorCode::rejected_header);
}

TEST(Jws, RefusesJkuHeader) {
    auto token = sign(rsa(), "x", {{"jku", "https://attacker.example/jwks"}}).value();
    EXPECT_EQ(refusal(verify(token, rsa())), ErrorCode::rejected_header);
}

TEST(Jws, RefusesX5uHeader) {
    auto token = sign(rsa(), "x", {{"x5u", "https://attacker.example/cert.pem"}}).value();
    EXPECT_EQ(refusal(verify(token, rsa())), ErrorCode::rejected_header);
}

TEST(Jws, RefusesX5cHeader) {
    auto token = sign(rsa(), "x", {{"x5c", {"MIIB"}}}).value();
    EXPECT_EQ(refusal(verify(token, rsa())), ErrorCode::rejected_header);
}

TEST(Jws, AcceptsEmbeddedJwkOnlyWhenItIsTheVerifyingKey) {
    // RFC 9449 DPoP: the proof carries its key; the caller imports it and verifies with it.
    const Key& ec = test_keys::key_for(Alg::es256);
    VerifyOptions dpop;
    dpop.expect_embedded_jwk = true;
    auto token = sign(ec, "x", {{"jwk", ec.public_jwk()}}).value();
    auto key = embedded_jwk(peek_header(token).value());
    ASSERT_TRUE(key.has_value());
    EXPECT_TRUE(verify(token, *key, dpop).has_value());
    // Verified with another key, the same proof is refused even though that key signed nothing.
    auto other = Key::generate(Alg::es256).value();
    EXPECT_EQ(refusal(verify(token, other, dpop)), ErrorCode::rejected_header);
    // And a proof without jwk is refused when one is expected.
    EXPECT_EQ(refusal(verify(sign(ec, "x").value(), ec, dpop)), ErrorCode::malformed);
}

TEST(Jws, RefusesEmbeddedJwkWithPrivateMembers) {
    // RFC 9449 §4.3 check 7.
    const Key& ed = test_keys::key_for(Alg::eddsa);
    json jwk = ed.public_jwk();
    jwk["d"] = "nWGxne_9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A";
    VerifyOptions dpop;
    dpop.expect_embedded_jwk = true;
    auto token = sign(ed, "x", {{"jwk", jwk}}).value();
    EXPECT_EQ(embedded_jwk(peek_header(token).value()).error().code, ErrorCode::invalid_key);
    EXPECT_EQ(refusal(verify(token, ed, dpop)), ErrorCode::invalid_key);
}

TEST(Jws, RefusesBadBase64urlInTheHeader) {
    auto token = sign(rsa(), "x").value();
    EXPECT_EQ(refusal(verify("=" + token, rsa())), ErrorCode::malformed);
}

TEST(Jws, RefusesBadBase64urlInThePayload) {
    auto token = sign(rsa(), "xy").value();
    const std::size_t dot = token.find('.');
    EXPECT_EQ(refusal(verify(token.substr(0, dot + 1) + "+" + token.substr(dot + 1), rsa())),
              ErrorCode::malformed);
}

TEST(Jws, RefusesBadBase64urlInTheSignature) {
    auto token = sign(rsa(), "x").value();
    EXPECT_EQ(refusal(verify(token + "=", rsa())), ErrorCode::malformed);
    EXPECT_EQ(refusal(verify(token + " ", rsa())), ErrorCode::malformed);
}

TEST(Jws, RefusesPaddedSegments) {
    // "x" encodes as "eA"; padded it would be "eA==".
    auto token = sign(rsa(), "x").value();
    const std::size_t first = token.find('.');
    const std::size_t second = token.find('.', first + 1);
    EXPECT_EQ(refusal(verify(token.substr(0, second) + "==" + token.substr(second), rsa())),
              ErrorCode::malformed);
}

TEST(Jws, RefusesTwoSegments) {
    auto token = sign(rsa(), "x").value();
    EXPECT_EQ(refusal(verify(token.substr(0, token.rfind('.')), rsa())), ErrorCode::malformed);
}

TEST(Jws, RefusesFourSegments) {
    EXPECT_EQ(refusal(verify(sign(rsa(), "x").value() + ".AA", rsa())), ErrorCode::malformed);
}

TEST(Jws, RefusesAJweCompactSerialization) {
    EXPECT_EQ(refusal(verify("eyJhbGciOiJSU0EtT0FFUCJ9.a.b.c.d", rsa())), ErrorCode::malformed);
}

TEST(Jws, RefusesEmptyInput) {
    EXPECT_EQ(refusal(verify("", rsa())), ErrorCode::malformed);
}

TEST(Jws, RefusesOversizedInput) {
    auto token = sign(rsa(), std::string(max_compact_size, 'a')).value();
    EXPECT_GT(token.size(), max_compact_size);
    EXPECT_EQ(refusal(verify(token, rsa())), ErrorCode::malformed);
    VerifyOptions roomy;
    roomy.max_size = 2 * max_compact_size;
    EXPECT_TRUE(verify(token, rsa(), roomy).has_value());
}

TEST(Jws, RefusesHeaderThatIsNotAJsonObject) {
    EXPECT_EQ(refusal(verify(compact(R"(["RS256"])", "x", "s"), rsa())), ErrorCode::malformed);
    EXPECT_EQ(refusal(verify(compact(R"({"alg":"RS256")", "x", "s"), rsa())), ErrorCode::malformed);
    EXPECT_EQ(refusal(verify(compact(R"({"alg":"RS256"} x)", "x", "s"), rsa())),
              ErrorCode::malformed);
}

TEST(Jws, RefusesDuplicateHeaderMembers) {
    // Two parsers that keep different duplicates would disagree on the alg.
    const std::string header = R"({"alg":"none","alg":"RS256"})";
    EXPECT_EQ(refusal(verify(compact(header, "x", std::string(256, 'a')), rsa())),
              ErrorCode::malformed);
}

TEST(Jws, RefusesDeeplyNestedHeader) {
    const std::string header =
        R"({"alg":"RS256","x":)" + std::string(100, '[') + std::string(100, ']') + "}";
    EXPECT_EQ(refusal(verify(compact(header, "x", std::string(256, 'a')), rsa())),
              ErrorCode::malformed);
}

TEST(Jws, RefusesDerEncodedEcdsaSignature) {
    // RFC 7518 §3.4: R || S, never the ASN.1 form OpenSSL itself produces.
    const Key& ec = test_keys::key_for(Alg::es256);
    auto token = sign(ec, "x").value();
    const std::string raw = signature_of(token);
    const std::string der = std::string("\x30\x46\x02\x21\x00", 5) + raw.substr(0, 32) +
                            std::string("\x02\x21\x00", 3) + raw.substr(32);
    EXPECT_EQ(refusal(verify(with_signature(token, der), ec)), ErrorCode::bad_signature);
}

TEST(Jws, SignRefusesAPublicKey) {
    auto pub = Key::from_public_jwk(rsa().public_jwk()).value();
    auto token = sign(pub, "x");
    ASSERT_FALSE(token.has_value());
    EXPECT_EQ(token.error().code, ErrorCode::invalid_key);
}

TEST(Jws, SignRefusesAHeaderNamingAnotherAlg) {
    EXPECT_EQ(sign(rsa(), "x", {{"alg", "none"}}).error().code, ErrorCode::rejected_header);
    EXPECT_TRUE(sign(rsa(), "x", {{"alg", "RS256"}}).has_value());
}

TEST(Jws, SignRefusesAHeaderThatIsNotUtf8) {
    auto token = sign(rsa(), "x", {{"typ", std::string("\xff\xfe")}});
    ASSERT_FALSE(token.has_value());
    EXPECT_EQ(token.error().code, ErrorCode::malformed);
}

TEST(Jws, OneKeySignsAndVerifiesFromManyThreads) {
    // The key store hands one Key to every worker thread.
    for (Alg alg : test_keys::all_algs) {
        const Key& key = test_keys::key_for(alg);
        std::vector<std::thread> workers;
        std::vector<int> failures(4, 0);
        for (std::size_t w = 0; w < failures.size(); ++w) {
            workers.emplace_back([&key, &failures, w] {
                for (int i = 0; i < 50; ++i) {
                    auto token = sign(key, std::to_string(i));
                    if (!token || !verify(*token, key)) {
                        ++failures[w];
                    }
                }
            });
        }
        for (auto& worker : workers) {
            worker.join();
        }
        for (int failed : failures) {
            EXPECT_EQ(failed, 0) << alg_name(alg);
        }
    }
}

TEST_P(JwsPerAlg, MutatedTokensAreRefusedAndNeverCrash) {
    // A seeded mutation walk over a valid token: flipped, dropped and inserted characters in any
    // segment. Each mutant must be refused with a typed error (under ASan, without a fault).
    const std::string token = sign(key(), R"({"sub":"alice","scope":"openid"})").value();
    std::mt19937 random(20240601);
    const std::string alphabet = "AZaz09-_.=+/ {}";
    for (int i = 0; i < 1000; ++i) {
        std::string mutant = token;
        const std::size_t at = random() % mutant.size();
        switch (random() % 3) {
            case 0:
                mutant[at] = alphabet[random() % alphabet.size()];
                break;
            case 1:
                mutant.erase(at, 1 + random() % 4);
                break;
            default:
                mutant.insert(at, 1, alphabet[random() % alphabet.size()]);
                break;
        }
        if (mutant == token) {
            continue;
        }
        // Strict base64url leaves no second spelling of a token, so every mutant fails.
        EXPECT_FALSE(verify(mutant, key()).has_value()) << mutant;
    }
}

TEST(Jws, PeekHeaderReadsTheKidWithoutVerifying) {
    auto header = peek_header(sign(rsa(), "x").value());
    ASSERT_TRUE(header.has_value());
    EXPECT_EQ((*header)["kid"], rsa().kid());
    EXPECT_FALSE(peek_header("a.b").has_value());
}

}  // namespace
}  // namespace idpd::jose
