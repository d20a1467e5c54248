#include "jose/key_encryption.h"

#include <string>

#include <gtest/gtest.h>

#include "jose/base64url.h"
#include "jose/jws.h"
#include "unit/jose/test_keys.h"

namespace idpd::jose {
namespace {

MasterKey master(char fill = 'm') {
    return MasterKey::from_bytes(std::string(32, fill)).value();
}

TEST(KeyEncryption, SealedKeyOpensWithTheSameMasterKeyAndKid) {
    auto sealed = seal(master(), "kid-1", "private key bytes");
    ASSERT_TRUE(sealed.has_value());
    auto opened = open(master(), "kid-1", *sealed);
    ASSERT_TRUE(opened.has_value());
    EXPECT_EQ(*opened, "private key bytes");
}

TEST(KeyEncryption, LayoutIsVersionIvCiphertextTag) {
    auto sealed = seal(master(), "kid-1", "0123456789");
    ASSERT_TRUE(sealed.has_value());
    EXPECT_EQ(sealed->size(), 1u + 12u + 10u + 16u);
    EXPECT_EQ((*sealed)[0], '\x01');
}

TEST(KeyEncryption, EverySealUsesAFreshIv) {
    EXPECT_NE(seal(master(), "kid-1", "same").value(), seal(master(), "kid-1", "same").value());
}

TEST(KeyEncryption, SealedKeyMovedToAnotherKidFails) {
    auto sealed = seal(master(), "kid-1", "private key bytes").value();
    auto opened = open(master(), "kid-2", sealed);
    ASSERT_FALSE(opened.has_value());
    EXPECT_EQ(opened.error().code, ErrorCode::decryption_failed);
}

TEST(KeyEncryption, AnotherMasterKeyFails) {
    auto sealed = seal(master('a'), "kid-1", "private key bytes").value();
    auto opened = open(master('b'), "kid-1", sealed);
    ASSERT_FALSE(opened.has_value());
    EXPECT_EQ(opened.error().code, ErrorCode::decryption_failed);
}

TEST(KeyEncryption, AnyChangedByteFails) {
    const auto sealed = seal(master(), "kid-1", "private key bytes").value();
    for (std::size_t i = 1; i < sealed.size(); ++i) {  // byte 0 is the version, tested below
        std::string altered = sealed;
        altered[i] = static_cast<char>(altered[i] ^ 0x01);
        auto opened = open(master(), "kid-1", altered);
        ASSERT_FALSE(opened.has_value()) << "byte " << i;
        EXPECT_EQ(opened.error().code, ErrorCode::decryption_failed);
    }
}

TEST(KeyEncryption, RefusesAnUnknownVersion) {
    auto sealed = seal(master(), "kid-1", "private key bytes").value();
    sealed[0] = '\x02';
    auto opened = open(master(), "kid-1", sealed);
    ASSERT_FALSE(opened.has_value());
    EXPECT_EQ(opened.error().code, ErrorCode::malformed);
}

TEST(KeyEncryption, RefusesTruncatedInput) {
    auto sealed = seal(master(), "kid-1", "").value();
    EXPECT_TRUE(open(master(), "kid-1", sealed).has_value());
    sealed.pop_back();
    auto opened = open(master(), "kid-1", sealed);
    ASSERT_FALSE(opened.has_value());
    EXPECT_EQ(opened.error().code, ErrorCode::malformed);
}

TEST(KeyEncryption, MasterKeyMustBe32Bytes) {
    EXPECT_FALSE(MasterKey::from_bytes(std::string(31, 'k')).has_value());
    EXPECT_FALSE(MasterKey::from_bytes(std::string(33, 'k')).has_value());
    EXPECT_TRUE(MasterKey::from_base64url(base64url_encode(std::string(32, 'k'))).has_value());
    EXPECT_FALSE(MasterKey::from_base64url("not base64url!").has_value());
}

TEST(KeyEncryption, SealedPkcs8KeyComesBackAndSigns) {
    for (Alg alg : test_keys::all_algs) {
        const Key& key = test_keys::key_for(alg);
        auto sealed = seal(master(), key.kid(), key.to_pkcs8().value()).value();
        auto restored = Key::from_pkcs8(open(master(), key.kid(), sealed).value(), alg, key.kid());
        ASSERT_TRUE(restored.has_value()) << alg_name(alg);
        EXPECT_EQ(restored->thumbprint(), key.thumbprint());
        auto token = sign(*restored, "payload").value();
        EXPECT_TRUE(verify(token, key).has_value()) << alg_name(alg);
    }
}

}  // namespace
}  // namespace idpd::jose
