// Scope parsing and the requested ⊆ allowed rule (RFC 6749 §3.3).
#include "oidc/scope.h"

#include <gmock/gmock.h>

namespace idpd::oidc {
namespace {

using testing::ElementsAre;

const std::vector<std::string> allowed{"read", "write", "billing"};

TEST(Scope, AbsentMeansEverythingAllowed) {
    auto scopes = resolve_scope(std::nullopt, allowed);
    ASSERT_TRUE(scopes);
    EXPECT_EQ(*scopes, allowed);
}

TEST(Scope, RequestedSubsetIsGrantedInRequestOrderWithoutRepeats) {
    auto scopes = resolve_scope("write read write", allowed);
    ASSERT_TRUE(scopes);
    EXPECT_THAT(*scopes, ElementsAre("write", "read"));
}

TEST(Scope, ScopeOutsideTheAllowedSetIsInvalidScope) {
    auto scopes = resolve_scope("read admin", allowed);
    ASSERT_FALSE(scopes);
    EXPECT_EQ(scopes.error().code, ErrorCode::invalid_scope);
    EXPECT_NE(scopes.error().description.find("admin"), std::string::npos);
}

TEST(Scope, MalformedScopeIsInvalidScope) {
    for (const char* text : {"read  write", " read", "read ", "re\"ad", "re\\ad", "读"}) {
        auto scopes = resolve_scope(text, allowed);
        ASSERT_FALSE(scopes) << text;
        EXPECT_EQ(scopes.error().code, ErrorCode::invalid_scope);
    }
}

TEST(Scope, SplitAndJoinRoundTrip) {
    EXPECT_THAT(split_scope("a b  c"), ElementsAre("a", "b", "c"));
    EXPECT_EQ(join_scope({"a", "b"}), "a b");
    EXPECT_TRUE(split_scope("").empty());
}

}  // namespace
}  // namespace idpd::oidc
