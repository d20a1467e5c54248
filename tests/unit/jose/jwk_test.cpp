#include "jose/jwk.h"

#include <string>

#include <gtest/gtest.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/x509.h>

#include "jose/base64url.h"
#include "jose/jwks.h"
#include "jose/jws.h"
#include "unit/jose/test_keys.h"

namespace idpd::jose {
namespace {

using nlohmann::json;

class KeyPerAlg : public ::testing::TestWithParam<Alg> {};

INSTANTIATE_TEST_SUITE_P(Jwk, KeyPerAlg, ::testing::ValuesIn(test_keys::all_algs),
                         test_keys::alg_test_name);

TEST_P(KeyPerAlg, GeneratedKeyTakesItsThumbprintAsKid) {
    const Key& key = test_keys::key_for(GetParam());
    EXPECT_EQ(key.alg(), GetParam());
    EXPECT_TRUE(key.has_private_key());
    EXPECT_EQ(key.kid(), key.thumbprint());
    EXPECT_EQ(key.thumbprint().size(), 43u);  // SHA-256 in unpadded base64url
}

TEST_P(KeyPerAlg, PublicJwkHasTheRegisteredMembersAndNoPrivateOnes) {
    const json jwk = test_keys::key_for(GetParam()).public_jwk();
    EXPECT_EQ(jwk["alg"], alg_name(GetParam()));
    EXPECT_EQ(jwk["use"], "sig");
    EXPECT_EQ(jwk["kid"], test_keys::key_for(GetParam()).kid());
    EXPECT_FALSE(has_private_members(jwk));
    switch (GetParam()) {
        case Alg::rs256:
        case Alg::ps256:
            EXPECT_EQ(jwk["kty"], "RSA");
            EXPECT_EQ(jwk["e"], "AQAB");
            EXPECT_EQ(base64url_decode(jwk["n"].get<std::string>()).value().size(), 256u);
            break;
        case Alg::es256:
            EXPECT_EQ(jwk["kty"], "EC");
            EXPECT_EQ(jwk["crv"], "P-256");
            EXPECT_EQ(base64url_decode(jwk["x"].get<std::string>()).value().size(), 32u);
            EXPECT_EQ(base64url_decode(jwk["y"].get<std::string>()).value().size(), 32u);
            break;
        case Alg::eddsa:
            EXPECT_EQ(jwk["kty"], "OKP");
            EXPECT_EQ(jwk["crv"], "Ed25519");
            EXPECT_EQ(base64url_decode(jwk["x"].get<std::string>()).value().size(), 32u);
            break;
    }
}

TEST_P(KeyPerAlg, PublicJwkImportsToTheSameKey) {
    const Key& key = test_keys::key_for(GetParam());
    auto imported = Key::from_public_jwk(key.public_jwk());
    ASSERT_TRUE(imported.has_value()) << imported.error().detail;
    EXPECT_FALSE(imported->has_private_key());
    EXPECT_EQ(imported->alg(), GetParam());
    EXPECT_EQ(imported->kid(), key.kid());
    EXPECT_EQ(imported->thumbprint(), key.thumbprint());
    EXPECT_TRUE(verify(sign(key, "hello").value(), *imported).has_value());
}

TEST_P(KeyPerAlg, Pkcs8RoundTripKeepsTheKeyPair) {
    const Key& key = test_keys::key_for(GetParam());
    auto der = key.to_pkcs8();
    ASSERT_TRUE(der.has_value());
    EXPECT_EQ(static_cast<unsigned char>((*der)[0]), 0x30);  // a DER SEQUENCE
    auto restored = Key::from_pkcs8(*der, GetParam());
    ASSERT_TRUE(restored.has_value()) << restored.error().detail;
    EXPECT_TRUE(restored->has_private_key());
    EXPECT_EQ(restored->thumbprint(), key.thumbprint());
    EXPECT_TRUE(restored->kid().empty());
    EXPECT_EQ(Key::from_pkcs8(*der, GetParam(), "k1").value().kid(), "k1");
    EXPECT_TRUE(verify(sign(*restored, "hello").value(), key).has_value());
}

TEST_P(KeyPerAlg, PublicKeyDropsThePrivateHalf) {
    auto pub = test_keys::key_for(GetParam()).public_key();
    ASSERT_TRUE(pub.has_value());
    EXPECT_FALSE(pub->has_private_key());
    EXPECT_FALSE(pub->to_pkcs8().has_value());
    EXPECT_FALSE(sign(*pub, "x").has_value());
    // The same public key: same kid and thumbprint, and it verifies what the private half signs.
    const Key& full = test_keys::key_for(GetParam());
    EXPECT_EQ(pub->kid(), full.kid());
    EXPECT_EQ(pub->public_jwk(), full.public_jwk());
    EXPECT_TRUE(verify(sign(full, "hello").value(), *pub).has_value());
}

TEST(Jwk, GeneratesLargerRsaKeysOnRequest) {
    auto key = Key::generate(Alg::rs256, "big", 3072);
    ASSERT_TRUE(key.has_value());
    EXPECT_EQ(key->kid(), "big");
    EXPECT_EQ(base64url_decode(key->public_jwk()["n"].get<std::string>()).value().size(), 384u);
}

TEST(Jwk, RefusesToGenerateRsaBelow2048Bits) {
    auto key = Key::generate(Alg::rs256, "", 1024);
    ASSERT_FALSE(key.has_value());
    EXPECT_EQ(key.error().code, ErrorCode::invalid_key);
}

TEST(Jwk, CopiesShareOneKey) {
    const Key& original = test_keys::key_for(Alg::es256);
    Key copy = original;
    EXPECT_EQ(copy.evp_pkey(), original.evp_pkey());
    Key assigned = test_keys::key_for(Alg::eddsa);
    assigned = copy;
    EXPECT_TRUE(verify(sign(assigned, "x").value(), original).has_value());
}

TEST(Jwk, ImportRefusesPrivateMembers) {
    json jwk = test_keys::key_for(Alg::eddsa).public_jwk();
    jwk["d"] = "nWGxne_9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A";
    auto key = Key::from_public_jwk(jwk);
    ASSERT_FALSE(key.has_value());
    EXPECT_EQ(key.error().code, ErrorCode::invalid_key);
    for (const char* member : {"p", "q", "dp", "dq", "qi", "oth", "k"}) {
        json rsa = test_keys::key_for(Alg::rs256).public_jwk();
        rsa[member] = "AQAB";
        EXPECT_FALSE(Key::from_public_jwk(rsa).has_value()) << member;
    }
}

TEST(Jwk, ImportRefusesAnAlgThatDoesNotFitTheKty) {
    json rsa = test_keys::key_for(Alg::rs256).public_jwk();
    rsa["alg"] = "ES256";
    EXPECT_EQ(Key::from_public_jwk(rsa).error().code, ErrorCode::invalid_key);
    json ec = test_keys::key_for(Alg::es256).public_jwk();
    ec["alg"] = "EdDSA";
    EXPECT_EQ(Key::from_public_jwk(ec).error().code, ErrorCode::invalid_key);
    json okp = test_keys::key_for(Alg::eddsa).public_jwk();
    okp.erase("alg");
    EXPECT_EQ(Key::from_public_jwk(okp, Alg::rs256).error().code, ErrorCode::invalid_key);
}

TEST(Jwk, ImportRefusesAnAlgOtherThanTheExpectedOne) {
    json rsa = test_keys::key_for(Alg::rs256).public_jwk();
    EXPECT_EQ(Key::from_public_jwk(rsa, Alg::ps256).error().code, ErrorCode::invalid_key);
}

TEST(Jwk, ImportRefusesHs256AndNone) {
    json rsa = test_keys::key_for(Alg::rs256).public_jwk();
    rsa["alg"] = "HS256";
    EXPECT_EQ(Key::from_public_jwk(rsa).error().code, ErrorCode::unsupported);
    rsa["alg"] = "none";
    EXPECT_EQ(Key::from_public_jwk(rsa).error().code, ErrorCode::unsupported);
}

TEST(Jwk, ImportTakesTheCallersAlgOrTheCurvesWhenTheJwkNamesNone) {
    json rsa = test_keys::key_for(Alg::ps256).public_jwk();
    rsa.erase("alg");
    EXPECT_EQ(Key::from_public_jwk(rsa).error().code, ErrorCode::invalid_key);
    EXPECT_EQ(Key::from_public_jwk(rsa, Alg::ps256).value().alg(), Alg::ps256);
    json ec = test_keys::key_for(Alg::es256).public_jwk();
    ec.erase("alg");
    EXPECT_EQ(Key::from_public_jwk(ec).value().alg(), Alg::es256);
}

TEST(Jwk, ImportRefusesEncryptionKeys) {
    json jwk = test_keys::key_for(Alg::rs256).public_jwk();
    jwk["use"] = "enc";
    EXPECT_EQ(Key::from_public_jwk(jwk).error().code, ErrorCode::invalid_key);
    jwk.erase("use");
    jwk["key_ops"] = json::array({"encrypt"});
    EXPECT_EQ(Key::from_public_jwk(jwk).error().code, ErrorCode::invalid_key);
    jwk["key_ops"] = json::array({"verify"});
    EXPECT_TRUE(Key::from_public_jwk(jwk).has_value());
}

TEST(Jwk, ImportRefusesUnsupportedKtyAndCurves) {
    // k is a secret: refused as a private member before kty is looked at.
    EXPECT_EQ(Key::from_public_jwk({{"kty", "oct"}, {"k", "c2VjcmV0"}}).error().code,
              ErrorCode::invalid_key);
    EXPECT_EQ(Key::from_public_jwk({{"kty", "oct"}, {"alg", "HS256"}}).error().code,
              ErrorCode::unsupported);
    json p384 = test_keys::key_for(Alg::es256).public_jwk();
    p384["crv"] = "P-384";
    p384.erase("alg");
    EXPECT_EQ(Key::from_public_jwk(p384).error().code, ErrorCode::unsupported);
    json x25519 = test_keys::key_for(Alg::eddsa).public_jwk();
    x25519["crv"] = "X25519";
    x25519.erase("alg");
    EXPECT_EQ(Key::from_public_jwk(x25519).error().code, ErrorCode::unsupported);
}

TEST(Jwk, ImportRefusesRsaBelow2048Bits) {
    EVP_PKEY* small = EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", static_cast<std::size_t>(1024));
    ASSERT_NE(small, nullptr);
    BIGNUM* n = nullptr;
    ASSERT_EQ(EVP_PKEY_get_bn_param(small, OSSL_PKEY_PARAM_RSA_N, &n), 1);
    std::string modulus(static_cast<std::size_t>(BN_num_bytes(n)), '\0');
    BN_bn2bin(n, reinterpret_cast<unsigned char*>(modulus.data()));
    BN_free(n);
    EVP_PKEY_free(small);
    auto key = Key::from_public_jwk(
        {{"kty", "RSA"}, {"alg", "RS256"}, {"n", base64url_encode(modulus)}, {"e", "AQAB"}});
    ASSERT_FALSE(key.has_value());
    EXPECT_EQ(key.error().code, ErrorCode::invalid_key);
}

TEST(Jwk, ImportRefusesNonMinimalIntegers) {
    json jwk = test_keys::key_for(Alg::rs256).public_jwk();
    std::string padded = base64url_decode(jwk["n"].get<std::string>()).value();
    padded.insert(padded.begin(), '\0');
    jwk["n"] = base64url_encode(padded);
    EXPECT_EQ(Key::from_public_jwk(jwk).error().code, ErrorCode::invalid_key);
    jwk = test_keys::key_for(Alg::rs256).public_jwk();
    jwk["e"] = "AAEAAQ";  // 65537 with a leading zero octet
    EXPECT_EQ(Key::from_public_jwk(jwk).error().code, ErrorCode::invalid_key);
}

TEST(Jwk, ImportRefusesAnEcPointOffTheCurve) {
    json jwk = test_keys::key_for(Alg::es256).public_jwk();
    std::string y = base64url_decode(jwk["y"].get<std::string>()).value();
    y.back() = static_cast<char>(y.back() ^ 0x01);
    jwk["y"] = base64url_encode(y);
    auto key = Key::from_public_jwk(jwk);
    ASSERT_FALSE(key.has_value());
    EXPECT_EQ(key.error().code, ErrorCode::invalid_key);
}

TEST(Jwk, ImportRefusesCoordinatesOfTheWrongLength) {
    json ec = test_keys::key_for(Alg::es256).public_jwk();
    ec["x"] = base64url_encode(base64url_decode(ec["x"].get<std::string>()).value().substr(1));
    EXPECT_EQ(Key::from_public_jwk(ec).error().code, ErrorCode::invalid_key);
    json okp = test_keys::key_for(Alg::eddsa).public_jwk();
    okp["x"] = base64url_encode(base64url_decode(okp["x"].get<std::string>()).value() + "x");
    EXPECT_EQ(Key::from_public_jwk(okp).error().code, ErrorCode::invalid_key);
}

TEST(Jwk, ImportRefusesMissingOrMistypedMembers) {
    json jwk = test_keys::key_for(Alg::rs256).public_jwk();
    jwk.erase("e");
    EXPECT_EQ(Key::from_public_jwk(jwk).error().code, ErrorCode::invalid_key);
    jwk = test_keys::key_for(Alg::rs256).public_jwk();
    jwk["n"] = 12345;
    EXPECT_EQ(Key::from_public_jwk(jwk).error().code, ErrorCode::invalid_key);
    jwk = test_keys::key_for(Alg::rs256).public_jwk();
    jwk["n"] = jwk["n"].get<std::string>() + "=";
    EXPECT_EQ(Key::from_public_jwk(jwk).error().code, ErrorCode::invalid_key);
    EXPECT_EQ(Key::from_public_jwk(json::array()).error().code, ErrorCode::malformed);
    EXPECT_EQ(Key::from_public_jwk(json::object()).error().code, ErrorCode::invalid_key);
}

TEST(Jwk, Pkcs8RefusesTrailingBytesAndGarbage) {
    std::string der = test_keys::key_for(Alg::es256).to_pkcs8().value();
    EXPECT_EQ(Key::from_pkcs8(der + "x", Alg::es256).error().code, ErrorCode::invalid_key);
    EXPECT_EQ(Key::from_pkcs8(der.substr(0, der.size() - 1), Alg::es256).error().code,
              ErrorCode::invalid_key);
    EXPECT_EQ(Key::from_pkcs8("not DER", Alg::es256).error().code, ErrorCode::invalid_key);
}

TEST(Jwk, Pkcs8RefusesAKeyOfAnotherKindThanTheAlg) {
    std::string ec = test_keys::key_for(Alg::es256).to_pkcs8().value();
    EXPECT_EQ(Key::from_pkcs8(ec, Alg::rs256).error().code, ErrorCode::invalid_key);
    EXPECT_EQ(Key::from_pkcs8(ec, Alg::eddsa).error().code, ErrorCode::invalid_key);
    std::string rsa = test_keys::key_for(Alg::rs256).to_pkcs8().value();
    EXPECT_EQ(Key::from_pkcs8(rsa, Alg::es256).error().code, ErrorCode::invalid_key);
    // The same RSA key pair may serve PS256: the alg is the caller's to bind.
    EXPECT_EQ(Key::from_pkcs8(rsa, Alg::ps256).value().alg(), Alg::ps256);
}

TEST(Jwk, Pkcs8RefusesAnotherCurve) {
    EVP_PKEY* p384 = EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-384");
    ASSERT_NE(p384, nullptr);
    unsigned char* der = nullptr;
    PKCS8_PRIV_KEY_INFO* info = EVP_PKEY2PKCS8(p384);
    const int length = i2d_PKCS8_PRIV_KEY_INFO(info, &der);
    std::string bytes(reinterpret_cast<const char*>(der), static_cast<std::size_t>(length));
    OPENSSL_free(der);
    PKCS8_PRIV_KEY_INFO_free(info);
    EVP_PKEY_free(p384);
    EXPECT_EQ(Key::from_pkcs8(bytes, Alg::es256).error().code, ErrorCode::invalid_key);
}

TEST(Jwks, DocumentListsPublicKeysOnly) {
    KeySet keys({test_keys::key_for(Alg::rs256), test_keys::key_for(Alg::es256),
                 test_keys::key_for(Alg::eddsa)});
    const json jwks = keys.to_jwks();
    ASSERT_EQ(jwks["keys"].size(), 3u);
    for (const auto& jwk : jwks["keys"]) {
        EXPECT_FALSE(has_private_members(jwk));
        EXPECT_TRUE(jwk.contains("kid"));
    }
    EXPECT_EQ(jwks["keys"][0]["kid"], test_keys::key_for(Alg::rs256).kid());
}

TEST(Jwks, ReadsBackWhatItPublishes) {
    KeySet published({test_keys::key_for(Alg::rs256), test_keys::key_for(Alg::ps256),
                      test_keys::key_for(Alg::es256), test_keys::key_for(Alg::eddsa)});
    auto read = KeySet::from_jwks(published.to_jwks());
    ASSERT_TRUE(read.has_value()) << read.error().detail;
    ASSERT_EQ(read->size(), 4u);
    for (Alg alg : test_keys::all_algs) {
        const Key* key = read->find(test_keys::key_for(alg).kid());
        ASSERT_NE(key, nullptr);
        EXPECT_EQ(key->alg(), alg);
        EXPECT_FALSE(key->has_private_key());
    }
    EXPECT_EQ(read->find("nope"), nullptr);
}

TEST(Jwks, SkipsKeysItCannotVerifyWith) {
    json enc = test_keys::key_for(Alg::rs256).public_jwk();
    enc["use"] = "enc";
    enc["kid"] = "enc-key";
    json jwks = {{"keys",
                  {enc,
                   {{"kty", "EC"}, {"crv", "P-521"}, {"x", "AA"}, {"y", "AA"}, {"kid", "p521"}},
                   {{"kty", "oct"}, {"kid", "symmetric-without-k"}},
                   test_keys::key_for(Alg::es256).public_jwk()}}};
    auto read = KeySet::from_jwks(jwks);
    ASSERT_TRUE(read.has_value()) << read.error().detail;
    ASSERT_EQ(read->size(), 1u);
    EXPECT_EQ(read->keys()[0].alg(), Alg::es256);
}

TEST(Jwks, TakesRsaWithoutAlgAsRs256) {
    json jwk = test_keys::key_for(Alg::rs256).public_jwk();
    jwk.erase("alg");
    auto read = KeySet::from_jwks({{"keys", {jwk}}});
    ASSERT_TRUE(read.has_value());
    EXPECT_EQ(read->keys()[0].alg(), Alg::rs256);
}

TEST(Jwks, RefusesASetWithPrivateMembers) {
    json jwk = test_keys::key_for(Alg::es256).public_jwk();
    jwk["d"] = "jpsQnnGQmL-YBIffH1136cspYG6-0iY7X1fCE9-E9LI";
    auto read = KeySet::from_jwks({{"keys", {jwk}}});
    ASSERT_FALSE(read.has_value());
    EXPECT_EQ(read.error().code, ErrorCode::invalid_key);
}

TEST(Jwks, RefusesTwoKeysWithOneKid) {
    json a = test_keys::key_for(Alg::es256).public_jwk();
    json b = test_keys::key_for(Alg::eddsa).public_jwk();
    b["kid"] = a["kid"];
    EXPECT_FALSE(KeySet::from_jwks({{"keys", {a, b}}}).has_value());
}

TEST(Jwks, RefusesADocumentWithoutAKeysArray) {
    EXPECT_EQ(KeySet::from_jwks(json::object()).error().code, ErrorCode::malformed);
    EXPECT_EQ(KeySet::from_jwks({{"keys", "x"}}).error().code, ErrorCode::malformed);
}

}  // namespace
}  // namespace idpd::jose
