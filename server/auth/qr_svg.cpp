#include "auth/qr_svg.h"

#include <cerrno>
#include <cstring>
#include <memory>

#include <qrencode.h>

namespace idpd::auth {
namespace {

constexpr int quiet_zone = 4;

struct QrcodeFree {
    void operator()(QRcode* code) const { QRcode_free(code); }
};

}  // namespace

Result<std::string> qr_svg(std::string_view text) {
    const std::string data(text);
    // QRencode_data, not QRencode_string: byte mode for the whole URI, no NUL-terminated
    // surprises and no mode switching that some readers mishandle.
    std::unique_ptr<QRcode, QrcodeFree> code(
        QRcode_encodeData(static_cast<int>(data.size()),
                          reinterpret_cast<const unsigned char*>(data.data()), 0, QR_ECLEVEL_M));
    if (!code) {
        return fail(std::string("QR encoding failed: ") + std::strerror(errno));
    }
    const int width = code->width;
    const int size = width + 2 * quiet_zone;
    const std::string n = std::to_string(size);
    std::string svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 " + n + " " + n +
                      "\" shape-rendering=\"crispEdges\"><rect width=\"" + n + "\" height=\"" + n +
                      "\" fill=\"#fff\"/><path fill=\"#000\" d=\"";
    for (int y = 0; y < width; ++y) {
        for (int x = 0; x < width; ++x) {
            // Bit 0 of each byte is the module's colour (1 = dark); the others describe its role.
            if ((code->data[y * width + x] & 1) != 0) {
                svg += 'M';
                svg += std::to_string(x + quiet_zone);
                svg += ' ';
                svg += std::to_string(y + quiet_zone);
                svg += "h1v1h-1z";
            }
        }
    }
    svg += "\"/></svg>\n";
    return svg;
}

}  // namespace idpd::auth
