// validate_client and the client document: the one set of rules every way of registering a
// client goes through (CLI, dynamic registration, client files, admin API).
#include "oidc/client_validation.h"

#include <gtest/gtest.h>

#include "jose/jwks.h"
#include "oidc/client_document.h"
#include "oidc/subject_mapper.h"

namespace idpd::oidc {
namespace {

using nlohmann::json;

Client web_client() {
    Client client;
    client.client_id = "web";
    client.name = "Web";
    client.secret_hash = std::string(32, 'h');
    client.grant_types = {"authorization_code"};
    client.redirect_uris = {"https://rp.example.com/cb"};
    client.scopes = {"openid"};
    return client;
}

std::string problem(const Client& client, const ClientLimits& limits = {}) {
    auto valid = validate_client(client, limits);
    return valid ? std::string("ok") : valid.error().description;
}

TEST(ValidateClient, AWellFormedClientPasses) {
    EXPECT_EQ(problem(web_client()), "ok");
}

TEST(ValidateClient, EachRuleNamesItsMember) {
    Client c = web_client();
    c.client_id = "a b";
    EXPECT_EQ(problem(c).rfind("client_id:", 0), 0u);
    c = web_client();
    c.redirect_uris = {};
    EXPECT_EQ(validate_client(c, {}).error().code, ErrorCode::invalid_redirect_uri);
    c = web_client();
    c.grant_types = {"password"};
    EXPECT_EQ(problem(c), "grant_types: password is not supported");
    c = web_client();
    c.type = ClientType::public_client;
    EXPECT_EQ(problem(c).rfind("token_endpoint_auth_method:", 0), 0u);
    c.token_endpoint_auth_method = AuthMethod::none;
    c.secret_hash.clear();
    EXPECT_EQ(problem(c), "ok");
    c.grant_types.push_back("client_credentials");
    EXPECT_EQ(problem(c).rfind("grant_types:", 0), 0u);
    c = web_client();
    c.secret_hash.clear();
    EXPECT_EQ(problem(c).rfind("client_secret:", 0), 0u);
    c = web_client();
    c.scopes = {"openid", "payroll"};
    EXPECT_EQ(problem(c, {{}, {"openid"}}), "scope: payroll is not supported by this server");
    c = web_client();
    c.id_token_signed_response_alg = jose::Alg::eddsa;
    EXPECT_EQ(problem(c, {{jose::Alg::rs256}, {}}).rfind("id_token_signed_response_alg:", 0), 0u);
    c = web_client();
    c.backchannel_logout_uri = "com.example.app:/bc";
    EXPECT_EQ(problem(c).rfind("backchannel_logout_uri:", 0), 0u);
    c.backchannel_logout_uri = "http://127.0.0.1:9000/bc";
    EXPECT_EQ(problem(c), "ok");
}

TEST(ValidateClient, PrivateKeyJwtNeedsAUsableJwks) {
    Client c = web_client();
    c.token_endpoint_auth_method = AuthMethod::private_key_jwt;
    c.secret_hash.clear();
    EXPECT_EQ(problem(c).rfind("jwks:", 0), 0u);
    c.jwks = R"({"keys":[{"kty":"oct","k":"c2VjcmV0"}]})";  // a shared secret: refused
    EXPECT_EQ(problem(c).rfind("jwks:", 0), 0u);
    auto key = jose::Key::generate(jose::Alg::es256, "k");
    c.jwks = jose::KeySet({*key->public_key()}).to_jwks().dump();
    EXPECT_EQ(problem(c), "ok");
}

TEST(ValidateClient, APairwiseClientNeedsOneSector) {
    Client c = web_client();
    c.subject_type = SubjectType::pairwise;
    EXPECT_EQ(problem(c), "ok");
    EXPECT_EQ(pairwise_sector(c), "rp.example.com");
    c.redirect_uris.push_back("https://RP.example.com:8443/other");
    EXPECT_EQ(pairwise_sector(c), "rp.example.com");  // hosts compare without case or port
    c.redirect_uris.push_back("https://other.example.com/cb");
    EXPECT_EQ(problem(c).rfind("subject_type:", 0), 0u);
    c.sector_identifier = "rp.example.com";
    EXPECT_EQ(problem(c), "ok");
    c.sector_identifier = "https://rp.example.com";
    EXPECT_EQ(problem(c).rfind("sector_identifier:", 0), 0u);
    c.sector_identifier.clear();
    c.redirect_uris = {"com.example.app:/cb"};  // no host to be a sector
    EXPECT_EQ(problem(c).rfind("subject_type:", 0), 0u);
}

TEST(ClientDocument, RoundTripsEveryMember) {
    Client c = web_client();
    c.post_logout_redirect_uris = {"https://rp.example.com/bye"};
    c.backchannel_logout_uri = "https://rp.example.com/bc";
    c.backchannel_logout_session_required = true;
    c.subject_type = SubjectType::pairwise;
    c.dpop_bound_access_tokens = true;
    c.first_party = true;
    c.access_token_format = AccessTokenFormat::opaque;
    c.created_at = 0;
    Client back;
    ASSERT_TRUE(read_client_document(client_document(c), DocumentAuthor::operator_, back));
    EXPECT_EQ(client_document(back), client_document(c));
}

TEST(ClientDocument, RelyingPartiesCannotSetOperatorMembers) {
    Client c = web_client();
    json doc{{"client_id", "chosen"},
             {"first_party", true},
             {"sector_identifier", "evil.example"},
             {"logo_uri", "https://rp.example.com/logo.png"},
             {"colour", "red"}};
    ASSERT_TRUE(read_client_document(doc, DocumentAuthor::relying_party, c));
    EXPECT_EQ(c.client_id, "web");
    EXPECT_FALSE(c.first_party);
    EXPECT_TRUE(c.sector_identifier.empty());
    Client op = web_client();
    auto refused = read_client_document(doc, DocumentAuthor::operator_, op);
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().code, ErrorCode::invalid_client_metadata);
}

TEST(ClientDocument, NoneMakesAPublicClientAndTypesAreChecked) {
    Client c;
    ASSERT_TRUE(read_client_document({{"token_endpoint_auth_method", "none"}},
                                     DocumentAuthor::relying_party, c));
    EXPECT_TRUE(c.is_public());
    EXPECT_FALSE(read_client_document({{"redirect_uris", "https://x.example/cb"}},
                                      DocumentAuthor::relying_party, c));
    EXPECT_FALSE(read_client_document({{"id_token_signed_response_alg", "none"}},
                                      DocumentAuthor::relying_party, c));
    EXPECT_FALSE(read_client_document({{"sector_identifier_uri", "https://x.example/s.json"}},
                                      DocumentAuthor::relying_party, c));
}

}  // namespace
}  // namespace idpd::oidc
