#include "jose/jwt.h"

#include <chrono>
#include <string>

#include <gtest/gtest.h>

#include "jose/base64url.h"
#include "jose/jws.h"
#include "unit/jose/test_keys.h"

namespace idpd::jose {
namespace {

using nlohmann::json;
using std::chrono::seconds;

constexpr std::int64_t t0 = 1'700'000'000;
const auto now = std::chrono::system_clock::time_point(seconds(t0));
const std::string issuer = "https://id.example.com";

const Key& key() {
    return test_keys::key_for(Alg::es256);
}

json claims(std::int64_t exp = t0 + 300) {
    return {{"iss", issuer}, {"sub", "42"}, {"aud", "client-1"}, {"iat", t0}, {"exp", exp}};
}

JwtRules rules_for(TokenType type = TokenType::jwt) {
    JwtRules rules;
    rules.type = type;
    rules.issuer = issuer;
    rules.audience = "client-1";
    rules.leeway = seconds(30);
    return rules;
}

Result<VerifiedJwt> check(const std::string& token, const JwtRules& rules = rules_for(),
                          std::chrono::system_clock::time_point at = now) {
    return verify_jwt(token, KeySet({key()}), rules, at);
}

ErrorCode refusal(const Result<VerifiedJwt>& result) {
    EXPECT_FALSE(result.has_value());
    return result ? ErrorCode::internal : result.error().code;
}

std::string jwt(const json& body, TokenType type = TokenType::jwt) {
    return sign_jwt(key(), type, body).value();
}

TEST(Jwt, SignsEachTypeWithItsTyp) {
    for (TokenType type :
         {TokenType::jwt, TokenType::at_jwt, TokenType::logout_jwt, TokenType::dpop_jwt}) {
        auto verified = check(jwt(claims(), type), rules_for(type));
        ASSERT_TRUE(verified.has_value()) << typ_value(type) << ": " << verified.error().detail;
        EXPECT_EQ(verified->header["typ"], typ_value(type));
        EXPECT_EQ(verified->claims["sub"], "42");
    }
}

TEST(Jwt, RefusesClaimsThatAreNotAnObject) {
    EXPECT_EQ(sign_jwt(key(), TokenType::jwt, json::array()).error().code, ErrorCode::malformed);
}

TEST(Jwt, RefusesAPayloadThatIsNotAJsonObject) {
    EXPECT_EQ(refusal(check(sign(key(), "[1,2]", {{"typ", "JWT"}}).value())), ErrorCode::malformed);
    EXPECT_EQ(refusal(check(sign(key(), "not json", {{"typ", "JWT"}}).value())),
              ErrorCode::malformed);
}

TEST(Jwt, RefusesDuplicateClaims) {
    const std::string payload =
        R"({"iss":"https://id.example.com","aud":"client-1","exp":1700000300,)"
        R"("sub":"42","sub":"admin"})";
    EXPECT_EQ(refusal(check(sign(key(), payload).value())), ErrorCode::malformed);
}

TEST(Jwt, RefusesAnotherTyp) {
    // RFC 8725 §3.11: an ID token must not pass where an access token is expected, nor the reverse.
    EXPECT_EQ(refusal(check(jwt(claims(), TokenType::jwt), rules_for(TokenType::at_jwt))),
              ErrorCode::invalid_claims);
    EXPECT_EQ(refusal(check(jwt(claims(), TokenType::at_jwt), rules_for(TokenType::jwt))),
              ErrorCode::invalid_claims);
    EXPECT_EQ(refusal(check(jwt(claims(), TokenType::logout_jwt), rules_for(TokenType::at_jwt))),
              ErrorCode::invalid_claims);
}

TEST(Jwt, TypComparesWithoutCaseAndWithTheApplicationPrefixImplied) {
    for (const char* typ : {"at+jwt", "AT+JWT", "application/at+jwt", "Application/At+Jwt"}) {
        auto token = sign(key(), claims().dump(), {{"typ", typ}}).value();
        EXPECT_TRUE(check(token, rules_for(TokenType::at_jwt)).has_value()) << typ;
    }
    auto token = sign(key(), claims().dump(), {{"typ", "text/at+jwt"}}).value();
    EXPECT_EQ(refusal(check(token, rules_for(TokenType::at_jwt))), ErrorCode::invalid_claims);
}

TEST(Jwt, MissingTypIsAcceptedOnlyForPlainJwt) {
    auto token = sign(key(), claims().dump()).value();
    EXPECT_TRUE(check(token, rules_for(TokenType::jwt)).has_value());
    EXPECT_EQ(refusal(check(token, rules_for(TokenType::at_jwt))), ErrorCode::invalid_claims);
    EXPECT_EQ(refusal(check(token, rules_for(TokenType::dpop_jwt))), ErrorCode::invalid_claims);
}

TEST(Jwt, RefusesNestedJwt) {
    auto token = sign(key(), claims().dump(), {{"typ", "JWT"}, {"cty", "JWT"}}).value();
    EXPECT_EQ(refusal(check(token)), ErrorCode::unsupported);
}

TEST(Jwt, RefusesAnotherIssuer) {
    json body = claims();
    body["iss"] = "https://id.example.com/";  // exact match: a trailing slash is another issuer
    EXPECT_EQ(refusal(check(jwt(body))), ErrorCode::invalid_claims);
}

TEST(Jwt, RefusesAMissingIssuer) {
    json body = claims();
    body.erase("iss");
    EXPECT_EQ(refusal(check(jwt(body))), ErrorCode::invalid_claims);
}

TEST(Jwt, AcceptsTheAudienceInAnArray) {
    json body = claims();
    body["aud"] = {"other", "client-1"};
    EXPECT_TRUE(check(jwt(body)).has_value());
}

TEST(Jwt, RefusesAnAudienceArrayWithoutUs) {
    json body = claims();
    body["aud"] = {"other", "client-10"};
    EXPECT_EQ(refusal(check(jwt(body))), ErrorCode::invalid_claims);
}

TEST(Jwt, RefusesAnotherAudience) {
    json body = claims();
    body["aud"] = "client-2";
    EXPECT_EQ(refusal(check(jwt(body))), ErrorCode::invalid_claims);
}

TEST(Jwt, RefusesAMissingAudience) {
    json body = claims();
    body.erase("aud");
    EXPECT_EQ(refusal(check(jwt(body))), ErrorCode::invalid_claims);
}

TEST(Jwt, RefusesAnAudienceOfTheWrongType) {
    json body = claims();
    body["aud"] = 7;
    EXPECT_EQ(refusal(check(jwt(body))), ErrorCode::malformed);
    body["aud"] = {"client-1", 7};
    EXPECT_EQ(refusal(check(jwt(body))), ErrorCode::malformed);
}

TEST(Jwt, RefusesAnExpiredToken) {
    EXPECT_EQ(refusal(check(jwt(claims(t0 - 31)))), ErrorCode::expired);
}

TEST(Jwt, AcceptsAnExpiryWithinTheLeeway) {
    EXPECT_TRUE(check(jwt(claims(t0 - 29))).has_value());
    JwtRules strict = rules_for();
    strict.leeway = seconds(0);
    EXPECT_EQ(refusal(check(jwt(claims(t0)), strict)), ErrorCode::expired);  // exp == now
    EXPECT_TRUE(check(jwt(claims(t0 + 1)), strict).has_value());
}

TEST(Jwt, RefusesAMissingExp) {
    json body = claims();
    body.erase("exp");
    EXPECT_EQ(refusal(check(jwt(body))), ErrorCode::invalid_claims);
    JwtRules rules = rules_for();
    rules.require_exp = false;
    EXPECT_TRUE(check(jwt(body), rules).has_value());
}

TEST(Jwt, RefusesANonNumericDate) {
    json body = claims();
    body["exp"] = std::to_string(t0 + 300);
    EXPECT_EQ(refusal(check(jwt(body))), ErrorCode::malformed);
}

TEST(Jwt, AcceptsAFractionalNumericDate) {
    json body = claims();
    body["exp"] = static_cast<double>(t0) + 0.5;
    JwtRules strict = rules_for();
    strict.leeway = seconds(0);
    EXPECT_TRUE(check(jwt(body), strict).has_value());
}

TEST(Jwt, RefusesATokenBeforeItsNbf) {
    json body = claims();
    body["nbf"] = t0 + 31;
    EXPECT_EQ(refusal(check(jwt(body))), ErrorCode::not_yet_valid);
    body["nbf"] = t0 + 29;
    EXPECT_TRUE(check(jwt(body)).has_value());
}

TEST(Jwt, RefusesATokenIssuedInTheFuture) {
    json body = claims();
    body["iat"] = t0 + 31;
    EXPECT_EQ(refusal(check(jwt(body))), ErrorCode::not_yet_valid);
}

TEST(Jwt, MaxAgeRefusesAnOldIat) {
    JwtRules rules = rules_for();
    rules.max_age = seconds(60);
    json body = claims();
    body["iat"] = t0 - 60 - 31;
    EXPECT_EQ(refusal(check(jwt(body), rules)), ErrorCode::expired);
    body["iat"] = t0 - 60 - 29;
    EXPECT_TRUE(check(jwt(body), rules).has_value());
    body.erase("iat");
    EXPECT_EQ(refusal(check(jwt(body), rules)), ErrorCode::invalid_claims);
}

TEST(Jwt, RefusesAMissingRequiredClaim) {
    JwtRules rules = rules_for();
    rules.required_claims = {"sub", "jti"};
    EXPECT_EQ(refusal(check(jwt(claims()), rules)), ErrorCode::invalid_claims);
    json body = claims();
    body["jti"] = "abc";
    EXPECT_TRUE(check(jwt(body), rules).has_value());
}

TEST(Jwt, UsesTheInjectedTimeOnly) {
    // Valid in 2023 by construction; far in the past for the real clock.
    EXPECT_TRUE(check(jwt(claims())).has_value());
    EXPECT_EQ(refusal(check(jwt(claims()), rules_for(), now + std::chrono::hours(1))),
              ErrorCode::expired);
}

TEST(Jwt, PicksTheKeyByKidDuringRotation) {
    const KeySet keys({test_keys::key_for(Alg::rs256), test_keys::key_for(Alg::es256),
                       test_keys::key_for(Alg::eddsa)});
    for (Alg alg : {Alg::rs256, Alg::es256, Alg::eddsa}) {
        auto token = sign_jwt(test_keys::key_for(alg), TokenType::jwt, claims()).value();
        EXPECT_TRUE(verify_jwt(token, keys, rules_for(), now).has_value()) << alg_name(alg);
    }
}

TEST(Jwt, RefusesAnUnknownKid) {
    auto other = Key::generate(Alg::es256, "retired").value();
    auto token = sign_jwt(other, TokenType::jwt, claims()).value();
    EXPECT_EQ(refusal(check(token)), ErrorCode::unknown_key);
}

TEST(Jwt, RefusesAKidNamingAKeyOfAnotherAlg) {
    // The token's kid picks the EdDSA key, its header says ES256: the key's alg wins.
    const Key& ed = test_keys::key_for(Alg::eddsa);
    auto token = sign(key(), claims().dump(), {{"kid", ed.kid()}}).value();
    EXPECT_EQ(refusal(verify_jwt(token, KeySet({key(), ed}), rules_for(), now)),
              ErrorCode::rejected_header);
}

TEST(Jwt, WithoutKidAcceptsOnlyASingleKeySet) {
    const Key& named = test_keys::key_for(Alg::eddsa);
    const Key unnamed = Key::from_pkcs8(named.to_pkcs8().value(), Alg::eddsa).value();
    ASSERT_TRUE(unnamed.kid().empty());
    auto token = sign_jwt(unnamed, TokenType::jwt, claims()).value();
    ASSERT_FALSE(peek_header(token).value().contains("kid"));
    EXPECT_TRUE(verify_jwt(token, KeySet({named}), rules_for(), now).has_value());
    EXPECT_EQ(refusal(verify_jwt(token, KeySet({named, key()}), rules_for(), now)),
              ErrorCode::unknown_key);
}

TEST(Jwt, RefusesAKidThatIsNotAString) {
    auto token = sign(key(), claims().dump(), {{"kid", 7}}).value();
    EXPECT_EQ(refusal(check(token)), ErrorCode::malformed);
}

TEST(Jwt, VerifiesADpopProofWithItsEmbeddedKey) {
    // RFC 9449 §4.3: typ dpop+jwt, the key in the header, iat recent, no exp.
    auto client = Key::generate(Alg::es256).value();
    json proof = {{"jti", "e1j3V_bKic8-LAEB"},
                  {"htm", "POST"},
                  {"htu", "https://id.example.com/token"},
                  {"iat", t0 - 5}};
    auto token = sign_jwt(client, TokenType::dpop_jwt, proof, {{"jwk", client.public_jwk()}});
    ASSERT_TRUE(token.has_value());
    JwtRules dpop;
    dpop.type = TokenType::dpop_jwt;
    dpop.require_exp = false;
    dpop.max_age = seconds(60);
    dpop.required_claims = {"jti", "htm", "htu"};
    dpop.expect_embedded_jwk = true;
    auto key = embedded_jwk(peek_header(*token).value()).value();
    auto verified = verify_jwt(*token, key, dpop, now);
    ASSERT_TRUE(verified.has_value()) << verified.error().detail;
    EXPECT_EQ(key.thumbprint(), client.thumbprint());  // the jkt an access token binds to
    // Without expect_embedded_jwk the same proof is refused: tokens never bring their own key.
    dpop.expect_embedded_jwk = false;
    EXPECT_EQ(refusal(verify_jwt(*token, key, dpop, now)), ErrorCode::rejected_header);
}

}  // namespace
}  // namespace idpd::jose
