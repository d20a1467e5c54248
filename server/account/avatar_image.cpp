#include "account/avatar_image.h"

#include <csetjmp>
#include <cstring>
#include <vector>

#include <jpeglib.h>
#include <png.h>
#include <webp/decode.h>

namespace idpd::account {
namespace {

bool starts_with(std::string_view bytes, std::string_view magic, std::size_t at = 0) {
    return bytes.size() >= at + magic.size() && bytes.substr(at, magic.size()) == magic;
}

std::expected<ImageType, ImageProblem> sniff(std::string_view bytes) {
    if (starts_with(bytes, "\x89PNG\r\n\x1a\n")) {
        return ImageType::png;
    }
    if (starts_with(bytes, "\xff\xd8\xff")) {
        return ImageType::jpeg;
    }
    if (starts_with(bytes, "RIFF") && starts_with(bytes, "WEBP", 8)) {
        return ImageType::webp;
    }
    return std::unexpected(ImageProblem::not_an_image);
}

// ---- PNG: libpng reads from memory; errors longjmp back to the setjmp in each function.

struct PngSource {
    std::string_view bytes;
    std::size_t at = 0;
};

void png_read_memory(png_structp png, png_bytep out, png_size_t length) {
    auto* source = static_cast<PngSource*>(png_get_io_ptr(png));
    if (source->bytes.size() - source->at < length) {
        png_error(png, "truncated");
    }
    std::memcpy(out, source->bytes.data() + source->at, length);
    source->at += length;
}

void png_quiet(png_structp, png_const_charp) {}

// Back to the setjmp in png_pass, without libpng's default message on stderr.
[[noreturn]] void png_fail(png_structp png, png_const_charp) {
    png_longjmp(png, 1);
}

// Reads the PNG's header; with `decode` (and an area within `max_pixels`), also every row into
// one row's buffer, sized from the header. False on any libpng error.
bool png_pass(std::string_view bytes, ImageInfo& info, bool decode, std::uint64_t max_pixels) {
    PngSource source{bytes};
    png_structp png = png_create_read_struct(PNG_LIBPNG_VER_STRING, nullptr, png_fail, png_quiet);
    if (png == nullptr) {
        return false;
    }
    png_infop header = png_create_info_struct(png);
    if (header == nullptr) {
        png_destroy_read_struct(&png, nullptr, nullptr);
        return false;
    }
    std::vector<png_byte> row;
    // C11 7.13.1.1: setjmp only as the whole controlling expression (or compared to a constant).
    if (setjmp(png_jmpbuf(png)) != 0) {
        png_destroy_read_struct(&png, &header, nullptr);
        return false;
    }
    png_set_read_fn(png, &source, png_read_memory);
    png_read_info(png, header);
    info.width = png_get_image_width(png, header);
    info.height = png_get_image_height(png, header);
    if (decode && static_cast<std::uint64_t>(info.width) * info.height <= max_pixels) {
        const int passes = png_set_interlace_handling(png);
        png_read_update_info(png, header);
        row.resize(png_get_rowbytes(png, header));
        for (int pass = 0; pass < passes; ++pass) {
            for (png_uint_32 y = 0; y < info.height; ++y) {
                png_read_row(png, row.data(), nullptr);
            }
        }
        png_read_end(png, nullptr);
    }
    png_destroy_read_struct(&png, &header, nullptr);
    return true;
}

// ---- JPEG: libjpeg's error_exit longjmps back instead of exiting the process.

struct JpegError {
    jpeg_error_mgr manager;
    std::jmp_buf jump;
};

void jpeg_fail(j_common_ptr cinfo) {
    std::longjmp(reinterpret_cast<JpegError*>(cinfo->err)->jump, 1);
}

// A warning (level -1) means corrupt or truncated data that libjpeg would paper over (a fake
// end of image, a bad Huffman code): for a strict validation it is a failure too.
void jpeg_warning(j_common_ptr cinfo, int level) {
    if (level < 0) {
        std::longjmp(reinterpret_cast<JpegError*>(cinfo->err)->jump, 1);
    }
}

bool jpeg_pass(std::string_view bytes, ImageInfo& info, bool decode, std::uint64_t max_pixels) {
    jpeg_decompress_struct cinfo{};
    JpegError error{};
    cinfo.err = jpeg_std_error(&error.manager);
    error.manager.error_exit = jpeg_fail;
    error.manager.emit_message = jpeg_warning;
    std::vector<JSAMPLE> row;
    if (setjmp(error.jump) != 0) {
        jpeg_destroy_decompress(&cinfo);
        return false;
    }
    jpeg_create_decompress(&cinfo);
    jpeg_mem_src(&cinfo, reinterpret_cast<const unsigned char*>(bytes.data()),
                 static_cast<unsigned long>(bytes.size()));
    jpeg_read_header(&cinfo, TRUE);
    info.width = cinfo.image_width;
    info.height = cinfo.image_height;
    if (decode && static_cast<std::uint64_t>(info.width) * info.height <= max_pixels) {
        jpeg_start_decompress(&cinfo);
        row.resize(static_cast<std::size_t>(cinfo.output_width) * cinfo.output_components);
        JSAMPROW rows[1] = {row.data()};
        while (cinfo.output_scanline < cinfo.output_height) {
            jpeg_read_scanlines(&cinfo, rows, 1);
        }
        jpeg_finish_decompress(&cinfo);
    }
    jpeg_destroy_decompress(&cinfo);
    return true;
}

// ---- WebP: the header through WebPGetFeatures; the data decoded scaled down to at most
// 64×64, so the whole bitstream is checked with a small output buffer.

bool webp_pass(std::string_view bytes, ImageInfo& info, bool decode, std::uint64_t max_pixels) {
    const auto* data = reinterpret_cast<const std::uint8_t*>(bytes.data());
    WebPDecoderConfig config;
    if (WebPInitDecoderConfig(&config) == 0 ||
        WebPGetFeatures(data, bytes.size(), &config.input) != VP8_STATUS_OK) {
        return false;
    }
    info.width = static_cast<std::uint32_t>(config.input.width);
    info.height = static_cast<std::uint32_t>(config.input.height);
    if (!decode || static_cast<std::uint64_t>(info.width) * info.height > max_pixels) {
        return true;
    }
    config.options.use_scaling = 1;
    config.options.scaled_width = std::min(config.input.width, 64);
    config.options.scaled_height = std::min(config.input.height, 64);
    config.output.colorspace = MODE_RGBA;
    const bool ok = WebPDecode(data, bytes.size(), &config) == VP8_STATUS_OK;
    WebPFreeDecBuffer(&config.output);
    return ok;
}

std::expected<ImageInfo, ImageProblem> run(std::string_view bytes, bool decode,
                                           std::uint64_t max_pixels) {
    auto type = sniff(bytes);
    if (!type) {
        return std::unexpected(type.error());
    }
    ImageInfo info;
    info.type = *type;
    bool ok = false;
    switch (*type) {
        case ImageType::png:
            ok = png_pass(bytes, info, decode, max_pixels);
            break;
        case ImageType::jpeg:
            ok = jpeg_pass(bytes, info, decode, max_pixels);
            break;
        case ImageType::webp:
            ok = webp_pass(bytes, info, decode, max_pixels);
            break;
    }
    if (!ok || info.width == 0 || info.height == 0) {
        return std::unexpected(ImageProblem::corrupt);
    }
    return info;
}

}  // namespace

std::string_view content_type(ImageType type) {
    switch (type) {
        case ImageType::png:
            return "image/png";
        case ImageType::jpeg:
            return "image/jpeg";
        case ImageType::webp:
            return "image/webp";
    }
    return "application/octet-stream";
}

std::string_view problem_name(ImageProblem problem) {
    switch (problem) {
        case ImageProblem::too_large:
            return "too_large";
        case ImageProblem::not_an_image:
            return "not_an_image";
        case ImageProblem::too_many_pixels:
            return "too_many_pixels";
        case ImageProblem::corrupt:
            return "corrupt";
    }
    return "corrupt";
}

std::expected<ImageInfo, ImageProblem> read_image_header(std::string_view bytes) {
    return run(bytes, false, 0);
}

std::expected<ImageInfo, ImageProblem> validate_image(std::string_view bytes,
                                                      const ImageLimits& limits) {
    if (bytes.size() > limits.max_bytes) {
        return std::unexpected(ImageProblem::too_large);
    }
    auto header = read_image_header(bytes);
    if (!header) {
        return header;
    }
    if (static_cast<std::uint64_t>(header->width) * header->height > limits.max_pixels) {
        return std::unexpected(ImageProblem::too_many_pixels);
    }
    return run(bytes, true, limits.max_pixels);
}

}  // namespace idpd::account
