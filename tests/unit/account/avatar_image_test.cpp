// The avatar validator with real encoders (libpng, libjpeg, libwebp) and crafted headers: image
// bombs are refused from their header, before any pixel is decoded.
#include "account/avatar_image.h"

#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <jpeglib.h>
#include <png.h>
#include <webp/encode.h>

namespace idpd::account {
namespace {

std::string png_of(std::uint32_t width, std::uint32_t height) {
    std::string out;
    png_image image{};
    image.version = PNG_IMAGE_VERSION;
    image.width = width;
    image.height = height;
    image.format = PNG_FORMAT_RGB;
    std::vector<std::uint8_t> pixels(static_cast<std::size_t>(width) * height * 3, 0x80);
    png_alloc_size_t size = 0;
    png_image_write_to_memory(&image, nullptr, &size, 0, pixels.data(), 0, nullptr);
    out.resize(size);
    EXPECT_NE(png_image_write_to_memory(&image, out.data(), &size, 0, pixels.data(), 0, nullptr),
              0);
    out.resize(size);
    return out;
}

std::string jpeg_of(std::uint32_t width, std::uint32_t height) {
    jpeg_compress_struct cinfo{};
    jpeg_error_mgr error{};
    cinfo.err = jpeg_std_error(&error);
    jpeg_create_compress(&cinfo);
    unsigned char* buffer = nullptr;
    unsigned long size = 0;
    jpeg_mem_dest(&cinfo, &buffer, &size);
    cinfo.image_width = width;
    cinfo.image_height = height;
    cinfo.input_components = 3;
    cinfo.in_color_space = JCS_RGB;
    jpeg_set_defaults(&cinfo);
    jpeg_start_compress(&cinfo, TRUE);
    std::vector<JSAMPLE> row(static_cast<std::size_t>(width) * 3, 0x40);
    JSAMPROW rows[1] = {row.data()};
    while (cinfo.next_scanline < cinfo.image_height) {
        jpeg_write_scanlines(&cinfo, rows, 1);
    }
    jpeg_finish_compress(&cinfo);
    std::string out(reinterpret_cast<char*>(buffer), size);
    jpeg_destroy_compress(&cinfo);
    std::free(buffer);
    return out;
}

std::string webp_of(int width, int height) {
    std::vector<std::uint8_t> pixels(static_cast<std::size_t>(width) * height * 4, 0xc0);
    std::uint8_t* out = nullptr;
    const std::size_t size = WebPEncodeLosslessRGBA(pixels.data(), width, height, width * 4, &out);
    std::string bytes(reinterpret_cast<char*>(out), size);
    WebPFree(out);
    return bytes;
}

// CRC-32 (ISO-HDLC), as PNG chunks carry it.
std::uint32_t crc32_of(const std::string& bytes) {
    std::uint32_t crc = 0xffffffffU;
    for (unsigned char c : bytes) {
        crc ^= c;
        for (int k = 0; k < 8; ++k) {
            crc = (crc >> 1) ^ (0xedb88320U & (0U - (crc & 1U)));
        }
    }
    return ~crc;
}

void put_be32(std::string& bytes, std::size_t at, std::uint32_t value) {
    for (int i = 0; i < 4; ++i) {
        bytes[at + i] = static_cast<char>((value >> (24 - 8 * i)) & 0xff);
    }
}

// A real PNG whose IHDR now declares width × height, with a correct CRC: only the header lies.
std::string png_declaring(std::uint32_t width, std::uint32_t height) {
    std::string bytes = png_of(4, 4);
    put_be32(bytes, 16, width);  // signature 8, length 4, "IHDR" 4
    put_be32(bytes, 20, height);
    put_be32(bytes, 29, crc32_of(bytes.substr(12, 17)));
    return bytes;
}

const ImageLimits limits{};  // 1 MiB, 16 Mpx

TEST(AvatarImage, RealPngJpegAndWebpPassWithTheirDimensions) {
    auto png = validate_image(png_of(64, 48), limits);
    ASSERT_TRUE(png);
    EXPECT_EQ(png->type, ImageType::png);
    EXPECT_EQ(png->width, 64u);
    EXPECT_EQ(png->height, 48u);
    auto jpeg = validate_image(jpeg_of(40, 30), limits);
    ASSERT_TRUE(jpeg);
    EXPECT_EQ(jpeg->type, ImageType::jpeg);
    EXPECT_EQ(jpeg->width, 40u);
    auto webp = validate_image(webp_of(20, 10), limits);
    ASSERT_TRUE(webp);
    EXPECT_EQ(webp->type, ImageType::webp);
    EXPECT_EQ(webp->height, 10u);
    EXPECT_EQ(content_type(webp->type), "image/webp");
}

TEST(AvatarImage, APngDeclaringAHugeAreaIsRefusedFromItsHeader) {
    const std::string bomb = png_declaring(50000, 50000);
    auto header = read_image_header(bomb);
    ASSERT_TRUE(header);
    EXPECT_EQ(header->width, 50000u);
    auto checked = validate_image(bomb, limits);
    ASSERT_FALSE(checked);
    EXPECT_EQ(checked.error(), ImageProblem::too_many_pixels);
    // Within the area but lying about the data: the decode finds it.
    auto liar = validate_image(png_declaring(300, 300), limits);
    ASSERT_FALSE(liar);
    EXPECT_EQ(liar.error(), ImageProblem::corrupt);
}

TEST(AvatarImage, AJpegDeclaringAHugeAreaIsRefusedFromItsHeader) {
    std::string bytes = jpeg_of(8, 8);
    // The SOF0 marker (FF C0): length 2, precision 1, then height and width, big-endian.
    const auto sof = bytes.find("\xff\xc0");
    ASSERT_NE(sof, std::string::npos);
    bytes[sof + 5] = bytes[sof + 6] = static_cast<char>(0xea);  // height 60138
    bytes[sof + 7] = bytes[sof + 8] = static_cast<char>(0xea);  // width 60138
    auto checked = validate_image(bytes, limits);
    ASSERT_FALSE(checked);
    EXPECT_EQ(checked.error(), ImageProblem::too_many_pixels);
}

TEST(AvatarImage, AWebpDeclaringAHugeAreaIsRefusedFromItsHeader) {
    std::string bytes = webp_of(8, 8);
    ASSERT_EQ(bytes.substr(12, 4), "VP8L");
    ASSERT_EQ(static_cast<unsigned char>(bytes[20]), 0x2f);
    // VP8L: 14 bits width-1, 14 bits height-1, alpha, version; all 16384 × 16384.
    std::uint32_t bits = static_cast<std::uint8_t>(bytes[21]) |
                         (static_cast<std::uint8_t>(bytes[22]) << 8) |
                         (static_cast<std::uint8_t>(bytes[23]) << 16) |
                         (static_cast<std::uint32_t>(static_cast<std::uint8_t>(bytes[24])) << 24);
    bits = (bits & 0xf0000000U) | 0x3fffU | (0x3fffU << 14);
    for (int i = 0; i < 4; ++i) {
        bytes[21 + i] = static_cast<char>((bits >> (8 * i)) & 0xff);
    }
    auto header = read_image_header(bytes);
    ASSERT_TRUE(header);
    EXPECT_EQ(header->width, 16384u);
    auto checked = validate_image(bytes, limits);
    ASSERT_FALSE(checked);
    EXPECT_EQ(checked.error(), ImageProblem::too_many_pixels);
}

TEST(AvatarImage, OversizedFilesAndOtherFormatsAreRefused) {
    ImageLimits small{100, limits.max_pixels};
    auto big = validate_image(png_of(64, 64), small);
    ASSERT_FALSE(big);
    EXPECT_EQ(big.error(), ImageProblem::too_large);
    for (const std::string& other : {std::string("GIF89a\x01\x00\x01\x00", 10),
                                     std::string("<svg xmlns='http://www.w3.org/2000/svg'/>"),
                                     std::string(), std::string("RIFF\0\0\0\0AVI ", 12)}) {
        auto refused = validate_image(other, limits);
        ASSERT_FALSE(refused);
        EXPECT_EQ(refused.error(), ImageProblem::not_an_image);
    }
    std::string cut_jpeg = jpeg_of(64, 64);
    cut_jpeg.resize(cut_jpeg.size() / 2);
    auto jpeg = validate_image(cut_jpeg, limits);
    ASSERT_FALSE(jpeg);
    EXPECT_EQ(jpeg.error(), ImageProblem::corrupt);
    std::string truncated = png_of(32, 32);
    truncated.resize(truncated.size() / 2);
    auto cut = validate_image(truncated, limits);
    ASSERT_FALSE(cut);
    EXPECT_EQ(cut.error(), ImageProblem::corrupt);
}

}  // namespace
}  // namespace idpd::account
