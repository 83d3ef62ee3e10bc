// Blowfish and bcrypt_pbkdf against published vectors (ssh-keygen's own files are tested in
// test_openssh.cpp).
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "bcrypt_pbkdf.hpp"
#include "blowfish.hpp"
#include "error.hpp"
#include "status_of.hpp"

namespace {

using ajwt_test::status_of;

std::vector<uint8_t> from_hex(const std::string& hex) {
    std::vector<uint8_t> out;
    for (size_t i = 0; i + 1 < hex.size(); i += 2)
        out.push_back(static_cast<uint8_t>(std::stoul(hex.substr(i, 2), nullptr, 16)));
    return out;
}

std::string to_hex(const uint8_t* data, size_t size) {
    static const char digits[] = "0123456789abcdef";
    std::string out;
    for (size_t i = 0; i < size; ++i) {
        out += digits[data[i] >> 4];
        out += digits[data[i] & 15];
    }
    return out;
}

// Eric Young's Blowfish ECB vectors (Schneier's reference set): the ordinary key schedule is
// the initial state followed by one expand0 with the key.
TEST(Blowfish, KnownAnswers) {
    struct Case {
        const char *key, *plain, *cipher;
    };
    const Case cases[] = {{"0000000000000000", "0000000000000000", "4ef997456198dd78"},
                          {"ffffffffffffffff", "ffffffffffffffff", "51866fd5b85ecb8a"},
                          {"3000000000000000", "1000000000000001", "7d856f9a613063f2"}};
    for (const Case& c : cases) {
        const std::vector<uint8_t> key = from_hex(c.key), plain = from_hex(c.plain);
        ajwt::Blowfish cipher;
        cipher.expand0(key.data(), key.size());
        uint32_t left = 0, right = 0;
        for (int i = 0; i < 4; ++i) {
            left = (left << 8) | plain[i];
            right = (right << 8) | plain[4 + i];
        }
        cipher.encipher(left, right);
        uint8_t out[8];
        for (int i = 0; i < 4; ++i) {
            out[i] = static_cast<uint8_t>(left >> (24 - 8 * i));
            out[4 + i] = static_cast<uint8_t>(right >> (24 - 8 * i));
        }
        EXPECT_EQ(to_hex(out, 8), c.cipher) << c.key;
    }
}

// OpenBSD's regress/lib/libutil/bcrypt_pbkdf vectors (also in pyca/bcrypt's tests).
TEST(BcryptPbkdf, OpenBsdVectors) {
    uint8_t out32[32];
    ajwt::bcrypt_pbkdf("password", "salt", 4, out32, sizeof out32);
    EXPECT_EQ(to_hex(out32, 32), "5bbf0cc293587f1c3635555c27796598d47e579071bf427e9d8fbe842aba34d9");
    uint8_t out64[64];
    ajwt::bcrypt_pbkdf("password", "salt", 8, out64, sizeof out64);
    EXPECT_EQ(to_hex(out64, 64),
              "e1367ec5151a33faac4cc1c144cd23fa15d5548493ecc99b9b5d9c0d3b27bec7"
              "6227ea66088b849b20ab7aa478010246e74bba51723fefa9f9474d6508845e8d");
    uint8_t out16[16];
    ajwt::bcrypt_pbkdf("password", std::string_view("\0", 1), 4, out16, sizeof out16);
    EXPECT_EQ(to_hex(out16, 16), "c12b566235eee04c212598970a579a67");
    ajwt::bcrypt_pbkdf(std::string_view("\0", 1), "salt", 4, out16, sizeof out16);
    EXPECT_EQ(to_hex(out16, 16), "6051be18c2f4f82cbf0efee5471b4bb9");
}

// A key longer than one block is spread byte by byte over the blocks: its first 32 bytes are
// not the 32-byte key.
TEST(BcryptPbkdf, LongerKeysInterleaveTheBlocks) {
    uint8_t short_key[32], long_key[48];
    ajwt::bcrypt_pbkdf("password", "salt", 2, short_key, sizeof short_key);
    ajwt::bcrypt_pbkdf("password", "salt", 2, long_key, sizeof long_key);
    EXPECT_EQ(long_key[0], short_key[0]);
    EXPECT_NE(to_hex(long_key, 32), to_hex(short_key, 32));
}

TEST(BcryptPbkdf, RefusesDegenerateArguments) {
    uint8_t out[32];
    EXPECT_EQ(status_of([&] { ajwt::bcrypt_pbkdf("", "salt", 1, out, 32); }), AJWT_ERR_INVALID_ARGUMENT);
    EXPECT_EQ(status_of([&] { ajwt::bcrypt_pbkdf("pw", "", 1, out, 32); }), AJWT_ERR_INVALID_ARGUMENT);
    EXPECT_EQ(status_of([&] { ajwt::bcrypt_pbkdf("pw", "salt", 0, out, 32); }), AJWT_ERR_INVALID_ARGUMENT);
    EXPECT_EQ(status_of([&] { ajwt::bcrypt_pbkdf("pw", "salt", 1, out, 0); }), AJWT_ERR_INVALID_ARGUMENT);
    std::vector<uint8_t> big(ajwt::kMaxBcryptKeySize + 1);
    EXPECT_EQ(status_of([&] { ajwt::bcrypt_pbkdf("pw", "salt", 1, big.data(), big.size()); }),
              AJWT_ERR_INVALID_ARGUMENT);
}

}  // namespace
