// The account center's one layout: a heading and the row of tabs every account page shows
// (templates/partials/account_tabs.mustache), the current one marked with aria-current.
#pragma once

#include <string>
#include <string_view>

#include <mstch/mstch.hpp>

#include "web/page_kit.h"

namespace idpd::web {

// The tabs, in the order shown. Phones, API keys and Notifications are served by their own
// page groups; they use this layout too.
enum class AccountTab {
    overview,        // /account
    emails,          // /account/emails
    phones,          // /account/phones
    password,        // /account/password
    bindings,        // /account/bindings (third-party accounts)
    api_keys,        // /account/api-keys
    notifications,   // /account/notifications
    security,        // /account/security
    delete_account,  // /account/delete (web/deletion_pages.h), always last
};

// The tab's path, e.g. "/account/emails".
std::string_view tab_path(AccountTab tab);

// The layout data of an account page (PageKit::base_data, console layout) with the tabs and
// `heading`; the page's template includes {{> account_tabs}}. The visit must be signed in.
// While the account's deletion is scheduled, the tabs carry the banner that says when, with
// its Cancel deletion button (web/deletion_pages.h).
mstch::map account_page_data(const PageKit& kit, const Visit& visit, AccountTab current,
                             const std::string& heading);

// A notice for the page from its `notice` query parameter: the catalog's
// "center.notices.<value>" when `value` is one of `known`, else empty. POSTs redirect with
// ?notice=… so the page after the 303 says what happened.
std::string notice_text(const PageKit& kit, const Visit& visit, const http::HttpRequest& req,
                        std::initializer_list<std::string_view> known);

}  // namespace idpd::web
