// What the phone, API key and notification tests share: a signed-up browser, the SMS in the
// outbox and the code in it, binding a number through the pages.
#pragma once

#include <regex>
#include <string>
#include <vector>

#include <gmock/gmock.h>

#include "integration/app_fixture.h"
#include "integration/browser.h"

namespace idpd::testing_support {

inline constexpr std::string_view phones_password = "correct horse battery";

struct Sms {
    std::string to, text, kind;
};

class PhonesTest : public AppTest {
protected:
    Browser signed_up(const std::string& name) {
        Browser b(*app_);
        auto r = b.submit("/signup", "/signup",
                          {{"username", name},
                           {"email", name + "@example.com"},
                           {"password", std::string(phones_password)},
                           {"confirm", std::string(phones_password)},
                           {"accept_terms", "1"}});
        EXPECT_EQ(r.status, 303) << r.body;
        return b;
    }

    std::vector<Sms> sms() {
        auto rows = db_->query(
            "SELECT recipient, text_body, kind FROM outbox WHERE channel = 'sms' ORDER BY id", {});
        EXPECT_TRUE(rows) << rows.error().message;
        std::vector<Sms> out;
        for (const auto& row : rows.value_or(store::Rows{})) {
            out.push_back({row.text(0), row.text(1), row.text(2)});
        }
        return out;
    }

    // The six digits in the newest SMS.
    std::string last_code() {
        auto all = sms();
        EXPECT_FALSE(all.empty());
        std::smatch m;
        if (all.empty() || !std::regex_search(all.back().text, m, std::regex("[0-9]{6}"))) {
            return "";
        }
        return m.str();
    }

    http::HttpResponse request_code(Browser& b, const std::string& phone) {
        return b.submit("/account/phones", "/account/phones/code", {{"phone", phone}});
    }

    http::HttpResponse confirm(Browser& b, const std::string& e164, const std::string& code) {
        return b.submit("/account/phones", "/account/phones/verify",
                        {{"phone", e164}, {"code", code}});
    }

    // Binds `phone` (typed) through the pages; expects success.
    void bind(Browser& b, const std::string& phone, const std::string& e164) {
        auto sent = request_code(b, phone);
        ASSERT_EQ(sent.status, 303) << sent.body;
        auto done = confirm(b, e164, last_code());
        ASSERT_EQ(done.status, 303) << done.body;
        EXPECT_EQ(done.headers.get("Location"), "/account/phones?bound=1");
    }

    std::int64_t count(const std::string& sql) {
        auto rows = db_->query(sql, {});
        EXPECT_TRUE(rows);
        return rows && !rows->empty() ? rows->front().integer(0) : -1;
    }

    std::int64_t user_id(const std::string& username) {
        return count("SELECT id FROM users WHERE username = '" + username + "'");
    }
};

}  // namespace idpd::testing_support
