// DPoP proof validation (RFC 9449 §4.3), one test per way a proof is refused, over a SQLite file
// for the jti replay cache.
#include "oidc/dpop.h"

#include <filesystem>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <unistd.h>

#include "jose/base64url.h"
#include "jose/jwt.h"
#include "oidc/access_token_store.h"
#include "store/migrate.h"
#include "store/open.h"

namespace idpd::oidc {
namespace {

using nlohmann::json;
using testing::HasSubstr;

constexpr std::int64_t t0 = 1'700'000'000;
const std::string token_url = "https://id.example.com/token";

const jose::Key& es256_key() {
    static const jose::Key key = *jose::Key::generate(jose::Alg::es256);
    return key;
}

class DpopTest : public testing::Test {
protected:
    void SetUp() override {
        dir_ = std::filesystem::temp_directory_path() /
               ("idpd-dpop-" + std::to_string(::getpid()) + "-" +
                testing::UnitTest::GetInstance()->current_test_info()->name());
        std::filesystem::create_directories(dir_);
        auto db =
            store::open_database(store::DatabaseOptions{"sqlite:" + (dir_ / "idpd.db").string()});
        ASSERT_TRUE(db) << db.error().message;
        db_ = std::move(*db);
        ASSERT_TRUE(store::migrate(*db_));
        verifier_ = std::make_unique<DpopVerifier>(std::chrono::seconds(60), *db_, [this] {
            return std::chrono::system_clock::time_point(std::chrono::seconds(now_));
        });
    }

    void TearDown() override {
        verifier_.reset();
        db_.reset();
        std::filesystem::remove_all(dir_);
    }

    static json claims(const std::string& jti = "jti-1") {
        return {{"jti", jti}, {"htm", "POST"}, {"htu", token_url}, {"iat", t0}};
    }

    static std::string proof(const json& claims, const jose::Key& key = es256_key(),
                             jose::TokenType type = jose::TokenType::dpop_jwt) {
        auto signed_proof = jose::sign_jwt(key, type, claims, {{"jwk", key.public_jwk()}});
        EXPECT_TRUE(signed_proof) << signed_proof.error().detail;
        return signed_proof.value_or("");
    }

    static http::HttpRequest request(const std::string& dpop,
                                     http::Method method = http::Method::post) {
        http::HttpRequest req;
        req.method = method;
        req.path = "/token";
        if (!dpop.empty()) {
            req.headers.set("DPoP", dpop);
        }
        return req;
    }

    // The description of the refusal, or "" when the proof was accepted.
    std::string refusal(const http::HttpRequest& req,
                        std::optional<std::string_view> access_token = std::nullopt) {
        auto verified = verifier_->verify(req, token_url, access_token);
        if (verified) {
            EXPECT_TRUE(verified->has_value());
            return "";
        }
        EXPECT_EQ(verified.error().code, ErrorCode::invalid_dpop_proof);
        return verified.error().description.empty() ? "?" : verified.error().description;
    }

    std::int64_t now_ = t0;
    std::filesystem::path dir_;
    std::unique_ptr<store::Database> db_;
    std::unique_ptr<DpopVerifier> verifier_;
};

// A header and payload signed with junk: for algs we must refuse before any key is used.
std::string unsigned_proof(const std::string& alg) {
    const json header{{"typ", "dpop+jwt"}, {"alg", alg}, {"jwk", es256_key().public_jwk()}};
    return jose::base64url_encode(header.dump()) + "." +
           jose::base64url_encode(
               json{{"jti", "x"}, {"htm", "POST"}, {"htu", token_url}, {"iat", t0}}.dump()) +
           "." + jose::base64url_encode("signature");
}

TEST_F(DpopTest, AValidProofGivesTheKeysThumbprint) {
    auto verified = verifier_->verify(request(proof(claims())), token_url);
    ASSERT_TRUE(verified) << verified.error().description;
    ASSERT_TRUE(verified->has_value());
    EXPECT_EQ((*verified)->jkt, es256_key().thumbprint());
}

TEST_F(DpopTest, EveryAlgWeAdvertiseIsAccepted) {
    for (jose::Alg alg : {jose::Alg::rs256, jose::Alg::ps256, jose::Alg::es256, jose::Alg::eddsa}) {
        auto key = jose::Key::generate(alg);
        ASSERT_TRUE(key);
        EXPECT_EQ(refusal(request(proof(claims(std::string(jose::alg_name(alg))), *key))), "")
            << jose::alg_name(alg);
    }
}

TEST_F(DpopTest, NoHeaderIsNoProofAndNotAnError) {
    auto verified = verifier_->verify(request(""), token_url);
    ASSERT_TRUE(verified);
    EXPECT_FALSE(verified->has_value());
}

TEST_F(DpopTest, TwoHeadersAreRefused) {
    auto req = request(proof(claims("a")));
    req.headers.add("DPoP", proof(claims("b")));
    EXPECT_THAT(refusal(req), HasSubstr("exactly one DPoP header"));
    EXPECT_THAT(refusal(request(proof(claims("c")) + "," + proof(claims("d")))),
                HasSubstr("exactly one DPoP header"));
}

TEST_F(DpopTest, NotAJwtIsRefused) {
    EXPECT_THAT(refusal(request("not-a-jwt")), HasSubstr("not a JWT"));
}

TEST_F(DpopTest, AnotherTypIsRefused) {
    EXPECT_THAT(refusal(request(proof(claims(), es256_key(), jose::TokenType::jwt))),
                HasSubstr("invalid_claims"));
    EXPECT_THAT(refusal(request(proof(claims(), es256_key(), jose::TokenType::at_jwt))),
                HasSubstr("invalid_claims"));
}

TEST_F(DpopTest, AlgNoneAndHmacAreRefused) {
    EXPECT_THAT(refusal(request(unsigned_proof("none"))), HasSubstr("public jwk"));
    EXPECT_THAT(refusal(request(unsigned_proof("HS256"))), HasSubstr("public jwk"));
}

TEST_F(DpopTest, APrivateKeyInTheJwkIsRefused) {
    json jwk = es256_key().public_jwk();
    jwk["d"] = jose::base64url_encode(std::string(32, 'x'));
    auto signed_proof =
        jose::sign_jwt(es256_key(), jose::TokenType::dpop_jwt, claims(), {{"jwk", jwk}});
    ASSERT_TRUE(signed_proof);
    EXPECT_THAT(refusal(request(*signed_proof)), HasSubstr("public jwk"));
}

TEST_F(DpopTest, AJwkThatIsNotTheSigningKeyIsRefused) {
    auto other = jose::Key::generate(jose::Alg::es256);
    ASSERT_TRUE(other);
    auto signed_proof = jose::sign_jwt(*other, jose::TokenType::dpop_jwt, claims(),
                                       {{"jwk", es256_key().public_jwk()}});
    ASSERT_TRUE(signed_proof);
    EXPECT_THAT(refusal(request(*signed_proof)), HasSubstr("bad_signature"));
}

TEST_F(DpopTest, WrongHtmIsRefused) {
    EXPECT_THAT(refusal(request(proof(claims()), http::Method::get)), HasSubstr("htm"));
}

TEST_F(DpopTest, WrongHtuIsRefusedButQueryFragmentCaseAndDefaultPortAreNot) {
    json other = claims("1");
    other["htu"] = "https://id.example.com/userinfo";
    EXPECT_THAT(refusal(request(proof(other))), HasSubstr("htu"));
    other["htu"] = "https://evil.example.com/token";
    EXPECT_THAT(refusal(request(proof(other))), HasSubstr("htu"));
    json same = claims("2");
    same["htu"] = "HTTPS://ID.Example.com:443/token?x=1#frag";
    EXPECT_EQ(refusal(request(proof(same))), "");
}

TEST_F(DpopTest, StaleAndFutureIatAreRefused) {
    json stale = claims("stale");
    stale["iat"] = t0 - 60 - 6;  // max_age 60 s plus 5 s leeway, and one more
    EXPECT_THAT(refusal(request(proof(stale))), HasSubstr("expired"));
    json future = claims("future");
    future["iat"] = t0 + 6;
    EXPECT_THAT(refusal(request(proof(future))), HasSubstr("not_yet_valid"));
    json recent = claims("recent");
    recent["iat"] = t0 - 60;
    EXPECT_EQ(refusal(request(proof(recent))), "");
    json missing = claims("missing");
    missing.erase("iat");
    EXPECT_THAT(refusal(request(proof(missing))), HasSubstr("invalid_claims"));
}

TEST_F(DpopTest, AReplayedJtiIsRefusedEvenByAnotherVerifier) {
    const std::string once = proof(claims("only-once"));
    EXPECT_EQ(refusal(request(once)), "");
    EXPECT_THAT(refusal(request(once)), HasSubstr("already used"));
    // Another process on the same database (a replica) refuses it too.
    DpopVerifier replica(std::chrono::seconds(60), *db_, [this] {
        return std::chrono::system_clock::time_point(std::chrono::seconds(now_));
    });
    auto again = replica.verify(request(once), token_url);
    ASSERT_FALSE(again);
    EXPECT_EQ(again.error().code, ErrorCode::invalid_dpop_proof);
    // The same jti from another key is another proof.
    auto other = jose::Key::generate(jose::Alg::es256);
    ASSERT_TRUE(other);
    EXPECT_EQ(refusal(request(proof(claims("only-once"), *other))), "");
}

TEST_F(DpopTest, AthMustBeTheHashOfTheAccessToken) {
    const std::string token = "the-access-token";
    json bound = claims("ath-1");
    bound["ath"] = jose::base64url_encode(sha256(token));
    EXPECT_EQ(refusal(request(proof(bound)), token), "");
    json wrong = claims("ath-2");
    wrong["ath"] = jose::base64url_encode(sha256("another token"));
    EXPECT_THAT(refusal(request(proof(wrong)), token), HasSubstr("ath"));
    EXPECT_THAT(refusal(request(proof(claims("ath-3"))), token), HasSubstr("ath"));  // none
}

TEST_F(DpopTest, ExpiredReplayEntriesAreDeleted) {
    EXPECT_EQ(refusal(request(proof(claims("gc")))), "");
    DpopReplayCache cache(*db_);
    auto kept = cache.delete_expired(t0 + 60);
    ASSERT_TRUE(kept);
    EXPECT_EQ(*kept, 0u);
    auto gone = cache.delete_expired(t0 + 120);
    ASSERT_TRUE(gone);
    EXPECT_EQ(*gone, 1u);
}

TEST(NormalizeHtu, DropsQueryFragmentDefaultPortAndCase) {
    EXPECT_EQ(normalize_htu("HTTPS://Id.Example.COM:443/Token?a#b"),
              "https://id.example.com/Token");
    EXPECT_EQ(normalize_htu("http://localhost:80"), "http://localhost/");
    EXPECT_EQ(normalize_htu("http://localhost:8080/token"), "http://localhost:8080/token");
}

}  // namespace
}  // namespace idpd::oidc
