// The client cache answers only within its ttl, never for clients it was not given, and
// forgets on demand; a ttl of zero turns it off.
#include "oidc/client_cache.h"

#include <gtest/gtest.h>

namespace idpd::oidc {
namespace {

using std::chrono::milliseconds;

struct FakeClock {
    std::chrono::steady_clock::time_point now{};

    ClientCache::Clock clock() {
        return [this] {
            return now;
        };
    }
};

Client client(std::string id, std::string name) {
    Client c;
    c.client_id = std::move(id);
    c.name = std::move(name);
    return c;
}

TEST(ClientCache, AnswersWithinTheTtlAndForgetsAfter) {
    FakeClock time;
    ClientCache cache(milliseconds(5000), time.clock());
    EXPECT_FALSE(cache.find("app"));
    cache.remember(client("app", "App"));
    time.now += milliseconds(4999);
    ASSERT_TRUE(cache.find("app"));
    EXPECT_EQ(cache.find("app")->name, "App");
    EXPECT_FALSE(cache.find("App"));  // client_id is case-sensitive
    time.now += milliseconds(1);
    EXPECT_FALSE(cache.find("app"));
}

TEST(ClientCache, ForgetAndRememberReplaceTheEntry) {
    FakeClock time;
    ClientCache cache(milliseconds(5000), time.clock());
    cache.remember(client("app", "Old"));
    cache.remember(client("app", "New"));
    EXPECT_EQ(cache.find("app")->name, "New");
    cache.forget("app");
    EXPECT_FALSE(cache.find("app"));
}

TEST(ClientCache, StaysWithinItsCapacity) {
    FakeClock time;
    ClientCache cache(milliseconds(5000), time.clock(), 2);
    cache.remember(client("a", "A"));
    cache.remember(client("b", "B"));
    cache.remember(client("c", "C"));  // over the bound: starts over with c alone
    EXPECT_FALSE(cache.find("a"));
    EXPECT_FALSE(cache.find("b"));
    EXPECT_TRUE(cache.find("c"));
}

TEST(ClientCache, AZeroTtlRemembersNothing) {
    ClientCache cache(milliseconds(0));
    cache.remember(client("app", "App"));
    EXPECT_FALSE(cache.find("app"));
}

}  // namespace
}  // namespace idpd::oidc
