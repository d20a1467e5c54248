#include "web/renderer.h"

#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>

#include <gtest/gtest.h>

namespace idpd::web {
namespace {

const std::filesystem::path templates = std::filesystem::path(IDPD_SOURCE_DIR) / "templates";

TEST(Renderer, CatalogsHaveTheSameKeys) {
    Renderer renderer(templates);
    EXPECT_EQ(Renderer::keys(renderer.catalog(Locale::zh_cn)),
              Renderer::keys(renderer.catalog(Locale::en)));
}

// Every {{t.…}} a template names exists in the catalogs, so no page shows an empty string.
TEST(Renderer, EveryStringATemplateUsesIsInTheCatalog) {
    Renderer renderer(templates);
    const auto keys = Renderer::keys(renderer.catalog(Locale::en));
    const std::regex use(R"(\{\{\s*t\.([a-z_.]+)\s*\}\})");
    int uses = 0;
    for (const auto& entry : std::filesystem::recursive_directory_iterator(templates)) {
        if (entry.path().extension() != ".mustache") {
            continue;
        }
        std::ifstream in(entry.path());
        std::stringstream text;
        text << in.rdbuf();
        const std::string body = text.str();
        EXPECT_EQ(body.find("{{{"), std::string::npos) << entry.path() << " uses {{{ }}}";
        EXPECT_EQ(body.find("{{&"), std::string::npos) << entry.path() << " uses {{& }}";
        EXPECT_EQ(body.find("style="), std::string::npos) << entry.path() << " has inline style";
        EXPECT_EQ(body.find("<script"), std::string::npos) << entry.path() << " has a script";
        for (std::sregex_iterator it(body.begin(), body.end(), use), end; it != end; ++it) {
            ++uses;
            EXPECT_TRUE(std::binary_search(keys.begin(), keys.end(), (*it)[1].str()))
                << entry.path() << " uses t." << (*it)[1].str();
        }
    }
    EXPECT_GT(uses, 50);
}

TEST(Renderer, EscapesEverything) {
    Renderer renderer(templates);
    mstch::map data{{"title", std::string("<script>alert('x')</script>")},
                    {"heading", std::string("\"><img src=x onerror=alert(1)>")},
                    {"message", std::string("a & b")},
                    {"auth_page", true},
                    {"csrf", std::string("tok")},
                    {"current", std::string("/signin")}};
    const std::string html = renderer.render("error", Locale::en, data);
    EXPECT_EQ(html.find("<script>"), std::string::npos);
    EXPECT_EQ(html.find("<img"), std::string::npos);
    EXPECT_NE(html.find("&lt;script&gt;"), std::string::npos);
    EXPECT_NE(html.find("a &amp; b"), std::string::npos);
    EXPECT_NE(html.find("<html lang=\"en\">"), std::string::npos);
}

TEST(Renderer, TextWithArguments) {
    Renderer renderer(templates);
    EXPECT_EQ(renderer.text(Locale::en, "errors.password.too_short", {{"min", "8"}}),
              "A password needs at least 8 characters");
    EXPECT_EQ(renderer.text(Locale::zh_cn, "signin.title"), "登录");
    EXPECT_EQ(renderer.text(Locale::en, "no.such.key"), "no.such.key");
    EXPECT_EQ(renderer.text(Locale::en, "errors"), "errors");
}

TEST(Renderer, RefusesAMissingDirectory) {
    EXPECT_THROW(Renderer("/nonexistent/templates"), std::runtime_error);
}

}  // namespace
}  // namespace idpd::web
