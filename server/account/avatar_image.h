#pragma once

#include <cstddef>
#include <cstdint>
#include <expected>
#include <string_view>

namespace idpd::account {

// The image types an avatar may be (design.md §2: PNG, JPEG or WebP, strictly validated).
enum class ImageType { png, jpeg, webp };

// "image/png", "image/jpeg", "image/webp".
std::string_view content_type(ImageType type);

struct ImageInfo {
    ImageType type = ImageType::png;
    std::uint32_t width = 0;
    std::uint32_t height = 0;
};

// Why an upload is refused. The enumerator's name is the message key.
enum class ImageProblem {
    too_large,        // more bytes than allowed
    not_an_image,     // not PNG, JPEG or WebP by its signature
    too_many_pixels,  // the header declares a larger area than allowed (an image bomb)
    corrupt,          // the header or the pixel data does not decode
};

std::string_view problem_name(ImageProblem problem);

struct ImageLimits {
    std::size_t max_bytes = 1024 * 1024;
    std::uint64_t max_pixels = 4096ULL * 4096ULL;  // width × height
};

// The type and dimensions from the header alone, read with libpng, libjpeg(-turbo) or libwebp
// without decoding pixels: no allocation grows with the declared size.
std::expected<ImageInfo, ImageProblem> read_image_header(std::string_view bytes);

// The whole check of an upload: its size, its signature and header, the declared area against
// `limits` (before any pixel is decoded, so a small file declaring 60000×60000 costs nothing),
// then a full decode row by row (PNG, JPEG: one row of memory) or scaled down (WebP), so a file
// whose data is broken is refused too. The image is kept as uploaded (not re-encoded).
std::expected<ImageInfo, ImageProblem> validate_image(std::string_view bytes,
                                                      const ImageLimits& limits);

}  // namespace idpd::account
