#include "web/signup_pages.h"

#include <spdlog/spdlog.h>

#include "account/email_address.h"
#include "account/user_store.h"
#include "account/username_rules.h"
#include "auth/captcha_image.h"
#include "web/federation_pages.h"
#include "web/form_input.h"
#include "web/form_view.h"
#include "web/mail.h"
#include "web/password_rules.h"

namespace idpd::web {

using http::HttpRequest;
using http::HttpResponse;

void SignupPages::add_routes(http::Router& router) {
    using http::Method;
    auto bind = [this](HttpResponse (SignupPages::*handler)(const HttpRequest&)) {
        return [this, handler](const HttpRequest& req) {
            return (this->*handler)(req);
        };
    };
    router.add(Method::get, "/signup", bind(&SignupPages::get_signup));
    router.add(Method::post, "/signup", bind(&SignupPages::post_signup));
    router.add(Method::get, "/terms", bind(&SignupPages::get_terms));
    router.add(Method::get, "/captcha/:id", bind(&SignupPages::get_captcha));
}

std::optional<mstch::map> SignupPages::captcha_view(Visit& visit, const SignupForm& form,
                                                    bool autofocus) {
    auto id = captchas_.issue(kit_.now());
    if (!id) {
        spdlog::error("cannot make a captcha: {}", id.error().message);
        return std::nullopt;
    }
    return mstch::map{
        {"id", *id},
        {"width", std::to_string(auth::captcha_width)},
        {"height", std::to_string(auth::captcha_height)},
        {"length", std::to_string(auth::captcha_length)},
        {"alt", kit_.text(visit, "security.captcha.alt",
                          {{"length", std::to_string(auth::captcha_length)}})},
        {"invalid", !form.captcha_errors.empty()},
        {"errors", to_array(form.captcha_errors)},
        {"autofocus", autofocus},
    };
}

store::Result<std::string> SignupPages::check_captcha(Visit& visit, const std::string& id,
                                                      const std::string& answer) {
    if (answer.find_first_not_of(" \t") == std::string::npos) {
        return kit_.text(visit, "security.captcha.required");
    }
    auto verdict = captchas_.check(id, answer, kit_.now());
    if (!verdict) {
        return std::unexpected(verdict.error());
    }
    switch (*verdict) {
        case auth::CaptchaVerdict::passed:
            return std::string();
        case auth::CaptchaVerdict::wrong:
            return kit_.text(visit, "security.captcha.wrong");
        case auth::CaptchaVerdict::expired:
            return kit_.text(visit, "security.captcha.expired");
        case auth::CaptchaVerdict::used:
        case auth::CaptchaVerdict::unknown:
            break;
    }
    return kit_.text(visit, "security.captcha.used");
}

HttpResponse SignupPages::get_captcha(const HttpRequest& req) {
    auto svg = captchas_.image(req.path_param("id").value_or(""), kit_.now());
    if (!svg && svg.error().kind != store::Error::Kind::not_found) {
        spdlog::error("cannot read a captcha: {}", svg.error().message);
        return HttpResponse::text(503, "unavailable\n");
    }
    // An answered or expired image is gone: the page shows a new one.
    HttpResponse response = svg ? HttpResponse::text(200, *svg) : HttpResponse::text(404, "");
    if (svg) {
        response.headers.set("Content-Type", "image/svg+xml");
    }
    response.headers.set("Cache-Control", "no-store");
    response.headers.set("X-Content-Type-Options", "nosniff");
    return response;
}

HttpResponse SignupPages::signup_page(Visit& visit, int status, const SignupForm& form) {
    auto data = kit_.base_data(visit, kit_.text(visit, "signup.title"), true);
    mstch::array fields;
    std::vector<FieldView> views{
        {"username", kit_.text(visit, "signup.username"), "text", form.username, "username",
         kit_.text(visit, "signup.username_hint"), form.username_errors, false, true},
        {"email", kit_.text(visit, "signup.email"), "email", form.email, "email",
         kit_.text(visit, "signup.email_hint"), form.email_errors, false, true},
        {"password", kit_.text(visit, "signup.password"), "password", "", "new-password",
         password_hint(kit_, visit, policy_), form.password_errors, false, false},
        {"confirm", kit_.text(visit, "signup.confirm"), "password", "", "new-password", "",
         form.confirm_errors, false, false},
    };
    // The keyboard starts in the captcha after "new image", or when it is the only problem.
    const bool focus_captcha =
        captchas_.options().enabled &&
        (form.focus_captcha ||
         (!form.captcha_errors.empty() &&
          std::all_of(views.begin(), views.end(), [](const auto& v) { return v.errors.empty(); })));
    if (!focus_captcha) {
        focus_first_problem(views);
    }
    for (const auto& view : views) {
        fields.push_back(field(view));
    }
    if (captchas_.options().enabled) {
        auto captcha = captcha_view(visit, form, focus_captcha);
        if (!captcha) {
            return kit_.error_page(visit, 503, "error.title", "error.unavailable");
        }
        data["captcha"] = *captcha;
    }
    data["fields"] = fields;
    data["accept_terms"] = form.accept_terms;
    data["terms_invalid"] = !form.terms_errors.empty();
    data["terms_errors"] = to_array(form.terms_errors);
    data["return_to"] = form.return_to;
    data["signin_href"] = kit_.link(visit, with_return_to("/signin", form.return_to));
    data["current"] = kit_.link(visit, with_return_to("/signup", form.return_to));
    data["upstreams"] = upstream_buttons(kit_, visit, upstreams_, "sign_in", form.return_to);
    data["has_upstreams"] = !upstreams_.connectors().empty();
    const bool has_errors = !form.username_errors.empty() || !form.email_errors.empty() ||
                            !form.password_errors.empty() || !form.confirm_errors.empty() ||
                            !form.terms_errors.empty() || !form.captcha_errors.empty();
    if (has_errors) {
        data["form_error"] = kit_.text(visit, "form.has_errors");
    }
    return kit_.page(visit, "signup", status, std::move(data));
}

HttpResponse SignupPages::get_signup(const HttpRequest& req) {
    Visit visit = kit_.begin(req);
    SignupForm form;
    form.return_to = checked_return_to(first_query_param(req, "return_to"));
    if (visit.user) {
        return kit_.redirect(visit, form.return_to.empty() ? "/account" : form.return_to);
    }
    return signup_page(visit, 200, form);
}

std::optional<account::Username> SignupPages::read_username(Visit& visit, SignupForm& form) {
    std::optional<account::Username> username;
    if (form.username.empty()) {
        form.username_errors.push_back(kit_.text(visit, "errors.username.required"));
    } else if (auto problem = check_input(form.username, max_username_bytes, false)) {
        form.username_errors.push_back(
            kit_.text(visit, "errors.input." + std::string(problem_name(*problem))));
    } else if (auto checked = account::check_username(form.username); !checked) {
        for (auto p : checked.error()) {
            form.username_errors.push_back(
                kit_.text(visit, "errors.username." + std::string(account::problem_name(p))));
        }
    } else {
        username = *checked;
    }

    return username;
}

std::optional<account::EmailAddress> SignupPages::read_email(Visit& visit, SignupForm& form) {
    std::optional<account::EmailAddress> email;
    if (form.email.empty()) {
        form.email_errors.push_back(kit_.text(visit, "errors.email.required"));
    } else if (auto problem = check_input(form.email, max_email_bytes, false)) {
        form.email_errors.push_back(
            kit_.text(visit, "errors.input." + std::string(problem_name(*problem))));
    } else if (auto parsed = account::parse_email_address(form.email); !parsed) {
        form.email_errors.push_back(kit_.text(visit, "errors.email.invalid"));
    } else {
        email = *parsed;
    }
    return email;
}

HttpResponse SignupPages::post_signup(const HttpRequest& req) {
    Visit visit = kit_.begin(req);
    const Form submitted(req);
    if (!kit_.csrf_ok(req, visit, submitted.get("csrf"))) {
        return kit_.error_page(visit, 403, "error.forbidden", "error.csrf");
    }
    SignupForm form;
    form.username = submitted.get("username");
    form.email = submitted.get("email");
    form.accept_terms = submitted.get("accept_terms") == "1";
    form.return_to = checked_return_to(submitted.get("return_to"));
    const std::string password = submitted.get("password");
    const std::string confirm = submitted.get("confirm");
    if (captchas_.options().enabled && submitted.get("action") == "new_captcha") {
        // Only a new image: nothing is checked, the typed values (not passwords) stay.
        for (auto* value : {&form.username, &form.email}) {
            if (check_input(*value, max_email_bytes, false)) {
                value->clear();
            }
        }
        form.focus_captcha = true;
        return signup_page(visit, 200, form);
    }

    const std::optional<account::Username> username = read_username(visit, form);
    const std::optional<account::EmailAddress> email = read_email(visit, form);

    auto password_errors = check_new_password(kit_, visit, policy_, password, confirm,
                                              username ? username->text : form.username);
    form.password_errors = std::move(password_errors.password);
    form.confirm_errors = std::move(password_errors.confirm);
    if (!form.accept_terms) {
        form.terms_errors.push_back(kit_.text(visit, "errors.terms.required"));
    }
    if (captchas_.options().enabled) {
        // Checked even when other fields are wrong, so every problem shows at once; the
        // challenge is used up either way and the page shows a new one.
        auto problem = check_captcha(visit, submitted.get("captcha_id"), submitted.get("captcha"));
        if (!problem) {
            spdlog::error("cannot check a captcha: {}", problem.error().message);
            return kit_.error_page(visit, 503, "error.title", "error.unavailable");
        }
        if (!problem->empty()) {
            form.captcha_errors.push_back(*problem);
        }
    }
    // Never echo a value that failed the input checks.
    if (!username && !form.username_errors.empty() &&
        check_input(form.username, max_username_bytes, false)) {
        form.username.clear();
    }
    if (!email && !form.email_errors.empty() && check_input(form.email, max_email_bytes, false)) {
        form.email.clear();
    }
    if (!username || !email || !form.password_errors.empty() || !form.confirm_errors.empty() ||
        !form.terms_errors.empty() || !form.captcha_errors.empty()) {
        return signup_page(visit, 400, form);
    }
    return create_account(req, visit, form, *username, *email, password);
}

HttpResponse SignupPages::create_account(const HttpRequest& req, Visit& visit, SignupForm& form,
                                         const account::Username& username,
                                         const account::EmailAddress& email,
                                         const std::string& password) {
    auto hash = hasher_.hash(password);
    if (!hash) {
        spdlog::error("cannot hash a password: {}", hash.error().message);
        return kit_.error_page(visit, 503, "error.title", "error.unavailable");
    }
    std::int64_t user_id = 0;
    // The account, its address, its audit event and the verification mail commit together or
    // not at all.
    const MailContext mail{kit_.renderer(), visit.locale, kit_.options().issuer};
    auto created = kit_.db().transaction([&](store::Database& tx) -> store::Result<void> {
        account::UserStore users{tx};
        auto user = users.create({username, username.text, *hash}, kit_.now());
        if (!user) {
            return std::unexpected(user.error());
        }
        user_id = user->id;
        auto added = users.add_email(user->id, email, kit_.now());
        if (!added) {
            return std::unexpected(added.error());
        }
        // In the same transaction: the log names exactly the accounts that exist.
        auto event = PageKit::audit_event(req, audit::EventType::sign_up);
        event.user_id = user->id;
        event.detail = {{"username", username.text}};
        if (auto logged = audit::record(tx, event, kit_.now()); !logged) {
            return std::unexpected(logged.error());
        }
        return enqueue_link_mail(tx, kit_.random(), mail, account::EmailTokenPurpose::verify_email,
                                 {user->id, user->username, added->email},
                                 kit_.options().verify_email_ttl, kit_.now());
    });
    if (!created) {
        if (created.error().kind == store::Error::Kind::conflict) {
            // Taken, also when another sign-up won the race a moment ago: the UNIQUE key decides.
            form.username_errors.push_back(kit_.text(visit, "errors.username.taken"));
            return signup_page(visit, 409, form);
        }
        spdlog::error("sign-up failed: {}", created.error().message);
        return kit_.error_page(visit, 503, "error.title", "error.unavailable");
    }
    spdlog::info("user {} signed up", user_id);
    if (!kit_.open_session(req, visit, user_id, false)) {
        return kit_.error_page(visit, 503, "error.title", "error.unavailable");
    }
    return kit_.redirect(visit, form.return_to.empty() ? "/account" : form.return_to);
}

HttpResponse SignupPages::get_terms(const HttpRequest& req) {
    Visit visit = kit_.begin(req);
    auto data = kit_.base_data(visit, kit_.text(visit, "terms.title"), true);
    std::string body = kit_.options().terms_text.empty() ? kit_.text(visit, "terms.default_text")
                                                         : kit_.options().terms_text;
    mstch::array paragraphs;
    std::string_view rest = body;
    while (!rest.empty()) {
        auto end = rest.find("\n\n");
        std::string_view p = rest.substr(0, end);
        rest = end == std::string_view::npos ? std::string_view{} : rest.substr(end + 2);
        if (p.find_first_not_of(" \n\t") != std::string_view::npos) {
            paragraphs.emplace_back(std::string(p));
        }
    }
    data["paragraphs"] = paragraphs;
    return kit_.page(visit, "terms", 200, std::move(data));
}

}  // namespace idpd::web
