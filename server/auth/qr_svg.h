#pragma once

#include <string>
#include <string_view>

#include "auth/error.h"

namespace idpd::auth {

// `text` (an otpauth:// URI) as a QR code in an SVG document, rendered on the server with
// libqrencode: byte mode, error correction M, the smallest version that fits, a quiet zone of
// 4 modules (ISO/IEC 18004 §6.3.8). One module is one user unit: viewBox "0 0 n n", a white
// background <rect> and one black <path> made of unit squares. No script, no external
// reference, no width or height (the page's CSS sizes it). Errors: text too long for a QR
// code, or libqrencode out of memory.
Result<std::string> qr_svg(std::string_view text);

}  // namespace idpd::auth
