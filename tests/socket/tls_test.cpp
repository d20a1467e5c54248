// HTTPS with a self-signed certificate, and swapping the certificate on SIGHUP without dropping
// anyone.
#include <chrono>
#include <filesystem>
#include <fstream>
#include <thread>

#include <gtest/gtest.h>
#include <httplib.h>

#include "socket/raw_client.h"
#include "socket/self_signed.h"
#include "socket/test_server.h"

namespace idpd::http::test {
namespace {

using std::chrono::milliseconds;
using std::chrono::steady_clock;

HttpResponse scheme(HttpRequest& request) {
    if (request.path == "/slow") {
        std::this_thread::sleep_for(milliseconds(300));
    }
    return HttpResponse::text(200, request.secure ? "https" : "http");
}

class Tls : public ::testing::Test {
protected:
    void SetUp() override {
        directory_ = make_temp_directory();
        files_ = write_self_signed(directory_ + "/server.crt", directory_ + "/server.key", "first");
    }

    void TearDown() override { std::filesystem::remove_all(directory_); }

    std::unique_ptr<PistacheServer> start_tls(ServerOptions options = loopback_options()) {
        options.tls = files_;
        return start_server(scheme, std::move(options));
    }

    std::string directory_;
    TlsFiles files_;
};

TEST_F(Tls, ServesHttpsWithASelfSignedCertificate) {
    auto server = start_tls();
    httplib::SSLClient client("127.0.0.1", server->port());
    client.enable_server_certificate_verification(false);

    auto response = client.Get("/");

    ASSERT_TRUE(response) << httplib::to_string(response.error());
    EXPECT_EQ(response->status, 200);
    EXPECT_EQ(response->body, "https");
    EXPECT_EQ(served_common_name(server->port()), "first");
}

TEST_F(Tls, LargeResponseArrivesWholeToASlowReader) {
    // More than the socket buffers hold: the rest is written as the client drains it.
    std::string large(8 * 1024 * 1024, 'x');
    for (std::size_t i = 0; i < large.size(); i += 4096) {
        large[i] = static_cast<char>('a' + (i / 4096) % 26);
    }
    auto options = loopback_options();
    options.tls = files_;
    auto server =
        start_server([&](HttpRequest&) { return HttpResponse::text(200, large); }, options);
    httplib::SSLClient client("127.0.0.1", server->port());
    client.enable_server_certificate_verification(false);
    client.set_keep_alive(true);

    std::string received;
    auto response = client.Get("/", [&](const char* data, std::size_t length) {
        received.append(data, length);
        if (received.size() < 1024 * 1024) {
            std::this_thread::sleep_for(milliseconds(1));  // let the server hit EAGAIN
        }
        return true;
    });
    auto again = client.Get("/");

    ASSERT_TRUE(response) << httplib::to_string(response.error());
    EXPECT_EQ(response->status, 200);
    EXPECT_TRUE(received == large);
    ASSERT_TRUE(again);
    EXPECT_TRUE(again->body == large);
}

TEST_F(Tls, ReloadServesTheNewCertificateToNewConnections) {
    auto server = start_tls();
    ASSERT_EQ(served_common_name(server->port()), "first");

    write_self_signed(files_.cert_file, files_.key_file, "second");
    auto reloaded = server->reload_tls();

    ASSERT_TRUE(reloaded) << reloaded.error();
    EXPECT_EQ(served_common_name(server->port()), "second");
}

TEST_F(Tls, RequestInFlightDuringAReloadCompletes) {
    auto server = start_tls();
    std::thread reload([&] {
        std::this_thread::sleep_for(milliseconds(100));
        write_self_signed(files_.cert_file, files_.key_file, "second");
        EXPECT_TRUE(server->reload_tls());
    });
    httplib::SSLClient client("127.0.0.1", server->port());
    client.enable_server_certificate_verification(false);

    auto response = client.Get("/slow");
    reload.join();

    ASSERT_TRUE(response);
    EXPECT_EQ(response->status, 200);
    EXPECT_EQ(served_common_name(server->port()), "second");
}

TEST_F(Tls, BadCertificateFileIsRefusedAndTheOldOneStaysInUse) {
    auto server = start_tls();
    std::ofstream(files_.cert_file) << "-----BEGIN CERTIFICATE-----\nnot base64\n";

    auto reloaded = server->reload_tls();

    ASSERT_FALSE(reloaded);
    EXPECT_NE(reloaded.error().find(files_.cert_file), std::string::npos) << reloaded.error();
    EXPECT_EQ(served_common_name(server->port()), "first");
    httplib::SSLClient client("127.0.0.1", server->port());
    client.enable_server_certificate_verification(false);
    auto response = client.Get("/");
    ASSERT_TRUE(response);
    EXPECT_EQ(response->status, 200);
}

TEST_F(Tls, KeyNotMatchingTheCertificateIsRefused) {
    auto server = start_tls();
    auto other = write_self_signed(directory_ + "/other.crt", directory_ + "/other.key", "other");
    std::filesystem::copy_file(other.cert_file, files_.cert_file,
                               std::filesystem::copy_options::overwrite_existing);

    auto reloaded = server->reload_tls();

    ASSERT_FALSE(reloaded);
    EXPECT_NE(reloaded.error().find("is not the key of"), std::string::npos) << reloaded.error();
    EXPECT_EQ(served_common_name(server->port()), "first");
}

TEST_F(Tls, StartWithAMissingCertificateFails) {
    auto options = loopback_options();
    options.tls = TlsFiles{directory_ + "/missing.crt", files_.key_file};
    PistacheServer server(options, scheme);

    auto started = server.start();

    ASSERT_FALSE(started);
    EXPECT_NE(started.error().find("missing.crt"), std::string::npos) << started.error();
}

TEST_F(Tls, SilentClientDoesNotDelayOtherHandshakes) {
    // Pistache's own listener would handshake with it first, blocking everyone for 10 s.
    auto options = loopback_options();
    options.header_timeout = milliseconds(5000);
    auto server = start_tls(options);
    RawClient silent(server->port());  // connects, never says hello
    std::this_thread::sleep_for(milliseconds(50));

    auto started = steady_clock::now();
    httplib::SSLClient client("127.0.0.1", server->port());
    client.enable_server_certificate_verification(false);
    auto response = client.Get("/");
    auto waited = steady_clock::now() - started;

    ASSERT_TRUE(response) << httplib::to_string(response.error());
    EXPECT_EQ(response->status, 200);
    EXPECT_LT(waited, milliseconds(1000));
}

TEST_F(Tls, SilentClientIsDroppedAfterHeaderTimeout) {
    auto options = loopback_options();
    options.header_timeout = milliseconds(300);
    auto server = start_tls(options);
    RawClient silent(server->port());

    auto started = steady_clock::now();
    bool closed = silent.closed_within(milliseconds(3000));

    EXPECT_TRUE(closed);
    EXPECT_GE(steady_clock::now() - started, milliseconds(250));
}

TEST_F(Tls, PlainHttpOnTheHttpsPortIsDropped) {
    auto server = start_tls();
    RawClient client(server->port());

    client.send("GET / HTTP/1.1\r\nHost: test\r\n\r\n");

    EXPECT_TRUE(client.closed_within(milliseconds(2000)));
}

}  // namespace
}  // namespace idpd::http::test
