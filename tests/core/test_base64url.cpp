// Strict base64url (JWS parts) and standard base64 (PEM/OpenSSH bodies).
#include <gtest/gtest.h>

#include <string>

#include "base64url.hpp"

namespace {

using ajwt::base64_decode;
using ajwt::base64_encode;
using ajwt::base64url_decode;
using ajwt::base64url_encode;

TEST(Base64Url, Rfc4648Vectors) {
    const std::pair<const char*, const char*> vectors[] = {
        {"", ""},           {"f", "Zg"},          {"fo", "Zm8"},          {"foo", "Zm9v"},
        {"foob", "Zm9vYg"}, {"fooba", "Zm9vYmE"}, {"foobar", "Zm9vYmFy"},
    };
    for (const auto& [plain, encoded] : vectors) {
        EXPECT_EQ(base64url_encode(plain), encoded);
        auto decoded = base64url_decode(encoded);
        ASSERT_TRUE(decoded.has_value()) << encoded;
        EXPECT_EQ(*decoded, plain);
    }
}

TEST(Base64Url, UsesUrlAlphabet) {
    const std::string bytes("\xfb\xff\xbf", 3);
    EXPECT_EQ(base64url_encode(bytes), "-_-_");
    EXPECT_EQ(base64_encode(bytes), "+/+/");
    EXPECT_EQ(base64url_decode("-_-_").value(), bytes);
    EXPECT_FALSE(base64url_decode("+/+/").has_value());
    EXPECT_FALSE(base64_decode("-_-_").has_value());
}

TEST(Base64Url, RoundTripsEveryLengthAndByte) {
    std::string bytes;
    for (int length = 0; length <= 300; ++length) {
        const std::string encoded = base64url_encode(bytes);
        EXPECT_EQ(encoded.find('='), std::string::npos);
        auto decoded = base64url_decode(encoded);
        ASSERT_TRUE(decoded.has_value()) << "length " << length;
        EXPECT_EQ(*decoded, bytes);
        bytes += static_cast<char>((length * 37 + 11) & 0xff);
    }
}

TEST(Base64Url, RejectsPadding) {
    EXPECT_FALSE(base64url_decode("Zg==").has_value());
    EXPECT_FALSE(base64url_decode("Zg=").has_value());
    EXPECT_FALSE(base64url_decode("Zm8=").has_value());
    EXPECT_FALSE(base64url_decode("=").has_value());
}

TEST(Base64Url, RejectsForeignCharacters) {
    for (const char* text : {"Zm9v+A", "Zm9/", "Zm 9v", "Zm9v\n", " Zm9v", "Zm9v.", "Zm\xc3\xa9v", "Zm9v*"})
        EXPECT_FALSE(base64url_decode(text).has_value()) << text;
    EXPECT_FALSE(base64url_decode(std::string("Zm\0v", 4)).has_value());
}

TEST(Base64Url, RejectsNonCanonicalTrailingBits) {
    // "Zg" is the only encoding of "f"; "Zh" carries non-zero unused bits.
    EXPECT_TRUE(base64url_decode("Zg").has_value());
    EXPECT_FALSE(base64url_decode("Zh").has_value());
    EXPECT_FALSE(base64url_decode("Zv").has_value());
    EXPECT_TRUE(base64url_decode("Zm8").has_value());
    EXPECT_FALSE(base64url_decode("Zm9").has_value());
    EXPECT_FALSE(base64url_decode("Zm-").has_value());
}

TEST(Base64Url, RejectsImpossibleLength) {
    EXPECT_FALSE(base64url_decode("A").has_value());
    EXPECT_FALSE(base64url_decode("AAAAA").has_value());
    EXPECT_FALSE(base64url_decode("Zm9vY").has_value());
    EXPECT_TRUE(base64url_decode("Zm9vYg").has_value());
}

TEST(Base64, StandardNeedsPadding) {
    EXPECT_EQ(base64_encode("f"), "Zg==");
    EXPECT_EQ(base64_encode("fo"), "Zm8=");
    EXPECT_EQ(base64_decode("Zg==").value(), "f");
    EXPECT_EQ(base64_decode("Zm8=").value(), "fo");
    EXPECT_EQ(base64_decode("Zm9v").value(), "foo");
    EXPECT_FALSE(base64_decode("Zg").has_value());
    EXPECT_FALSE(base64_decode("Zg=").has_value());
    EXPECT_FALSE(base64_decode("Z===").has_value());
    EXPECT_FALSE(base64_decode("Zh==").has_value());
    EXPECT_FALSE(base64_decode("Zm9v\n").has_value());
    EXPECT_FALSE(base64_decode("Zg==Zg==").has_value());
}

}  // namespace
