// auth/totp and auth/qr_svg: RFC 4226 and RFC 6238 test vectors, the ±1 window, base32
// (RFC 4648 §10), the otpauth URI; cross-checked against oathtool (an independent TOTP
// generator) and zbarimg (an independent QR decoder). Both tools are required: a missing one
// fails the test (scripts/install-deps.sh --test installs them).
#include "auth/totp.h"

#include <array>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <regex>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <unistd.h>

#include "auth/qr_svg.h"

namespace idpd::auth {
namespace {

using std::chrono::seconds;
using std::chrono::sys_seconds;

// RFC 4226 Appendix D and RFC 6238 Appendix B: the ASCII key "12345678901234567890".
const std::string rfc_secret = "12345678901234567890";

sys_seconds at(std::int64_t t) {
    return sys_seconds{seconds{t}};
}

class FixedRandom final : public RandomSource {
public:
    void fill(std::span<std::uint8_t> out) override {
        for (auto& byte : out) {
            byte = next_;
            next_ = static_cast<std::uint8_t>(next_ * 7 + 3);
        }
    }

private:
    std::uint8_t next_ = 0x5a;
};

struct Ran {
    int status = -1;
    std::string out;
};

// Runs `command` through the shell and captures its stdout.
Ran run(const std::string& command) {
    Ran ran;
    FILE* pipe = ::popen(command.c_str(), "r");
    if (pipe == nullptr) {
        return ran;
    }
    std::array<char, 4096> buffer{};
    std::size_t n = 0;
    while ((n = std::fread(buffer.data(), 1, buffer.size(), pipe)) > 0) {
        ran.out.append(buffer.data(), n);
    }
    ran.status = ::pclose(pipe);
    return ran;
}

bool has_tool(const std::string& name) {
    return run("command -v " + name + " >/dev/null 2>&1").status == 0;
}

std::string trimmed(std::string text) {
    while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) {
        text.pop_back();
    }
    return text;
}

TEST(Hotp, MatchesRfc4226AppendixD) {
    const std::vector<std::string> expected{"755224", "287082", "359152", "969429", "338314",
                                            "254676", "287922", "162583", "399871", "520489"};
    for (std::uint64_t counter = 0; counter < expected.size(); ++counter) {
        EXPECT_EQ(hotp(rfc_secret, counter), expected[counter]) << "counter " << counter;
    }
}

TEST(Totp, MatchesRfc6238AppendixBForSha1InEightAndSixDigits) {
    struct Vector {
        std::int64_t time;
        std::int64_t step;
        std::string code;
    };

    const std::vector<Vector> table{{59, 0x1, "94287082"},
                                    {1111111109, 0x23523EC, "07081804"},
                                    {1111111111, 0x23523ED, "14050471"},
                                    {1234567890, 0x273EF07, "89005924"},
                                    {2000000000, 0x3F940AA, "69279037"},
                                    {20000000000, 0x27BC86AA, "65353130"}};
    for (const auto& v : table) {
        EXPECT_EQ(totp_step(at(v.time)), v.step) << v.time;
        EXPECT_EQ(totp(rfc_secret, at(v.time), 8), v.code) << v.time;
        // Six digits are the same value modulo 10^6: the last six of the eight.
        EXPECT_EQ(totp(rfc_secret, at(v.time)), v.code.substr(2)) << v.time;
    }
}

TEST(Totp, StepsAreFlooredFromTheEpoch) {
    EXPECT_EQ(totp_step(at(0)), 0);
    EXPECT_EQ(totp_step(at(29)), 0);
    EXPECT_EQ(totp_step(at(30)), 1);
    EXPECT_EQ(totp_step(at(-1)), -1);
}

TEST(Totp, AcceptsOneStepEitherSideAndNothingFurther) {
    const auto now = at(1'700'000'015);
    const std::int64_t step = totp_step(now);
    for (int offset = -3; offset <= 3; ++offset) {
        const std::string code = hotp(rfc_secret, static_cast<std::uint64_t>(step + offset));
        const auto matched = match_totp(rfc_secret, code, now);
        if (offset >= -1 && offset <= 1) {
            ASSERT_TRUE(matched) << offset;
            EXPECT_EQ(*matched, step + offset);
        } else {
            EXPECT_FALSE(matched) << offset;
        }
    }
}

TEST(Totp, WindowEdgesFollowTheClockToTheSecond) {
    // A code of step s is good from the start of s − 1 to the end of s + 1.
    const std::string code = totp(rfc_secret, at(3000));   // step 100
    EXPECT_FALSE(match_totp(rfc_secret, code, at(2969)));  // step 98
    EXPECT_TRUE(match_totp(rfc_secret, code, at(2970)));   // step 99
    EXPECT_TRUE(match_totp(rfc_secret, code, at(3059)));   // step 101
    EXPECT_FALSE(match_totp(rfc_secret, code, at(3060)));  // step 102
}

TEST(Totp, SkipsStepsAlreadyUsed) {
    const auto now = at(1'700'000'015);
    const std::int64_t step = totp_step(now);
    const std::string code = totp(rfc_secret, now);
    EXPECT_EQ(match_totp(rfc_secret, code, now, step - 1), step);
    EXPECT_FALSE(match_totp(rfc_secret, code, now, step));
    const std::string next = hotp(rfc_secret, static_cast<std::uint64_t>(step + 1));
    EXPECT_EQ(match_totp(rfc_secret, next, now, step), step + 1);
}

TEST(Totp, RefusesMalformedCodes) {
    const auto now = at(1'700'000'015);
    const std::string code = totp(rfc_secret, now);
    EXPECT_FALSE(match_totp(rfc_secret, "", now));
    EXPECT_FALSE(match_totp(rfc_secret, code.substr(0, 5), now));
    EXPECT_FALSE(match_totp(rfc_secret, code + "0", now));
    std::string spaced = code;
    spaced[0] = ' ';
    EXPECT_FALSE(match_totp(rfc_secret, spaced, now));
    EXPECT_FALSE(match_totp(rfc_secret, totp(rfc_secret, now, 8), now));
    EXPECT_FALSE(match_totp("another secret......", code, now));
}

TEST(Totp, ComparesInConstantTimeOnlyEqualStrings) {
    EXPECT_TRUE(constant_time_equal("123456", "123456"));
    EXPECT_FALSE(constant_time_equal("123456", "123457"));
    EXPECT_FALSE(constant_time_equal("123456", "12345"));
    EXPECT_TRUE(constant_time_equal("", ""));
}

TEST(Totp, SecretsAre160BitsFromTheInjectedSource) {
    FixedRandom a;
    FixedRandom b;
    const std::string secret = generate_totp_secret(a);
    EXPECT_EQ(secret.size(), 20U);
    EXPECT_EQ(secret, generate_totp_secret(b));
    EXPECT_NE(secret, generate_totp_secret(a));
    EXPECT_EQ(base32_encode(secret).size(), 32U);
}

TEST(Base32, MatchesRfc4648Section10WithoutPadding) {
    const std::vector<std::pair<std::string, std::string>> vectors{{"", ""},
                                                                   {"f", "MY======"},
                                                                   {"fo", "MZXQ===="},
                                                                   {"foo", "MZXW6==="},
                                                                   {"foob", "MZXW6YQ="},
                                                                   {"fooba", "MZXW6YTB"},
                                                                   {"foobar", "MZXW6YTBOI======"}};
    for (const auto& [plain, padded] : vectors) {
        const std::string bare = padded.substr(0, padded.find('='));
        EXPECT_EQ(base32_encode(plain), bare);
        EXPECT_EQ(base32_decode(bare), plain);
        EXPECT_EQ(base32_decode(padded), plain);
    }
    EXPECT_EQ(base32_decode("mzxw6ytboi"), "foobar");
}

TEST(Base32, RoundTripsEveryLength) {
    std::string bytes;
    for (int i = 0; i < 64; ++i) {
        EXPECT_EQ(base32_decode(base32_encode(bytes)), bytes) << i;
        bytes.push_back(static_cast<char>(i * 37 + 11));
    }
}

TEST(Base32, RefusesWhatIsNotBase32) {
    EXPECT_FALSE(base32_decode("MZXW6YT1"));   // 1 is not in the alphabet
    EXPECT_FALSE(base32_decode("MZXW 6YTB"));  // no spaces
    EXPECT_FALSE(base32_decode("M"));          // 1, 3 or 6 characters cannot end a group
    EXPECT_FALSE(base32_decode("MZX"));
    EXPECT_FALSE(base32_decode("MZXW6Y"));
    EXPECT_FALSE(base32_decode("MZ"));  // "MY" is "f"; "MZ" has a stray low bit
    EXPECT_FALSE(base32_decode("MZXW6===X"));
}

TEST(OtpauthUri, FollowsTheKeyUriFormatWithEncodedLabelAndIssuer) {
    EXPECT_EQ(otpauth_uri("idpd", "alice", rfc_secret),
              "otpauth://totp/idpd:alice?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=idpd"
              "&algorithm=SHA1&digits=6&period=30");
    EXPECT_EQ(otpauth_uri("Example Co", "张三@x.cn", "f"),
              "otpauth://totp/Example%20Co:%E5%BC%A0%E4%B8%89%40x.cn?secret=MY"
              "&issuer=Example%20Co&algorithm=SHA1&digits=6&period=30");
    EXPECT_EQ(otpauth_uri("a:b&c", "d?e", "f"),
              "otpauth://totp/a%3Ab%26c:d%3Fe?secret=MY&issuer=a%3Ab%26c"
              "&algorithm=SHA1&digits=6&period=30");
}

TEST(Totp, AcceptsTheCodesOathtoolPrintsForOurSecret) {
    ASSERT_TRUE(has_tool("oathtool"))
        << "oathtool is missing: run scripts/install-deps.sh --test (Debian package oathtool)";
    FixedRandom random;
    const std::string secret = generate_totp_secret(random);
    const std::string b32 = base32_encode(secret);

    struct Fixed {
        std::string utc;
        std::int64_t epoch;
    };

    const std::vector<Fixed> times{{"2023-11-14 22:13:20 UTC", 1'700'000'000},
                                   {"2023-11-14 22:13:49 UTC", 1'700'000'029},
                                   {"2033-05-18 03:33:20 UTC", 2'000'000'000},
                                   {"2009-02-13 23:31:30 UTC", 1'234'567'890}};
    for (const auto& t : times) {
        const Ran ran = run("oathtool --totp -b " + b32 + " --now \"" + t.utc + "\"");
        ASSERT_EQ(ran.status, 0) << "oathtool failed at " << t.utc;
        const std::string code = trimmed(ran.out);
        EXPECT_EQ(code, totp(secret, at(t.epoch))) << t.utc;
        EXPECT_EQ(match_totp(secret, code, at(t.epoch)), totp_step(at(t.epoch))) << t.utc;
        // The code oathtool shows now is still good 30 s later (one step of drift), not 60 s.
        EXPECT_TRUE(match_totp(secret, code, at(t.epoch + 30))) << t.utc;
        EXPECT_FALSE(match_totp(secret, code, at(t.epoch + 60))) << t.utc;
    }
}

TEST(QrSvg, IsOnePathOfUnitSquaresWithAQuietZoneAndNothingActive) {
    const std::string uri = otpauth_uri("idpd", "alice", rfc_secret);
    const auto svg = qr_svg(uri);
    ASSERT_TRUE(svg) << svg.error().message;
    std::smatch m;
    ASSERT_TRUE(std::regex_search(*svg, m, std::regex("viewBox=\"0 0 (\\d+) (\\d+)\"")));
    const int size = std::stoi(m[1]);
    EXPECT_EQ(m[1], m[2]);
    // Versions are 21 + 4k modules wide, plus 4 quiet modules each side.
    EXPECT_EQ((size - 8 - 21) % 4, 0) << size;
    EXPECT_TRUE(svg->starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\" "));
    const auto count = [&](const std::string& needle) {
        std::size_t n = 0;
        for (auto at = svg->find(needle); at != std::string::npos; at = svg->find(needle, at + 1)) {
            ++n;
        }
        return n;
    };
    EXPECT_EQ(count("<path"), 1U);
    EXPECT_EQ(count("<"), 4U);  // <svg>, <rect/>, <path/>, </svg>
    EXPECT_EQ(count("script"), 0U);
    EXPECT_EQ(count("href"), 0U);
    EXPECT_EQ(count("url("), 0U);
    EXPECT_EQ(count("http"), 1U);  // the SVG namespace only
    ASSERT_TRUE(std::regex_search(*svg, m, std::regex(" d=\"([^\"]*)\"")));
    const std::string d = m[1];
    EXPECT_TRUE(std::regex_match(d, std::regex("(M\\d+ \\d+h1v1h-1z)+")));
    // Every square lies inside the code, none in the quiet zone.
    const std::regex square("M(\\d+) (\\d+)");
    for (auto it = std::sregex_iterator(d.begin(), d.end(), square); it != std::sregex_iterator();
         ++it) {
        const int x = std::stoi((*it)[1]);
        const int y = std::stoi((*it)[2]);
        ASSERT_TRUE(x >= 4 && y >= 4 && x < size - 4 && y < size - 4) << x << "," << y;
    }
    // The top-left finder pattern: a full dark row of 7 modules at (4, 4).
    for (int x = 4; x < 11; ++x) {
        std::string corner = "M";
        corner += std::to_string(x);
        corner += " 4h";
        EXPECT_NE(d.find(corner), std::string::npos) << x;
    }
}

TEST(QrSvg, DecodesWithZbarimgToExactlyOurUri) {
    ASSERT_TRUE(has_tool("rsvg-convert"))
        << "rsvg-convert is missing: run scripts/install-deps.sh --test (librsvg2-bin)";
    ASSERT_TRUE(has_tool("zbarimg"))
        << "zbarimg is missing: run scripts/install-deps.sh --test (zbar-tools)";
    FixedRandom random;
    const auto dir =
        std::filesystem::temp_directory_path() / ("idpd-qr-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    const std::vector<std::string> uris{
        otpauth_uri("idpd", "alice", generate_totp_secret(random)),
        otpauth_uri("Example Co", "张三@example.cn", generate_totp_secret(random))};
    for (std::size_t i = 0; i < uris.size(); ++i) {
        const auto svg = qr_svg(uris[i]);
        ASSERT_TRUE(svg) << svg.error().message;
        const auto svg_path = dir / ("qr" + std::to_string(i) + ".svg");
        const auto png_path = dir / ("qr" + std::to_string(i) + ".png");
        std::ofstream(svg_path) << *svg;
        ASSERT_EQ(
            run("rsvg-convert -w 400 -h 400 -o " + png_path.string() + " " + svg_path.string())
                .status,
            0);
        const Ran decoded = run("zbarimg --quiet --raw " + png_path.string() + " 2>/dev/null");
        ASSERT_EQ(decoded.status, 0) << "zbarimg found no code in " << png_path;
        EXPECT_EQ(trimmed(decoded.out), uris[i]);
    }
    std::filesystem::remove_all(dir);
}

TEST(QrSvg, RefusesTextTooLongForAnyQrCode) {
    EXPECT_FALSE(qr_svg(std::string(4000, 'a')));
}

}  // namespace
}  // namespace idpd::auth
