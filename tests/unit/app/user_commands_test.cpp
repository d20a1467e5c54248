// `idpd user ...` against a scratch SQLite file: rules and policy refuse with exit 2 and name
// every violated rule; the happy paths change what the store reads back.
#include "app/user_commands.h"

#include <filesystem>
#include <sstream>

#include <gmock/gmock.h>
#include <unistd.h>

namespace idpd::app {
namespace {

using testing::HasSubstr;

struct Outcome {
    int status = -1;
    std::string out;
    std::string err;
};

class UserCommandsTest : public testing::Test {
protected:
    void SetUp() override {
        path_ = std::filesystem::temp_directory_path() /
                ("idpd-user-commands-" + std::to_string(::getpid()) + ".db");
        std::filesystem::remove(path_);
        settings_.database.url = "sqlite://" + path_.string();
        // Cheap hashing keeps the suite fast; the defaults are tested in unit/auth.
        settings_.hasher = {.memory_kib = 1024, .iterations = 1, .parallelism = 1};
    }

    void TearDown() override {
        for (const char* suffix : {"", "-wal", "-shm"}) {
            std::error_code ignored;
            std::filesystem::remove(path_.string() + suffix, ignored);
        }
    }

    Outcome run(const std::string& args, const std::string& stdin_text = "") {
        CLI::App cli{"idpd"};
        auto users = add_user_commands(cli);
        Outcome outcome;
        try {
            cli.parse(args, false);
        } catch (const CLI::ParseError& e) {
            outcome.status = 2;
            outcome.err = e.what();
            return outcome;
        }
        EXPECT_TRUE(users->parsed());
        std::istringstream in{stdin_text};
        std::ostringstream out;
        std::ostringstream err;
        outcome.status = users->run(settings_, in, out, err);
        outcome.out = out.str();
        outcome.err = err.str();
        return outcome;
    }

    std::filesystem::path path_;
    UserCommandSettings settings_;
};

TEST_F(UserCommandsTest, AddShowsTheNewAccount) {
    auto added =
        run("user add --username Alice_W --email Alice@example.com --verified-email "
            "--password-stdin",
            "correct horse battery staple\n");
    ASSERT_EQ(added.status, 0) << added.err;
    EXPECT_THAT(added.out, HasSubstr("created user 1 (Alice_W)"));
    auto shown = run("user show --username alice_w");
    ASSERT_EQ(shown.status, 0) << shown.err;
    EXPECT_THAT(shown.out, HasSubstr("username:     Alice_W"));
    EXPECT_THAT(shown.out, HasSubstr("password:     set"));
    EXPECT_THAT(shown.out, HasSubstr("email:        Alice@example.com (primary) verified"));
}

TEST_F(UserCommandsTest, AddRefusesEveryBrokenRuleWithExitTwo) {
    auto bad_name = run("user add --username 123");
    EXPECT_EQ(bad_name.status, 2);
    EXPECT_THAT(bad_name.err, HasSubstr("(too_short)"));
    EXPECT_THAT(bad_name.err, HasSubstr("(all_digits)"));
    auto both = run("user add --username 1234 --password 1234");
    EXPECT_EQ(both.status, 2);
    EXPECT_THAT(both.err, HasSubstr("username must not be digits only (all_digits)"));
    EXPECT_THAT(both.err, HasSubstr("password must be at least 8 characters (too_short)"));
    EXPECT_THAT(both.err, HasSubstr("(contains_username)"));
    EXPECT_THAT(both.err, HasSubstr("(common_password)"));
    auto bad_password = run("user add --username alice --password alice");
    EXPECT_EQ(bad_password.status, 2);
    EXPECT_THAT(bad_password.err, HasSubstr("(too_short)"));
    EXPECT_THAT(bad_password.err, HasSubstr("(contains_username)"));
    auto common = run("user add --username alice --password Password1");
    EXPECT_EQ(common.status, 2);
    EXPECT_THAT(common.err, HasSubstr("(common_password)"));
    EXPECT_EQ(run("user list").out, "");
}

TEST_F(UserCommandsTest, TakenUsernameFailsWithExitOne) {
    ASSERT_EQ(run("user add --username alice").status, 0);
    auto again = run("user add --username ALICE");
    EXPECT_EQ(again.status, 1);
    EXPECT_THAT(again.err, HasSubstr("is taken"));
}

TEST_F(UserCommandsTest, DisableEnableAndSetPassword) {
    ASSERT_EQ(run("user add --username alice").status, 0);
    EXPECT_THAT(run("user show --id 1").out, HasSubstr("password:     none"));
    EXPECT_EQ(run("user disable --username alice").status, 0);
    EXPECT_THAT(run("user show --id 1").out, HasSubstr("status:       disabled"));
    EXPECT_EQ(run("user enable --id 1").status, 0);
    EXPECT_THAT(run("user show --id 1").out, HasSubstr("status:       active"));
    EXPECT_EQ(run("user set-password --id 1 --password-stdin", "short\n").status, 2);
    auto set = run("user set-password --id 1 --password-stdin", "a long and fine passphrase\n");
    EXPECT_EQ(set.status, 0) << set.err;
    EXPECT_THAT(run("user show --id 1").out, HasSubstr("password:     set"));
    EXPECT_EQ(run("user disable --username nobody").status, 1);
    EXPECT_EQ(run("user show").status, 2);  // neither --id nor --username
    EXPECT_EQ(run("user set-password --id 1").status, 2);
}

TEST_F(UserCommandsTest, ListPages) {
    for (const char* name : {"user_a", "user_b", "user_c"}) {
        ASSERT_EQ(run(std::string("user add --username ") + name).status, 0);
    }
    auto first = run("user list --limit 2");
    ASSERT_EQ(first.status, 0);
    EXPECT_THAT(first.out, HasSubstr("user_a"));
    EXPECT_THAT(first.out, HasSubstr("# more: --after 2"));
    auto second = run("user list --after 2");
    EXPECT_THAT(second.out, HasSubstr("user_c"));
    EXPECT_THAT(second.out, testing::Not(HasSubstr("more")));
}

}  // namespace
}  // namespace idpd::app
