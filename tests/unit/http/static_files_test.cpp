#include "http/static_files.h"

#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>

namespace idpd::http {
namespace {

class StaticFilesTest : public testing::Test {
protected:
    void SetUp() override {
        root_ = std::filesystem::temp_directory_path() /
                ("idpd-static-" + std::to_string(::getpid()) + "-" +
                 testing::UnitTest::GetInstance()->current_test_info()->name());
        std::filesystem::create_directories(root_ / "css");
        std::ofstream(root_ / "css" / "site.css") << "body{}";
        std::ofstream(root_.parent_path() / "secret.txt") << "outside";
    }

    void TearDown() override { std::filesystem::remove_all(root_); }

    HttpResponse get(const StaticFiles& files, std::string file,
                     std::optional<std::string> if_none_match = std::nullopt) {
        HttpRequest req;
        req.path_params["file"] = std::move(file);
        if (if_none_match) {
            req.headers.set("If-None-Match", *if_none_match);
        }
        return files.serve(req);
    }

    std::filesystem::path root_;
};

TEST_F(StaticFilesTest, ServesWithTypeETagAndCacheControl) {
    StaticFiles files(root_, std::chrono::seconds(3600));
    auto res = get(files, "css/site.css");
    EXPECT_EQ(res.status, 200);
    EXPECT_EQ(res.body, "body{}");
    EXPECT_EQ(res.headers.get("Content-Type"), "text/css; charset=utf-8");
    EXPECT_EQ(res.headers.get("Cache-Control"), "public, max-age=3600");
    EXPECT_TRUE(res.headers.get("ETag").value_or("").starts_with("\""));
}

TEST_F(StaticFilesTest, MatchingETagGives304WithoutBody) {
    StaticFiles files(root_, std::chrono::seconds(60));
    auto etag = *get(files, "css/site.css").headers.get("ETag");
    auto res = get(files, "css/site.css", "W/" + etag);
    EXPECT_EQ(res.status, 304);
    EXPECT_TRUE(res.body.empty());
    EXPECT_EQ(get(files, "css/site.css", "\"other\"").status, 200);
}

TEST_F(StaticFilesTest, NothingOutsideTheRootIsReachable) {
    StaticFiles files(root_, std::chrono::seconds(60));
    EXPECT_EQ(get(files, "../secret.txt").status, 404);
    EXPECT_EQ(get(files, "/etc/passwd").status, 404);
    EXPECT_EQ(get(files, "css/missing.css").status, 404);
}

TEST_F(StaticFilesTest, AMissingRootIsAStartUpError) {
    EXPECT_THROW(StaticFiles(root_ / "nope", std::chrono::seconds(1)), std::runtime_error);
}

}  // namespace
}  // namespace idpd::http
