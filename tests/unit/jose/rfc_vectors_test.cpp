// The worked examples of the RFCs, byte for byte: evidence, independent of our own signer, that
// our base64url, signing input, signature formats and thumbprints are everyone else's.

#include <string>

#include <gtest/gtest.h>

#include "jose/base64url.h"
#include "jose/jwk.h"
#include "jose/jws.h"

namespace idpd::jose {
namespace {

using nlohmann::json;

// RFC 7515 Appendix A.2.1 / A.3.1: the JWS Payload both examples sign (CRLF line breaks kept).
constexpr std::string_view example_payload =
    "{\"iss\":\"joe\",\r\n \"exp\":1300819380,\r\n \"http://example.com/is_root\":true}";

// RFC 7515 Appendix A.2: RS256.
const json rfc7515_a2_jwk = {
    {"kty", "RSA"},
    {"n",
     "ofgWCuLjybRlzo0tZWJjNiuSfb4p4fAkd_wWJcyQoTbji9k0l8W26mPddxHmfHQp-Vaw-4qPCJrcS2mJPMEzP1Pt0Bm4"
     "d4QlL-yRT-SFd2lZS-pCgNMsD1W_YpRPEwOWvG6b32690r2jZ47soMZo9wGzjb_7OMg0LOL-bSf63kpaSHSXndS5z5rex"
     "MdbBYUsLA9e-KXBdQOS-UTo7WTBEMa2R2CapHg665xsmtdVMTBQY4uDZlxvb3qCo5ZwKh9kG4LT6_I5IhlJH7aGhyxXFv"
     "UK-DWNmoudF8NAco9_h9iaGNj8q2ethFkMLs91kzk2PAcDTW9gb54h4FRWyuXpoQ"},
    {"e", "AQAB"}};
constexpr std::string_view rfc7515_a2_jws =
    "eyJhbGciOiJSUzI1NiJ9"
    ".eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlf"
    "Q"
    ".cC4hiUPoj9Eetdgtv3hF80EGrhuB__dzERat0XF9g2VtQgr9PJbu3XOiZj5RZmh7AAuHIm4Bh-0Qc_lF5YKt_O8W2Fp5j"
    "ujGbds9uJdbF9CUAr7t1dnZcAcQjbKBYNX4BAynRFdiuB--f_nZLgrnbyTyWzO75vRK5h6xBArLIARNPvkSjtQBMHlb1L0"
    "7Qe7K0GarZRmB_eSN9383LcOLn6_dO--xi12jzDwusC-eOkHWEsqtFZESc6BfI7noOPqvhJ1phCnvWh6IeYI2w9QOYEUip"
    "UTI8np6LbgGY9Fs98rqVt5AXLIhWkWywlVmtVrBp0igcN_IoypGlUPQGe77Rw";

// RFC 7515 Appendix A.3: ES256.
const json rfc7515_a3_jwk = {{"kty", "EC"},
                             {"crv", "P-256"},
                             {"x", "f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU"},
                             {"y", "x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0"}};
constexpr std::string_view rfc7515_a3_jws =
    "eyJhbGciOiJFUzI1NiJ9"
    ".eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlf"
    "Q"
    ".DtEhU3ljbEg8L38VWAfUAqOyKAM6-Xx-F4GawxaepmXFCgfTjDxw5djxLa8ISlSApmWQxfKTUJqPP3-Kg6NU1Q";

// RFC 8037 Appendix A.1/A.2: the Ed25519 key; A.4: its JWS over "Example of Ed25519 signing".
constexpr std::string_view rfc8037_d = "nWGxne_9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A";
constexpr std::string_view rfc8037_x = "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo";
constexpr std::string_view rfc8037_a4_jws =
    "eyJhbGciOiJFZERTQSJ9.RXhhbXBsZSBvZiBFZDI1NTE5IHNpZ25pbmc"
    ".hgyY0il_MGCjP0JzlnLWG1PPOt7-09PGcvMg3AIbQR6dWbhijcNR4ki4iylGjg5BhVsPt9g7sVvpAr_MuM0KAg";

// PKCS#8 for an Ed25519 seed (RFC 8410 §7): this fixed prefix, then the 32 seed octets.
std::string ed25519_pkcs8(std::string_view seed) {
    static const std::string prefix(
        "\x30\x2e\x02\x01\x00\x30\x05\x06\x03\x2b\x65\x70\x04\x22\x04\x20", 16);
    return prefix + std::string(seed);
}

TEST(Rfc7515, Rs256ExampleA2Verifies) {
    auto key = Key::from_public_jwk(rfc7515_a2_jwk, Alg::rs256);
    ASSERT_TRUE(key.has_value()) << key.error().detail;
    auto verified = verify(rfc7515_a2_jws, *key);
    ASSERT_TRUE(verified.has_value()) << verified.error().detail;
    EXPECT_EQ(verified->payload, example_payload);
    EXPECT_EQ(verified->header, json({{"alg", "RS256"}}));
}

TEST(Rfc7515, Rs256ExampleA2FailsUnderPs256) {
    auto key = Key::from_public_jwk(rfc7515_a2_jwk, Alg::ps256).value();
    EXPECT_EQ(verify(rfc7515_a2_jws, key).error().code, ErrorCode::rejected_header);
}

TEST(Rfc7515, Es256ExampleA3Verifies) {
    auto key = Key::from_public_jwk(rfc7515_a3_jwk);
    ASSERT_TRUE(key.has_value()) << key.error().detail;
    EXPECT_EQ(key->alg(), Alg::es256);
    auto verified = verify(rfc7515_a3_jws, *key);
    ASSERT_TRUE(verified.has_value()) << verified.error().detail;
    EXPECT_EQ(verified->payload, example_payload);
}

TEST(Rfc7515, Es256ExampleA3WithSwappedRAndSFails) {
    const std::string token(rfc7515_a3_jws);
    const std::string signature = base64url_decode(token.substr(token.rfind('.') + 1)).value();
    const std::string swapped = token.substr(0, token.rfind('.') + 1) +
                                base64url_encode(signature.substr(32) + signature.substr(0, 32));
    EXPECT_EQ(verify(swapped, Key::from_public_jwk(rfc7515_a3_jwk).value()).error().code,
              ErrorCode::bad_signature);
}

TEST(Rfc7638, RsaExampleThumbprint) {
    // RFC 7638 §3.1, with the members that must not change the thumbprint.
    const json jwk = {
        {"kty", "RSA"},
        {"n",
         "0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJ"
         "ECPebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FD"
         "W2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vM"
         "QFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw"},
        {"e", "AQAB"},
        {"alg", "RS256"},
        {"kid", "2011-04-29"}};
    auto key = Key::from_public_jwk(jwk);
    ASSERT_TRUE(key.has_value()) << key.error().detail;
    EXPECT_EQ(key->thumbprint(), "NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs");
    EXPECT_EQ(key->kid(), "2011-04-29");
}

TEST(Rfc8037, Ed25519ExampleA3Thumbprint) {
    auto key = Key::from_public_jwk({{"kty", "OKP"}, {"crv", "Ed25519"}, {"x", rfc8037_x}});
    ASSERT_TRUE(key.has_value()) << key.error().detail;
    EXPECT_EQ(key->thumbprint(), "kPrK_qmxVWaYVA9wwBF6Iuo3vVzz7TxHCTwXBygrS4k");
}

TEST(Rfc8037, Ed25519ExampleA4SignsToTheExactBytes) {
    auto key = Key::from_pkcs8(ed25519_pkcs8(base64url_decode(rfc8037_d).value()), Alg::eddsa);
    ASSERT_TRUE(key.has_value()) << key.error().detail;
    EXPECT_EQ(key->public_jwk()["x"], rfc8037_x);  // A.2: the public key derived from d
    auto token = sign(*key, "Example of Ed25519 signing");
    ASSERT_TRUE(token.has_value()) << token.error().detail;
    EXPECT_EQ(*token, rfc8037_a4_jws);
}

TEST(Rfc8037, Ed25519ExampleA5Verifies) {
    auto key = Key::from_public_jwk({{"kty", "OKP"}, {"crv", "Ed25519"}, {"x", rfc8037_x}}).value();
    auto verified = verify(rfc8037_a4_jws, key);
    ASSERT_TRUE(verified.has_value()) << verified.error().detail;
    EXPECT_EQ(verified->payload, "Example of Ed25519 signing");
}

}  // namespace
}  // namespace idpd::jose
