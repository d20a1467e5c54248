// oidc::ClientStore and oidc::AccessTokenStore on every backend.
#include "oidc/client_store.h"

#include <gtest/gtest.h>

#include "conformance/backend.h"
#include "oidc/access_token_store.h"

namespace idpd::conformance {
namespace {

oidc::Client service_client(std::string id) {
    oidc::Client client;
    client.client_id = std::move(id);
    client.name = "Billing service 计费";
    client.secret_hash = std::string("\x00\xff\x10 hash bytes ...........", 32);
    client.grant_types = {"client_credentials"};
    client.scopes = {"read", "write"};
    client.redirect_uris = {"https://app.example.com/cb"};
    client.access_token_format = oidc::AccessTokenFormat::opaque;
    client.access_token_alg = jose::Alg::es256;
    client.created_at = 1'700'000'000;
    return client;
}

TEST_P(StoreTest, ClientRoundTripsEveryField) {
    oidc::ClientStore clients(db());
    const auto client = service_client("svc");
    ASSERT_TRUE(clients.create(client));
    auto found = clients.find("svc");
    ASSERT_TRUE(found) << found.error().message;
    EXPECT_EQ(found->name, client.name);
    EXPECT_EQ(found->secret_hash, client.secret_hash);
    EXPECT_EQ(found->grant_types, client.grant_types);
    EXPECT_EQ(found->scopes, client.scopes);
    EXPECT_EQ(found->redirect_uris, client.redirect_uris);
    EXPECT_EQ(found->access_token_format, oidc::AccessTokenFormat::opaque);
    EXPECT_EQ(found->access_token_alg, jose::Alg::es256);
    EXPECT_EQ(found->type, oidc::ClientType::confidential);
    EXPECT_EQ(found->created_at, client.created_at);
}

TEST_P(StoreTest, ClientMetadataRoundTripsAndUpdates) {
    oidc::ClientStore clients(db());
    auto client = service_client("rp");
    client.post_logout_redirect_uris = {"https://app.example.com/bye"};
    client.backchannel_logout_uri = "https://app.example.com/bc";
    client.backchannel_logout_session_required = true;
    client.jwks = R"({"keys":[]})";
    client.subject_type = oidc::SubjectType::pairwise;
    client.sector_identifier = "example.com";
    client.first_party = true;
    client.dpop_bound_access_tokens = true;
    ASSERT_TRUE(clients.create(client));
    auto found = clients.find("rp");
    ASSERT_TRUE(found) << found.error().message;
    EXPECT_EQ(found->post_logout_redirect_uris, client.post_logout_redirect_uris);
    EXPECT_EQ(found->backchannel_logout_uri, client.backchannel_logout_uri);
    EXPECT_TRUE(found->backchannel_logout_session_required);
    EXPECT_EQ(found->jwks, client.jwks);
    EXPECT_EQ(found->subject_type, oidc::SubjectType::pairwise);
    EXPECT_EQ(found->sector_identifier, "example.com");
    EXPECT_TRUE(found->first_party);
    EXPECT_TRUE(found->dpop_bound_access_tokens);

    found->name = "Renamed";
    found->first_party = false;
    found->redirect_uris = {"https://app.example.com/cb2"};
    ASSERT_TRUE(clients.update(*found, 1'700'000'100));
    ASSERT_TRUE(clients.update(*found, 1'700'000'100));  // nothing changed: still found
    auto again = clients.find("rp");
    ASSERT_TRUE(again);
    EXPECT_EQ(again->name, "Renamed");
    EXPECT_FALSE(again->first_party);
    EXPECT_EQ(again->redirect_uris, std::vector<std::string>{"https://app.example.com/cb2"});
    EXPECT_EQ(again->created_at, client.created_at);

    auto missing = service_client("nobody");
    auto updated = clients.update(missing, 1);
    ASSERT_FALSE(updated);
    EXPECT_EQ(updated.error().kind, store::Error::Kind::not_found);
}

TEST_P(StoreTest, ClientIdsAreUniqueAndCaseSensitive) {
    oidc::ClientStore clients(db());
    ASSERT_TRUE(clients.create(service_client("svc")));
    auto again = clients.create(service_client("svc"));
    ASSERT_FALSE(again);
    EXPECT_EQ(again.error().kind, store::Error::Kind::conflict);
    EXPECT_TRUE(clients.create(service_client("SVC")));
    EXPECT_EQ(clients.find("Svc").error().kind, store::Error::Kind::not_found);
}

TEST_P(StoreTest, PublicClientHasNoSecret) {
    oidc::ClientStore clients(db());
    auto client = service_client("spa");
    client.type = oidc::ClientType::public_client;
    client.token_endpoint_auth_method = oidc::AuthMethod::none;
    client.secret_hash.clear();
    ASSERT_TRUE(clients.create(client));
    auto found = clients.find("spa");
    ASSERT_TRUE(found);
    EXPECT_TRUE(found->is_public());
    EXPECT_TRUE(found->secret_hash.empty());
}

TEST_P(StoreTest, ClientSecretRotatesAndClientRemoves) {
    oidc::ClientStore clients(db());
    ASSERT_TRUE(clients.create(service_client("svc")));
    ASSERT_TRUE(clients.set_secret_hash("svc", std::string(32, 'n'), 1'700'000'100));
    EXPECT_EQ(clients.find("svc")->secret_hash, std::string(32, 'n'));
    EXPECT_EQ(clients.set_secret_hash("nobody", std::string(32, 'n'), 1).error().kind,
              store::Error::Kind::not_found);
    auto listed = clients.list();
    ASSERT_TRUE(listed);
    EXPECT_EQ(listed->size(), 1u);
    ASSERT_TRUE(clients.remove("svc"));
    EXPECT_EQ(clients.remove("svc").error().kind, store::Error::Kind::not_found);
}

TEST_P(StoreTest, OpaqueAccessTokenIsStoredByHashAndRevokes) {
    oidc::AccessTokenStore tokens(db());
    oidc::StoredAccessToken token{"svc", "svc", "read", "https://api", 100, 700, false, "jkt-1"};
    ASSERT_TRUE(tokens.add("token-value", token));
    auto raw = db().query("SELECT COUNT(*) FROM access_tokens WHERE token_hash = ?",
                          {store::Blob{"token-value"}});
    ASSERT_TRUE(raw);
    EXPECT_EQ(raw->front().integer(0), 0);  // never the token itself
    auto found = tokens.find("token-value");
    ASSERT_TRUE(found);
    EXPECT_EQ(found->client_id, "svc");
    EXPECT_EQ(found->expires_at, 700);
    EXPECT_EQ(found->jkt, "jkt-1");  // its DPoP binding (schema 0014)
    EXPECT_FALSE(found->revoked);
    ASSERT_TRUE(tokens.revoke("token-value"));
    EXPECT_TRUE(tokens.find("token-value")->revoked);
    EXPECT_EQ(tokens.find("other").error().kind, store::Error::Kind::not_found);
}

TEST_P(StoreTest, JwtRevocationListIsIdempotentAndExpires) {
    oidc::AccessTokenStore tokens(db());
    ASSERT_TRUE(tokens.revoke_jti("jti-1", "svc", 500));
    ASSERT_TRUE(tokens.revoke_jti("jti-1", "svc", 500));
    EXPECT_TRUE(*tokens.is_jti_revoked("jti-1"));
    EXPECT_FALSE(*tokens.is_jti_revoked("jti-2"));
    ASSERT_TRUE(tokens.add("t", {"svc", "svc", "", "a", 100, 400, false, std::nullopt}));
    auto removed = tokens.delete_expired(500);
    ASSERT_TRUE(removed);
    EXPECT_EQ(*removed, 2u);
    EXPECT_FALSE(*tokens.is_jti_revoked("jti-1"));
}

}  // namespace
}  // namespace idpd::conformance
