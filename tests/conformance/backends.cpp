// The backends under test, and the suite's main. SQLite: a fresh file per test in a temporary
// directory. MariaDB: a fresh database per test (CREATE DATABASE idpd_ct_<pid>_<n>) on the
// server that IDPD_TEST_MYSQL_URL names, dropped after the test. Without that variable every
// MariaDB test fails with instructions: a backend is never skipped silently.
#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <mutex>
#include <string>
#include <utility>

#include <unistd.h>

#include "conformance/backend.h"
#include "store/database_url.h"
#include "store/migrate.h"
#include "store/open.h"

namespace idpd::conformance {
namespace {

constexpr std::string_view how_to_run_mariadb =
    "IDPD_TEST_MYSQL_URL is not set, so the MariaDB backend cannot be tested. Start a "
    "throwaway server and point the suite at it:\n"
    "  url=$(scripts/mariadb.sh start /tmp/idpd-mariadb)\n"
    "  IDPD_TEST_MYSQL_URL=$url build/conformance_tests\n"
    "  scripts/mariadb.sh stop /tmp/idpd-mariadb\n"
    "(`make test` does this by itself.)";

std::atomic<int> scratch_count{0};

std::string next_scratch_name() {
    return "idpd_ct_" + std::to_string(getpid()) + "_" + std::to_string(++scratch_count);
}

// Forwards every call to `inner` and runs `cleanup` once `inner` is closed, so a scratch
// database disappears with the test that used it.
class ScratchDatabase final : public store::Database {
public:
    ScratchDatabase(std::unique_ptr<store::Database> inner, std::function<void()> cleanup)
        : inner_(std::move(inner)), cleanup_(std::move(cleanup)) {}

    ScratchDatabase(const ScratchDatabase&) = delete;
    ScratchDatabase& operator=(const ScratchDatabase&) = delete;

    ~ScratchDatabase() override {
        inner_.reset();
        cleanup_();
    }

    store::Dialect dialect() const override { return inner_->dialect(); }

    store::Result<store::Rows> query(std::string_view sql, const store::Params& params) override {
        return inner_->query(sql, params);
    }

    store::Result<store::Executed> execute(std::string_view sql,
                                           const store::Params& params) override {
        return inner_->execute(sql, params);
    }

    store::Result<void> transaction(
        const std::function<store::Result<void>(store::Database& tx)>& work) override {
        return inner_->transaction(work);
    }

    store::Result<void> execute_script(std::string_view sql) override {
        return inner_->execute_script(sql);
    }

    store::Result<void> ping() override { return inner_->ping(); }

    store::PoolStats pool_stats() const override { return inner_->pool_stats(); }

private:
    std::unique_ptr<store::Database> inner_;
    std::function<void()> cleanup_;
};

// Opens `url` (and migrates it when asked), or fails the current test and returns nullptr.
std::unique_ptr<store::Database> open_or_fail(const std::string& url, bool migrated) {
    store::DatabaseOptions options;
    options.url = url;
    auto db = store::open_database(options);
    if (!db) {
        ADD_FAILURE() << "cannot open " << url << ": " << db.error().message;
        return nullptr;
    }
    if (migrated) {
        if (auto report = store::migrate(**db); !report) {
            ADD_FAILURE() << "cannot migrate " << url << ": " << report.error().message;
            return nullptr;
        }
    }
    return std::move(*db);
}

const std::filesystem::path& sqlite_directory() {
    static const std::filesystem::path directory = [] {
        auto path = std::filesystem::temp_directory_path() /
                    ("idpd_conformance_" + std::to_string(getpid()));
        std::filesystem::create_directories(path);
        return path;
    }();
    return directory;
}

Scratch open_sqlite(bool migrated) {
    const auto path = sqlite_directory() / (next_scratch_name() + ".db");
    const std::string url = "sqlite://" + path.string();  // the path is absolute: sqlite:///...
    auto db = open_or_fail(url, migrated);
    auto cleanup = [path] {
        for (const char* suffix : {"", "-wal", "-shm"}) {
            std::error_code ignored;
            std::filesystem::remove(path.string() + suffix, ignored);
        }
    };
    if (db == nullptr) {
        cleanup();
        return {};
    }
    return {std::make_unique<ScratchDatabase>(std::move(db), cleanup), url};
}

// The server from IDPD_TEST_MYSQL_URL, on which the scratch databases are created and dropped.
std::mutex admin_mutex;
std::unique_ptr<store::Database> admin;

store::Database* mariadb_admin() {
    std::lock_guard lock(admin_mutex);
    if (admin != nullptr) {
        return admin.get();
    }
    const char* url = std::getenv("IDPD_TEST_MYSQL_URL");
    if (url == nullptr || *url == '\0') {
        ADD_FAILURE() << how_to_run_mariadb;
        return nullptr;
    }
    store::DatabaseOptions options;
    options.url = url;
    options.pool_size = 2;
    auto db = store::open_database(options);
    if (!db) {
        ADD_FAILURE() << "IDPD_TEST_MYSQL_URL=" << url
                      << " cannot be opened: " << db.error().message << "\n"
                      << how_to_run_mariadb;
        return nullptr;
    }
    admin = std::move(*db);
    return admin.get();
}

Scratch open_mariadb(bool migrated) {
    store::Database* server = mariadb_admin();
    if (server == nullptr) {
        return {};
    }
    auto url = store::parse_database_url(std::getenv("IDPD_TEST_MYSQL_URL"));
    if (!url || !std::holds_alternative<store::MysqlUrl>(*url)) {
        ADD_FAILURE() << "IDPD_TEST_MYSQL_URL is not a mysql:// URL";
        return {};
    }
    auto scratch_url = std::get<store::MysqlUrl>(*url);
    scratch_url.database = next_scratch_name();
    // No CHARACTER SET on purpose: the server default (latin1 under --no-defaults, a *_ci
    // collation elsewhere) is what an operator's CREATE DATABASE gets, and migrate() must make
    // text case-sensitive anyway.
    if (auto created = server->execute("CREATE DATABASE " + scratch_url.database, {}); !created) {
        ADD_FAILURE() << "cannot create database " << scratch_url.database << ": "
                      << created.error().message;
        return {};
    }
    auto drop = [server, name = scratch_url.database] {
        if (auto dropped = server->execute("DROP DATABASE IF EXISTS " + name, {}); !dropped) {
            ADD_FAILURE() << "cannot drop database " << name << ": " << dropped.error().message;
        }
    };
    const std::string text = store::to_string(scratch_url);
    auto db = open_or_fail(text, migrated);
    if (db == nullptr) {
        drop();
        return {};
    }
    return {std::make_unique<ScratchDatabase>(std::move(db), drop), text};
}

Backend sqlite_backend() {
    return {"sqlite", [] { return open_sqlite(true).db; },
            [] {
                return open_sqlite(false).db;
            }};
}

Backend mariadb_backend() {
    return {"mariadb", [] { return open_mariadb(true).db; },
            [] {
                return open_mariadb(false).db;
            }};
}

std::string backend_name(const testing::TestParamInfo<Backend>& info) {
    return info.param.name;
}

}  // namespace

void PrintTo(const Backend& backend, std::ostream* out) {
    *out << backend.name;
}

Scratch sqlite_scratch() {
    return open_sqlite(true);
}

Scratch mariadb_scratch() {
    return open_mariadb(true);
}

INSTANTIATE_TEST_SUITE_P(Sqlite, StoreTest, testing::Values(sqlite_backend()), backend_name);
INSTANTIATE_TEST_SUITE_P(MariaDb, StoreTest, testing::Values(mariadb_backend()), backend_name);
INSTANTIATE_TEST_SUITE_P(Sqlite, UnmigratedStoreTest, testing::Values(sqlite_backend()),
                         backend_name);
INSTANTIATE_TEST_SUITE_P(MariaDb, UnmigratedStoreTest, testing::Values(mariadb_backend()),
                         backend_name);

}  // namespace idpd::conformance

int main(int argc, char** argv) {
    testing::InitGoogleTest(&argc, argv);
    const int result = RUN_ALL_TESTS();
    // Close the server connections before static destruction reaches the client library.
    idpd::conformance::admin.reset();
    std::error_code ignored;
    std::filesystem::remove_all(idpd::conformance::sqlite_directory(), ignored);
    return result;
}
