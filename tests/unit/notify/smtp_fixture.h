// A real SMTP server (tests/fakes/smtp_server.py, aiosmtpd) on loopback, and what it received.
#pragma once

#include <chrono>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "support/process.h"

namespace idpd::notify::test {

inline std::filesystem::path fresh_dir(const std::string& name) {
    auto dir = std::filesystem::temp_directory_path() /
               ("idpd-notify-" + std::to_string(::getpid()) + "-" + name);
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    return dir;
}

// Runs a command line; true when it exited 0.
inline bool run(const std::string& command) {
    return std::system(command.c_str()) == 0;  // NOLINT(cert-env33-c): fixed test commands
}

struct Received {
    std::string raw;      // the DATA as the server got it
    nlohmann::json meta;  // mail_from, rcpt_tos, tls, auth
    // Decoded independently by Python's email package: subject, from, to, text, html.
    nlohmann::json decoded;
};

class SmtpServer {
public:
    struct Options {
        bool starttls = false;
        std::string auth;  // "user:password": AUTH required
    };

    SmtpServer(const std::filesystem::path& dir, Options options) : dir_(dir) {
        cert_ = (dir / "cert.pem").string();
        std::filesystem::create_directories(dir / "mail");
        std::vector<std::string> argv{"/usr/bin/python3",
                                      std::string(IDPD_SOURCE_DIR) + "/tests/fakes/smtp_server.py",
                                      "--dir", (dir / "mail").string()};
        if (options.starttls) {
            const std::string key = (dir / "key.pem").string();
            EXPECT_TRUE(
                run("openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes "
                    "-days 1 -subj /CN=127.0.0.1 -addext subjectAltName=IP:127.0.0.1 "
                    "-keyout " +
                    key + " -out " + cert_ + " 2>/dev/null"));
            argv.insert(argv.end(), {"--starttls", cert_, key});
        }
        if (!options.auth.empty()) {
            argv.insert(argv.end(), {"--auth", options.auth});
        }
        process_ = std::make_unique<testing_support::Process>(
            argv, std::map<std::string, std::string>{}, dir);
        if (!process_->wait_for_output("\n", std::chrono::seconds(20))) {
            ADD_FAILURE() << "the SMTP fake did not start: " << process_->err();
            return;
        }
        port_ = std::stoi(process_->out().substr(5));
    }

    ~SmtpServer() {
        process_->signal(SIGTERM);
        process_->wait(std::chrono::seconds(10));
    }

    std::string url() const { return "smtp://127.0.0.1:" + std::to_string(port_); }

    const std::string& cert_file() const { return cert_; }

    // The messages received so far, oldest first.
    std::vector<Received> received() const {
        std::vector<std::filesystem::path> files;
        for (const auto& entry : std::filesystem::directory_iterator(dir_ / "mail")) {
            if (entry.path().extension() == ".eml") {
                files.push_back(entry.path());
            }
        }
        std::sort(files.begin(), files.end());
        std::vector<Received> all;
        for (const auto& eml : files) {
            Received r;
            std::ifstream raw(eml, std::ios::binary);
            r.raw.assign(std::istreambuf_iterator<char>(raw), {});
            auto meta = eml;
            r.meta = nlohmann::json::parse(std::ifstream(meta.replace_extension(".json")));
            r.decoded = decode(eml);
            all.push_back(std::move(r));
        }
        return all;
    }

    // Waits up to `limit` for `count` messages.
    std::vector<Received> wait_for(std::size_t count, std::chrono::seconds limit) const {
        auto deadline = std::chrono::steady_clock::now() + limit;
        auto got = received();
        while (got.size() < count && std::chrono::steady_clock::now() < deadline) {
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
            got = received();
        }
        return got;
    }

private:
    nlohmann::json decode(const std::filesystem::path& eml) const {
        const auto out = dir_ / "decoded.json";
        const std::string script =
            "import email, email.policy, json, sys\n"
            "m = email.message_from_binary_file(open(sys.argv[1], 'rb'), "
            "policy=email.policy.default)\n"
            "html = m.get_body(('html',))\n"
            "json.dump({'subject': str(m['subject']), 'from': str(m['from']), "
            "'to': str(m['to']), 'date': str(m['date']), 'message_id': str(m['message-id']), "
            "'text': m.get_body(('plain',)).get_content(), "
            "'html': html.get_content() if html else None, "
            "'multipart': m.is_multipart()}, open(sys.argv[2], 'w'))\n";
        std::ofstream(dir_ / "decode.py") << script;
        EXPECT_TRUE(run("/usr/bin/python3 " + (dir_ / "decode.py").string() + " " + eml.string() +
                        " " + out.string()));
        return nlohmann::json::parse(std::ifstream(out));
    }

    std::filesystem::path dir_;
    std::string cert_;
    std::unique_ptr<testing_support::Process> process_;
    int port_ = 0;
};

}  // namespace idpd::notify::test
