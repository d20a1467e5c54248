#include "store/database_url.h"

#include <string>
#include <variant>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace idpd::store {
namespace {

using testing::HasSubstr;
using testing::Not;

SqliteUrl sqlite(std::string_view text) {
    auto url = parse_database_url(text);
    EXPECT_TRUE(url) << text << ": " << url.error().message;
    if (!url || !std::holds_alternative<SqliteUrl>(*url)) {
        ADD_FAILURE() << text << " is not an SQLite URL";
        return {};
    }
    return std::get<SqliteUrl>(*url);
}

MysqlUrl mysql(std::string_view text) {
    auto url = parse_database_url(text);
    EXPECT_TRUE(url) << text << ": " << url.error().message;
    if (!url || !std::holds_alternative<MysqlUrl>(*url)) {
        ADD_FAILURE() << text << " is not a MySQL URL";
        return {};
    }
    return std::get<MysqlUrl>(*url);
}

std::string error_of(std::string_view text) {
    auto url = parse_database_url(text);
    if (url) {
        ADD_FAILURE() << text << " was accepted";
        return {};
    }
    EXPECT_EQ(url.error().kind, Error::Kind::invalid);
    return url.error().message;
}

TEST(DatabaseUrl, SqliteRelativeAbsoluteAndMemory) {
    EXPECT_EQ(sqlite("sqlite:var/idpd.db").path, "var/idpd.db");
    EXPECT_EQ(sqlite("sqlite:///srv/idpd/idpd.db").path, "/srv/idpd/idpd.db");
    EXPECT_EQ(sqlite("sqlite:/srv/idpd.db").path, "/srv/idpd.db");
    EXPECT_TRUE(sqlite("sqlite::memory:").is_memory());
    EXPECT_FALSE(sqlite("sqlite:var/idpd.db").is_memory());
}

TEST(DatabaseUrl, SqliteWithoutAPathOrWithAHostIsInvalid) {
    EXPECT_THAT(error_of("sqlite:"), HasSubstr("needs a file path"));
    EXPECT_THAT(error_of("sqlite://var/idpd.db"), HasSubstr("sqlite:///absolute"));
}

TEST(DatabaseUrl, MysqlWithHostPortAndDatabase) {
    auto url = mysql("mysql://idpd:secret@db.internal:3307/idpd_prod");
    EXPECT_EQ(url.user, "idpd");
    EXPECT_EQ(url.password, "secret");
    EXPECT_EQ(url.host, "db.internal");
    EXPECT_EQ(url.port, 3307);
    EXPECT_EQ(url.database, "idpd_prod");
    EXPECT_TRUE(url.socket.empty());
}

TEST(DatabaseUrl, MysqlDefaultsToPort3306AndNoPassword) {
    auto url = mysql("mysql://root@localhost/idpd");
    EXPECT_EQ(url.port, 3306);
    EXPECT_EQ(url.password, "");
}

TEST(DatabaseUrl, MysqlSocketParameter) {
    auto url = mysql("mysql://root@localhost/idpd_test?socket=/tmp/x/mysqld.sock");
    EXPECT_EQ(url.socket, "/tmp/x/mysqld.sock");
    EXPECT_EQ(url.database, "idpd_test");
}

TEST(DatabaseUrl, MysqlUserAndPasswordArePercentDecoded) {
    auto url = mysql("mysql://app%40corp:p%40ss%3Aw%2Frd%25@db/idpd");
    EXPECT_EQ(url.user, "app@corp");
    EXPECT_EQ(url.password, "p@ss:w/rd%");
}

TEST(DatabaseUrl, UnencodedAtInThePasswordStillFindsTheHost) {
    auto url = mysql("mysql://app:p@ss@db/idpd");
    EXPECT_EQ(url.password, "p@ss");
    EXPECT_EQ(url.host, "db");
}

TEST(DatabaseUrl, MysqlIpv6Host) {
    auto url = mysql("mysql://root@[::1]:3310/idpd");
    EXPECT_EQ(url.host, "::1");
    EXPECT_EQ(url.port, 3310);
}

TEST(DatabaseUrl, UnknownSchemeNamesItAndTheExpectedOnes) {
    EXPECT_EQ(error_of("postgres://u@h/db"),
              "database.url: unknown scheme 'postgres' (expected sqlite: or mysql://)");
    EXPECT_THAT(error_of(""), HasSubstr("empty"));
    EXPECT_THAT(error_of("var/idpd.db"), HasSubstr("no scheme"));
}

TEST(DatabaseUrl, MysqlMistakesAreNamed) {
    EXPECT_THAT(error_of("mysql://root@localhost"), HasSubstr("missing database name"));
    EXPECT_THAT(error_of("mysql://root@localhost/"), HasSubstr("missing database name"));
    EXPECT_THAT(error_of("mysql://localhost/idpd"), HasSubstr("missing user"));
    EXPECT_THAT(error_of("mysql://root@/idpd"), HasSubstr("missing host"));
    EXPECT_THAT(error_of("mysql://root@h:0/idpd"), HasSubstr("1 to 65535"));
    EXPECT_THAT(error_of("mysql://root@h:99999/idpd"), HasSubstr("1 to 65535"));
    EXPECT_THAT(error_of("mysql://root@h:33a/idpd"), HasSubstr("port '33a'"));
    EXPECT_THAT(error_of("mysql://root@h:/idpd"), HasSubstr("empty port"));
    EXPECT_THAT(error_of("mysql://root@[::1/idpd"), HasSubstr("closing ']'"));
    EXPECT_THAT(error_of("mysql://root@h/idpd?sslmode=on"),
                HasSubstr("unknown parameter 'sslmode'"));
    EXPECT_THAT(error_of("mysql://root@h/idpd?socket="), HasSubstr("socket= needs a path"));
}

TEST(DatabaseUrl, BadPercentEncodingIsNamedWithoutThePassword) {
    auto message = error_of("mysql://root:sec%zzret@h/idpd");
    EXPECT_THAT(message, HasSubstr("percent-encoding in the password"));
    EXPECT_THAT(message, Not(HasSubstr("sec")));
}

TEST(DatabaseUrl, ToStringReadsBackAsTheSameUrl) {
    MysqlUrl url;
    url.user = "app@corp";
    url.password = "p@ss:w/rd";
    url.host = "::1";
    url.port = 3310;
    url.database = "idpd_ct_1";
    url.socket = "/tmp/a b/mysqld.sock";
    auto back = mysql(to_string(url));
    EXPECT_EQ(back.user, url.user);
    EXPECT_EQ(back.password, url.password);
    EXPECT_EQ(back.host, url.host);
    EXPECT_EQ(back.port, url.port);
    EXPECT_EQ(back.database, url.database);
    EXPECT_EQ(back.socket, url.socket);
}

TEST(DatabaseUrl, RedactedHidesThePassword) {
    auto url = mysql("mysql://idpd:hunter2@db/idpd");
    EXPECT_EQ(redacted(url), "mysql://idpd:xxxxx@db/idpd");
}

}  // namespace
}  // namespace idpd::store
