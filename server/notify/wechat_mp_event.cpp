#include "notify/wechat_mp_event.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <memory>

#include <expat.h>
#include <openssl/crypto.h>
#include <openssl/sha.h>

namespace idpd::notify {
namespace {

constexpr std::size_t max_xml_bytes = 64 * 1024;

std::string hex(const unsigned char* bytes, std::size_t n) {
    static constexpr char digits[] = "0123456789abcdef";
    std::string out;
    for (std::size_t i = 0; i < n; ++i) {
        out.push_back(digits[bytes[i] >> 4]);
        out.push_back(digits[bytes[i] & 0xf]);
    }
    return out;
}

// What the handlers collect while expat reads.
struct ParseState {
    XML_Parser parser = nullptr;
    int depth = 0;
    std::string field;  // the child of <xml> being read
    std::string text;
    MpEvent event;
    std::string problem;
};

void fail(ParseState& s, std::string problem) {
    if (s.problem.empty()) {
        s.problem = std::move(problem);
    }
    XML_StopParser(s.parser, XML_FALSE);
}

void XMLCALL on_start(void* data, const XML_Char* name, const XML_Char**) {
    auto& s = *static_cast<ParseState*>(data);
    ++s.depth;
    if (s.depth == 1 && std::string_view(name) != "xml") {
        return fail(s, "the root element is not <xml>");
    }
    if (s.depth == 2) {
        s.field = name;
        s.text.clear();
    }
    if (s.depth > 2) {
        return fail(s, "nested element in <" + s.field + ">");
    }
}

void store_field(ParseState& s) {
    MpEvent& e = s.event;
    if (s.field == "ToUserName") {
        e.to_user = s.text;
    } else if (s.field == "FromUserName") {
        e.from_user = s.text;
    } else if (s.field == "MsgType") {
        e.msg_type = s.text;
    } else if (s.field == "Event") {
        e.event = s.text;
    } else if (s.field == "EventKey") {
        e.event_key = s.text;
    } else if (s.field == "CreateTime") {
        auto [end, ec] =
            std::from_chars(s.text.data(), s.text.data() + s.text.size(), e.create_time);
        if (ec != std::errc{} || end != s.text.data() + s.text.size()) {
            fail(s, "CreateTime is not a number");
        }
    }
}

void XMLCALL on_end(void* data, const XML_Char*) {
    auto& s = *static_cast<ParseState*>(data);
    if (s.depth == 2) {
        store_field(s);
    }
    --s.depth;
}

void XMLCALL on_text(void* data, const XML_Char* text, int len) {
    auto& s = *static_cast<ParseState*>(data);
    if (s.depth == 2) {
        s.text.append(text, static_cast<std::size_t>(len));
    }
}

// No DOCTYPE at all: no entity can be declared, so none can expand (billion laughs) or be
// fetched (XXE).
void XMLCALL on_doctype(void* data, const XML_Char*, const XML_Char*, const XML_Char*, int) {
    fail(*static_cast<ParseState*>(data), "a DOCTYPE is refused");
}

}  // namespace

bool valid_callback_signature(std::string_view token, std::string_view timestamp,
                              std::string_view nonce, std::string_view signature) {
    if (token.empty() || signature.size() != 2 * SHA_DIGEST_LENGTH) {
        return false;
    }
    std::array<std::string_view, 3> parts{token, timestamp, nonce};
    std::sort(parts.begin(), parts.end());
    const std::string joined =
        std::string(parts[0]) + std::string(parts[1]) + std::string(parts[2]);
    unsigned char digest[SHA_DIGEST_LENGTH];
    SHA1(reinterpret_cast<const unsigned char*>(joined.data()), joined.size(), digest);
    std::string expected = hex(digest, SHA_DIGEST_LENGTH);
    std::string given(signature);
    std::transform(given.begin(), given.end(), given.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return CRYPTO_memcmp(expected.data(), given.data(), expected.size()) == 0;
}

std::expected<MpEvent, std::string> parse_mp_event(std::string_view xml) {
    if (xml.size() > max_xml_bytes) {
        return std::unexpected("the message is larger than 64 KiB");
    }
    std::unique_ptr<std::remove_pointer_t<XML_Parser>, decltype(&XML_ParserFree)> parser(
        XML_ParserCreate("UTF-8"), &XML_ParserFree);
    if (!parser) {
        return std::unexpected("out of memory");
    }
    ParseState state;
    state.parser = parser.get();
    XML_SetUserData(parser.get(), &state);
    XML_SetElementHandler(parser.get(), on_start, on_end);
    XML_SetCharacterDataHandler(parser.get(), on_text);
    XML_SetStartDoctypeDeclHandler(parser.get(), on_doctype);
    XML_SetParamEntityParsing(parser.get(), XML_PARAM_ENTITY_PARSING_NEVER);
    const auto status = XML_Parse(parser.get(), xml.data(), static_cast<int>(xml.size()), XML_TRUE);
    if (!state.problem.empty()) {
        return std::unexpected(state.problem);
    }
    if (status != XML_STATUS_OK) {
        return std::unexpected(std::string("malformed XML: ") +
                               XML_ErrorString(XML_GetErrorCode(parser.get())));
    }
    if (state.event.from_user.empty() || state.event.msg_type.empty()) {
        return std::unexpected("FromUserName or MsgType is missing");
    }
    return state.event;
}

}  // namespace idpd::notify
