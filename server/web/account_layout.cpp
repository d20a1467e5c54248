#include "web/account_layout.h"

#include <array>
#include <utility>

#include "web/form_view.h"

namespace idpd::web {
namespace {

struct TabInfo {
    AccountTab tab;
    std::string_view path;
    std::string_view label_key;
};

constexpr std::array<TabInfo, 9> tabs{{
    {AccountTab::overview, "/account", "center.tabs.overview"},
    {AccountTab::emails, "/account/emails", "center.tabs.emails"},
    {AccountTab::phones, "/account/phones", "center.tabs.phones"},
    {AccountTab::password, "/account/password", "center.tabs.password"},
    {AccountTab::bindings, "/account/bindings", "center.tabs.bindings"},
    {AccountTab::api_keys, "/account/api-keys", "center.tabs.api_keys"},
    {AccountTab::notifications, "/account/notifications", "center.tabs.notifications"},
    {AccountTab::security, "/account/security", "center.tabs.security"},
    {AccountTab::delete_account, "/account/delete", "center.tabs.delete"},
}};

}  // namespace

std::string_view tab_path(AccountTab tab) {
    for (const auto& info : tabs) {
        if (info.tab == tab) {
            return info.path;
        }
    }
    return "/account";
}

mstch::map account_page_data(const PageKit& kit, const Visit& visit, AccountTab current,
                             const std::string& heading) {
    auto data = kit.base_data(visit, heading, false);
    mstch::array rows;
    for (const auto& info : tabs) {
        rows.push_back(mstch::map{{"href", std::string(info.path)},
                                  {"label", kit.text(visit, info.label_key)},
                                  {"current", info.tab == current}});
    }
    data["account_tabs"] = rows;
    data["center_heading"] = heading;
    if (visit.user) {
        data["center_user"] = visit.user->username;
    }
    if (visit.user && visit.user->deletion_scheduled_at) {
        const std::string date = format_time(*visit.user->deletion_scheduled_at);
        data["deletion_banner"] =
            mstch::map{{"text", kit.text(visit, "deletion.banner", {{"date", date}})},
                       {"label", kit.text(visit, "deletion.cancel")},
                       {"csrf", kit.csrf_for(visit)},
                       {"return_to", checked_return_to(visit.current)}};
    }
    return data;
}

std::string notice_text(const PageKit& kit, const Visit& visit, const http::HttpRequest& req,
                        std::initializer_list<std::string_view> known) {
    const std::string value = first_query_param(req, "notice");
    for (auto key : known) {
        if (value == key) {
            return kit.text(visit, "center.notices." + value);
        }
    }
    return {};
}

}  // namespace idpd::web
