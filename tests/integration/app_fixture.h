#pragma once

#include <atomic>
#include <chrono>
#include <filesystem>

#include <gtest/gtest.h>

#include "app/app.h"
#include "integration/test_captcha.h"
#include "store/migrate.h"
#include "store/open.h"

namespace idpd::testing_support {

// The whole app in-process over a fresh SQLite file: HttpRequest in, HttpResponse out.
class AppTest : public testing::Test {
protected:
    void SetUp() override {
        dir_ = std::filesystem::temp_directory_path() /
               ("idpd-app-" + std::to_string(::getpid()) + "-" +
                testing::UnitTest::GetInstance()->current_test_info()->name());
        std::filesystem::create_directories(dir_);
        config_.server.static_dir = std::filesystem::path(IDPD_SOURCE_DIR) / "static";
        config_.web.templates_dir = std::filesystem::path(IDPD_SOURCE_DIR) / "templates";
        config_.database.url = "sqlite:" + (dir_ / "idpd.db").string();
        config_.log.access_log = false;
        config_.server.var_dir = dir_;  // the development master key goes here
        auto db = store::open_database(store::DatabaseOptions{config_.database.url});
        ASSERT_TRUE(db) << db.error().message;
        db_ = std::move(*db);
        auto migrated = store::migrate(*db_);
        ASSERT_TRUE(migrated) << migrated.error().message;
        start_app();
    }

    // (Re)builds the app from config_, with the test clock and the known captcha code.
    void start_app() {
        app_.reset();
        app::Injections injections;
        injections.clock = [this] {
            return std::chrono::system_clock::now() + std::chrono::milliseconds(clock_offset_ms_);
        };
        injections.captcha_codes = &captcha_codes_;
        app_ = std::make_unique<app::App>(config_, *db_, injections);
    }

    void TearDown() override {
        app_.reset();
        db_.reset();
        std::filesystem::remove_all(dir_);
    }

    http::HttpResponse get(std::string path, std::string accept = "application/json") {
        http::HttpRequest req;
        req.method = http::Method::get;
        auto q = path.find('?');
        if (q != std::string::npos) {
            req.query = path.substr(q + 1);
            path.resize(q);
        }
        req.path = path;
        req.peer_ip = "127.0.0.1";
        req.headers.set("Accept", accept);
        return app_->handle(req);
    }

    // Moves the app's clock (pages, sessions, throttling, captchas) forward.
    void advance(std::chrono::milliseconds by) { clock_offset_ms_ += by.count(); }

    std::filesystem::path dir_;
    std::atomic<std::int64_t> clock_offset_ms_{0};
    ZeroRandom captcha_codes_;
    app::Config config_;
    std::unique_ptr<store::Database> db_;
    std::unique_ptr<app::App> app_;
};

}  // namespace idpd::testing_support
