#include <array>
#include <cstdio>
#include <filesystem>

#include <gtest/gtest.h>

#include "app/app.h"
#include "store/migrate.h"
#include "store/open.h"

namespace idpd {
namespace {

// Runs scripts/mariadb.sh and returns its stdout (the URL for `start`).
std::string mariadb_script(const std::string& verb, const std::filesystem::path& dir) {
    std::string command = std::string(IDPD_SOURCE_DIR) + "/scripts/mariadb.sh " + verb + " " +
                          dir.string() + " 2>/dev/null";
    std::string out;
    FILE* pipe = popen(command.c_str(), "r");
    if (pipe == nullptr) {
        return out;
    }
    std::array<char, 512> buf{};
    while (fgets(buf.data(), buf.size(), pipe) != nullptr) {
        out += buf.data();
    }
    pclose(pipe);
    while (!out.empty() && (out.back() == '\n' || out.back() == '\r')) {
        out.pop_back();
    }
    return out;
}

// A MariaDB of its own, stopped and started again under a running App: requests that need the
// database answer 503 while it is gone, and the same App serves again once it is back, with
// no restart of idpd.
class DatabaseOutage : public testing::Test {
protected:
    void SetUp() override {
        dir_ = std::filesystem::path("/tmp") / ("idpd-outage-" + std::to_string(::getpid()));
        url_ = mariadb_script("start", dir_ / "db");
        ASSERT_TRUE(url_.starts_with("mysql://")) << "scripts/mariadb.sh start failed";
        config_.server.static_dir = std::filesystem::path(IDPD_SOURCE_DIR) / "static";
        config_.web.templates_dir = std::filesystem::path(IDPD_SOURCE_DIR) / "templates";
        config_.server.var_dir = dir_;
        config_.log.access_log = false;
        config_.keys.algs = {"ES256"};
        store::DatabaseOptions options;
        options.url = url_;
        options.connect_timeout = std::chrono::seconds(1);
        options.pool_timeout = std::chrono::seconds(1);
        options.read_timeout = std::chrono::seconds(2);
        auto db = store::open_database(options);
        ASSERT_TRUE(db) << db.error().message;
        db_ = std::move(*db);
        ASSERT_TRUE(store::migrate(*db_));
        app_ = std::make_unique<app::App>(config_, *db_);
    }

    void TearDown() override {
        app_.reset();
        db_.reset();
        mariadb_script("stop", dir_ / "db");
        std::filesystem::remove_all(dir_);
    }

    int status(const std::string& path, http::Method method = http::Method::get,
               std::string body = {}) {
        http::HttpRequest req;
        req.method = method;
        req.path = path;
        req.peer_ip = "127.0.0.1";
        req.body = std::move(body);
        req.headers.set("Content-Type", "application/x-www-form-urlencoded");
        req.headers.set("Authorization", "Basic Ym90OnNlY3JldA==");  // bot:secret, unknown
        return app_->handle(req).status;
    }

    int token_status() {
        return status("/token", http::Method::post, "grant_type=client_credentials");
    }

    std::filesystem::path dir_;
    std::string url_;
    app::Config config_;
    std::unique_ptr<store::Database> db_;
    std::unique_ptr<app::App> app_;
};

TEST_F(DatabaseOutage, RequestsGet503WhileTheDatabaseIsDownAndRecoverWithoutARestart) {
    ASSERT_EQ(status("/readyz"), 200);
    ASSERT_EQ(token_status(), 401);  // the database answers: the client is unknown

    mariadb_script("halt", dir_ / "db");
    auto started = std::chrono::steady_clock::now();
    EXPECT_EQ(status("/readyz"), 503);
    EXPECT_EQ(token_status(), 503);
    EXPECT_EQ(status("/healthz"), 200);  // liveness does not depend on the database
    // Bounded by the connect and pool timeouts, never a hang.
    EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(10));

    ASSERT_TRUE(mariadb_script("start", dir_ / "db").starts_with("mysql://"));
    EXPECT_EQ(status("/readyz"), 200);
    EXPECT_EQ(token_status(), 401);
}

}  // namespace
}  // namespace idpd
