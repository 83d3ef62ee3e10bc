// Token signing and the strict parse of untrusted compact tokens.
#include <gtest/gtest.h>

#include <set>
#include <string>

#include "algorithm.hpp"
#include "base64url.hpp"
#include "error.hpp"
#include "signature.hpp"
#include "test_vectors.hpp"
#include "token.hpp"
#include "token_test_helpers.hpp"

namespace {

using ajwt::Claims;
using ajwt::parse_token;
using ajwt::sign_token;
using ajwt_test::b64;
using ajwt_test::private_key;
using ajwt_test::public_key;
using ajwt_test::status_of;
using ajwt_test::unsigned_token;

constexpr int64_t kTime = 1439216312;
const Claims kClaims{"guido", kTime, "1"};
const char* const kHeader = R"({"alg":"EdDSA","typ":"JWT"})";
const char* const kPayload = R"({"username":"guido","time":1439216312,"nonce":"1"})";

ajwt_status parse_status(const std::string& token, size_t max_size = AJWT_DEFAULT_MAX_TOKEN_SIZE) {
    return status_of([&] { parse_token(token, max_size); });
}

ajwt_status header_status(const std::string& header) { return parse_status(unsigned_token(header, kPayload)); }
ajwt_status payload_status(const std::string& payload) { return parse_status(unsigned_token(kHeader, payload)); }

std::string part(const std::string& token, int index) {
    size_t start = 0;
    for (int i = 0; i < index; ++i) start = token.find('.', start) + 1;
    return token.substr(start, token.find('.', start) - start);
}

// ---- signing --------------------------------------------------------------------------------

TEST(SignToken, ExactHeaderAndPayload) {
    const auto key = private_key(AJWT_KEY_RSA);
    const std::string token = sign_token(*key, kClaims, AJWT_ALG_UNKNOWN);
    EXPECT_EQ(ajwt::base64url_decode(part(token, 0)).value(),
              R"({"alg":"RS512","kid":")" + key->fingerprint() + R"(","typ":"JWT"})");
    EXPECT_EQ(ajwt::base64url_decode(part(token, 1)).value(), R"({"nonce":"1","time":1439216312,"username":"guido"})");
    const std::string signature = ajwt::base64url_decode(part(token, 2)).value();
    EXPECT_TRUE(ajwt::verify_bytes(*public_key(AJWT_KEY_RSA), AJWT_ALG_RS512, part(token, 0) + "." + part(token, 1),
                                   signature));
}

TEST(SignToken, PreferredAlgorithmPerKeyType) {
    const std::pair<ajwt_key_type, ajwt_alg> cases[] = {
        {AJWT_KEY_RSA, AJWT_ALG_RS512},     {AJWT_KEY_ED25519, AJWT_ALG_EDDSA}, {AJWT_KEY_ED448, AJWT_ALG_EDDSA},
        {AJWT_KEY_EC_P256, AJWT_ALG_ES256}, {AJWT_KEY_EC_P384, AJWT_ALG_ES384}, {AJWT_KEY_EC_P521, AJWT_ALG_ES512},
    };
    for (const auto& [type, alg] : cases) {
        const auto parsed = parse_token(sign_token(*private_key(type), kClaims, AJWT_ALG_UNKNOWN), 8192);
        EXPECT_EQ(parsed.alg(), alg);
        EXPECT_EQ(parsed.kid(), private_key(type)->fingerprint());
    }
}

TEST(SignToken, ExplicitAlgorithm) {
    for (ajwt_alg alg : {AJWT_ALG_RS256, AJWT_ALG_RS384, AJWT_ALG_PS256, AJWT_ALG_PS384, AJWT_ALG_PS512}) {
        const auto parsed = parse_token(sign_token(*private_key(AJWT_KEY_RSA), kClaims, alg), 8192);
        EXPECT_EQ(parsed.alg(), alg);
        EXPECT_TRUE(ajwt::verify_bytes(*public_key(AJWT_KEY_RSA), alg, parsed.signing_input(), parsed.signature()));
    }
}

TEST(SignToken, Refusals) {
    const auto& rsa = *private_key(AJWT_KEY_RSA);
    EXPECT_EQ(status_of([&] { sign_token(rsa, kClaims, AJWT_ALG_ES256); }), AJWT_ERR_ALGORITHM_NOT_ALLOWED);
    EXPECT_EQ(status_of([&] { sign_token(rsa, kClaims, AJWT_ALG_EDDSA); }), AJWT_ERR_ALGORITHM_NOT_ALLOWED);
    EXPECT_EQ(status_of([&] { sign_token(rsa, kClaims, static_cast<ajwt_alg>(13)); }), AJWT_ERR_ALGORITHM_NOT_ALLOWED);
    EXPECT_EQ(status_of([&] { sign_token(*private_key(AJWT_KEY_EC_P256), kClaims, AJWT_ALG_ES384); }),
              AJWT_ERR_ALGORITHM_NOT_ALLOWED);
    EXPECT_EQ(status_of([&] { sign_token(*public_key(AJWT_KEY_RSA), kClaims, AJWT_ALG_UNKNOWN); }),
              AJWT_ERR_NOT_PRIVATE_KEY);
}

TEST(SignToken, ValidatesClaims) {
    const auto& key = *private_key(AJWT_KEY_ED25519);
    auto status = [&](Claims claims) { return status_of([&] { sign_token(key, claims, AJWT_ALG_UNKNOWN); }); };
    EXPECT_EQ(status({"", kTime, "n"}), AJWT_OK);  // signed as 1.x signs it; parse_token refuses it
    EXPECT_EQ(status({"u", kTime, ""}), AJWT_ERR_TOKEN_CLAIMS);
    EXPECT_EQ(status({std::string(1025, 'u'), kTime, "n"}), AJWT_ERR_TOKEN_CLAIMS);
    EXPECT_EQ(status({std::string(1024, 'u'), kTime, std::string(1024, 'n')}), AJWT_OK);
    EXPECT_EQ(status({"u", kTime, std::string(1025, 'n')}), AJWT_ERR_TOKEN_CLAIMS);
    EXPECT_EQ(status({std::string("a\0b", 3), kTime, "n"}), AJWT_ERR_TOKEN_CLAIMS);
    EXPECT_EQ(status({"u", kTime, std::string("\0", 1)}), AJWT_ERR_TOKEN_CLAIMS);
    EXPECT_EQ(status({"caf\xe9", kTime, "n"}), AJWT_ERR_TOKEN_CLAIMS);  // Latin-1, not UTF-8
    EXPECT_EQ(status({"u", ajwt::kMaxAbsTime + 1, "n"}), AJWT_ERR_TOKEN_TIME);
    EXPECT_EQ(status({"u", -ajwt::kMaxAbsTime - 1, "n"}), AJWT_ERR_TOKEN_TIME);
    EXPECT_EQ(status({"u", ajwt::kMaxAbsTime, "n"}), AJWT_OK);
    EXPECT_EQ(status({"u", -5, "n"}), AJWT_OK);
}

TEST(SignToken, Utf8ClaimsRoundTrip) {
    const Claims claims{"j\xc3\xbcrgen \xf0\x9f\x98\x80", kTime, "n\"\\/\x01"};
    const auto parsed = parse_token(sign_token(*private_key(AJWT_KEY_ED25519), claims, AJWT_ALG_UNKNOWN), 8192);
    EXPECT_EQ(parsed.claims().username, claims.username);
    EXPECT_EQ(parsed.claims().nonce, claims.nonce);
}

TEST(AuthHeader, MethodSpaceToken) {
    EXPECT_EQ(ajwt::make_auth_header("JWT", "a.b.c"), "JWT a.b.c");
    EXPECT_EQ(ajwt::make_auth_header("Bearer", "x"), "Bearer x");
}

TEST(AuthHeader, MethodMustBeOneSchemeWord) {
    // The same rule as Authenticator::set_method: a header the authenticator could not split is refused.
    for (const std::string bad : {std::string(), std::string("J WT"), std::string("JWT\t"), std::string("J\0T", 3),
                                  std::string("JWT\n"), std::string("\xc3\xa9"), std::string(65, 'A')})
        EXPECT_EQ(status_of([&] { ajwt::make_auth_header(bad, "a.b.c"); }), AJWT_ERR_INVALID_ARGUMENT) << bad;
    EXPECT_EQ(ajwt::make_auth_header(std::string(64, 'A'), "t"), std::string(64, 'A') + " t");
}

TEST(Nonce, FreshBase64UrlOfTheDocumentedSize) {
    std::set<std::string> seen;
    for (int i = 0; i < 100; ++i) {
        const std::string nonce = ajwt::generate_nonce();
        EXPECT_EQ(nonce.size(), static_cast<size_t>(AJWT_NONCE_SIZE - 1));
        const auto raw = ajwt::base64url_decode(nonce);
        ASSERT_TRUE(raw.has_value()) << nonce;
        EXPECT_EQ(raw->size(), static_cast<size_t>(AJWT_NONCE_RANDOM_BYTES));
        seen.insert(nonce);
    }
    EXPECT_EQ(seen.size(), 100u);  // 64 random bits: a repeat would mean a broken generator
}

// ---- parsing ---------------------------------------------------------------------------------

TEST(ParseToken, RoundTrip) {
    const auto key = private_key(AJWT_KEY_ED25519);
    const std::string token = sign_token(*key, {"guido", -12, "abc"}, AJWT_ALG_UNKNOWN);
    const auto parsed = parse_token(token, 8192);
    EXPECT_EQ(parsed.alg(), AJWT_ALG_EDDSA);
    ASSERT_TRUE(parsed.kid().has_value());
    EXPECT_EQ(*parsed.kid(), key->fingerprint());
    EXPECT_EQ(parsed.claims().username, "guido");
    EXPECT_EQ(parsed.claims().time, -12);
    EXPECT_EQ(parsed.claims().nonce, "abc");
    EXPECT_EQ(parsed.signing_input(), token.substr(0, token.rfind('.')));
    EXPECT_EQ(parsed.signature(), ajwt::base64url_decode(part(token, 2)).value());
}

TEST(ParseToken, CopiesOwnTheirText) {
    std::string token = sign_token(*private_key(AJWT_KEY_ED25519), kClaims, AJWT_ALG_UNKNOWN);
    const std::string expected = token.substr(0, token.rfind('.'));
    auto parsed = std::make_unique<ajwt::ParsedToken>(parse_token(token, 8192));
    token.assign(token.size(), 'x');
    const ajwt::ParsedToken copy = *parsed;
    parsed.reset();
    EXPECT_EQ(copy.signing_input(), expected);
    ajwt::ParsedToken moved = std::move(*std::make_unique<ajwt::ParsedToken>(copy));
    EXPECT_EQ(moved.signing_input(), expected);
}

TEST(ParseToken, SizeCapComesFirst) {
    const std::string token = sign_token(*private_key(AJWT_KEY_ED25519), kClaims, AJWT_ALG_UNKNOWN);
    EXPECT_EQ(parse_status(token, token.size()), AJWT_OK);
    EXPECT_EQ(parse_status(token, token.size() - 1), AJWT_ERR_TOKEN_TOO_LARGE);
    // Garbage that would fail every later check is refused for its size alone.
    EXPECT_EQ(parse_status(std::string(9000, '.')), AJWT_ERR_TOKEN_TOO_LARGE);
    EXPECT_EQ(parse_status(std::string(8193, '!')), AJWT_ERR_TOKEN_TOO_LARGE);
    EXPECT_EQ(parse_status(std::string(8192, '!')), AJWT_ERR_TOKEN_FORMAT);
    EXPECT_EQ(parse_status(std::string(8193, '!'), 0), AJWT_ERR_TOKEN_TOO_LARGE);  // 0 = default cap
}

TEST(ParseToken, ExactlyThreeNonEmptyParts) {
    const std::string h = b64(kHeader), p = b64(kPayload), s = b64("sig");
    EXPECT_EQ(parse_status(h + "." + p + "." + s), AJWT_OK);
    for (const std::string& token :
         {std::string(), std::string("abc"), h + "." + p, h + "." + p + "." + s + ".", h + "." + p + "." + s + "." + s,
          h + ".." + s, "." + p + "." + s, h + "." + p + ".", std::string(".."), std::string("...")})
        EXPECT_EQ(parse_status(token), AJWT_ERR_TOKEN_FORMAT) << token;
}

TEST(ParseToken, StrictBase64Url) {
    const std::string h = b64(kHeader), p = b64(kPayload), s = b64("sig");
    EXPECT_EQ(parse_status(h + "=." + p + "." + s), AJWT_ERR_TOKEN_BASE64);
    EXPECT_EQ(parse_status(h + "." + p + "." + s + "="), AJWT_ERR_TOKEN_BASE64);
    EXPECT_EQ(parse_status(h + "." + p + "." + s + "+A"), AJWT_ERR_TOKEN_BASE64);
    EXPECT_EQ(parse_status(h + "." + p + " ." + s), AJWT_ERR_TOKEN_BASE64);
    EXPECT_EQ(parse_status(h + "." + p + ".A"), AJWT_ERR_TOKEN_BASE64);   // length % 4 == 1
    EXPECT_EQ(parse_status(h + "." + p + ".Zh"), AJWT_ERR_TOKEN_BASE64);  // non-zero unused bits
    EXPECT_EQ(parse_status(h + "." + p + ".Zg"), AJWT_OK);
}

TEST(ParseToken, StrictJson) {
    EXPECT_EQ(header_status("not json"), AJWT_ERR_TOKEN_JSON);
    EXPECT_EQ(header_status("[]"), AJWT_ERR_TOKEN_JSON);
    EXPECT_EQ(header_status(R"({"alg":"EdDSA","alg":"EdDSA"})"), AJWT_ERR_TOKEN_JSON);
    EXPECT_EQ(header_status(R"({"alg":"none","alg":"EdDSA"})"), AJWT_ERR_TOKEN_JSON);
    EXPECT_EQ(payload_status(R"("guido")"), AJWT_ERR_TOKEN_JSON);
    EXPECT_EQ(payload_status(R"({"username":"a","username":"b","time":1,"nonce":"n"})"), AJWT_ERR_TOKEN_JSON);
    EXPECT_EQ(payload_status(R"({"username":"a","time":1,"nonce":"n","x":{"y":1,"y":2}})"), AJWT_ERR_TOKEN_JSON);
    EXPECT_EQ(payload_status("{\"username\":\"\xff\",\"time\":1,\"nonce\":\"n\"}"), AJWT_ERR_TOKEN_JSON);
    EXPECT_EQ(payload_status(R"({"username":"a","time":1,"nonce":"\udc00"})"), AJWT_ERR_TOKEN_JSON);
    EXPECT_EQ(payload_status(R"({"username":"a","time":1,"nonce":"n","x":[[[[[[[[[[1]]]]]]]]]]})"),
              AJWT_ERR_TOKEN_JSON);
    EXPECT_EQ(payload_status(R"({"username":"a","time":NaN,"nonce":"n"})"), AJWT_ERR_TOKEN_JSON);
}

TEST(ParseToken, HeaderAlgorithm) {
    EXPECT_EQ(header_status(R"({"typ":"JWT"})"), AJWT_ERR_TOKEN_HEADER);
    EXPECT_EQ(header_status(R"({"alg":5})"), AJWT_ERR_TOKEN_HEADER);
    EXPECT_EQ(header_status(R"({"alg":null})"), AJWT_ERR_TOKEN_HEADER);
    EXPECT_EQ(header_status(R"({"alg":["EdDSA"]})"), AJWT_ERR_TOKEN_HEADER);
    for (const char* alg : {"none", "None", "NONE", "HS256", "HS384", "HS512", "rs256", "ES256K", "Ed25519", "",
                            "RS256 ", "EdDSA\\u0000"}) {
        EXPECT_EQ(header_status(std::string(R"({"alg":")") + alg + R"("})"), AJWT_ERR_ALGORITHM_NOT_ALLOWED) << alg;
    }
    for (const char* alg : {"RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512", "EdDSA"})
        EXPECT_EQ(header_status(std::string(R"({"alg":")") + alg + R"("})"), AJWT_OK) << alg;
}

TEST(ParseToken, HeaderMembers) {
    EXPECT_EQ(header_status(R"({"alg":"EdDSA"})"), AJWT_OK);
    EXPECT_EQ(header_status(R"({"alg":"EdDSA","typ":"jwt"})"), AJWT_OK);
    EXPECT_EQ(header_status(R"({"alg":"EdDSA","typ":"JWS"})"), AJWT_ERR_TOKEN_HEADER);
    EXPECT_EQ(header_status(R"({"alg":"EdDSA","typ":"at+jwt"})"), AJWT_ERR_TOKEN_HEADER);
    EXPECT_EQ(header_status(R"({"alg":"EdDSA","typ":1})"), AJWT_ERR_TOKEN_HEADER);
    EXPECT_EQ(header_status(R"({"alg":"EdDSA","typ":null})"), AJWT_ERR_TOKEN_HEADER);
    EXPECT_EQ(header_status(R"({"alg":"EdDSA","crit":["exp"],"exp":1})"), AJWT_ERR_TOKEN_HEADER);
    EXPECT_EQ(header_status(R"({"alg":"EdDSA","crit":[]})"), AJWT_ERR_TOKEN_HEADER);
    EXPECT_EQ(header_status(R"({"alg":"EdDSA","kid":5})"), AJWT_ERR_TOKEN_HEADER);
    EXPECT_EQ(header_status(R"({"alg":"EdDSA","kid":""})"), AJWT_ERR_TOKEN_HEADER);
    EXPECT_EQ(header_status(R"({"alg":"EdDSA","kid":"a\u0000b"})"), AJWT_ERR_TOKEN_HEADER);
    EXPECT_EQ(header_status(R"({"alg":"EdDSA","kid":")" + std::string(1025, 'k') + "\"}"), AJWT_ERR_TOKEN_HEADER);
    EXPECT_EQ(header_status(R"({"alg":"EdDSA","kid":")" + std::string(1024, 'k') + "\"}"), AJWT_OK);
}

TEST(ParseToken, KeyCarryingHeaderMembersAreIgnored) {
    const std::string header =
        R"({"alg":"EdDSA","kid":"k1","jwk":{"kty":"OKP","crv":"Ed25519","x":"AAAA"},"jku":"https://evil/",)"
        R"("x5u":"https://evil/","x5c":["MIIB"]})";
    const auto parsed = parse_token(unsigned_token(header, kPayload), 8192);
    EXPECT_EQ(parsed.alg(), AJWT_ALG_EDDSA);
    EXPECT_EQ(parsed.kid(), std::optional<std::string>("k1"));
    EXPECT_FALSE(parse_token(unsigned_token(kHeader, kPayload), 8192).kid().has_value());
}

TEST(ParseToken, StringClaims) {
    const std::string t = R"("time":1)";
    for (const char* username :
         {"", "5", "null", "true", "{}", "[]", R"({"a":"b"})", R"(["guido"])", R"("")", R"("a\u0000")"}) {
        const std::string member = std::string(username).empty() ? "" : std::string(R"("username":)") + username + ",";
        EXPECT_EQ(payload_status("{" + member + t + R"(,"nonce":"n"})"), AJWT_ERR_TOKEN_CLAIMS) << username;
    }
    for (const char* nonce : {"", "5", "null", "false", "{}", R"("")", R"("\u0000")"}) {
        const std::string member = std::string(nonce).empty() ? "" : std::string(R"(,"nonce":)") + nonce;
        EXPECT_EQ(payload_status(R"({"username":"u",)" + t + member + "}"), AJWT_ERR_TOKEN_CLAIMS) << nonce;
    }
    EXPECT_EQ(payload_status(R"({"username":")" + std::string(1025, 'u') + R"(",)" + t + R"(,"nonce":"n"})"),
              AJWT_ERR_TOKEN_CLAIMS);
    EXPECT_EQ(payload_status(R"({"username":"u",)" + t + R"(,"nonce":")" + std::string(1025, 'n') + "\"}"),
              AJWT_ERR_TOKEN_CLAIMS);
    EXPECT_EQ(payload_status(R"({"username":")" + std::string(1024, 'u') + R"(",)" + t + R"(,"nonce":"n"})"), AJWT_OK);
    // Extra claims are allowed and ignored.
    EXPECT_EQ(payload_status(R"({"username":"u","time":1,"nonce":"n","exp":2,"aud":["x"]})"), AJWT_OK);
}

int64_t parsed_time(const std::string& time_json) {
    return parse_token(unsigned_token(kHeader, R"({"username":"u","nonce":"n","time":)" + time_json + "}"), 8192)
        .claims()
        .time;
}

ajwt_status time_status(const std::string& time_json) {
    return payload_status(R"({"username":"u","nonce":"n","time":)" + time_json + "}");
}

TEST(ParseToken, TimeClaim) {
    EXPECT_EQ(parsed_time("1439216312"), 1439216312);
    EXPECT_EQ(parsed_time("-1439216312"), -1439216312);
    EXPECT_EQ(parsed_time("0"), 0);
    EXPECT_EQ(parsed_time("1439216312.0"), 1439216312);  // a whole number written as a float
    EXPECT_EQ(parsed_time("1.4e3"), 1400);
    EXPECT_EQ(parsed_time("1099511627776"), ajwt::kMaxAbsTime);
    EXPECT_EQ(parsed_time("-1099511627776"), -ajwt::kMaxAbsTime);

    EXPECT_EQ(payload_status(R"({"username":"u","nonce":"n"})"), AJWT_ERR_TOKEN_TIME);
    for (const char* bad :
         {"1439216312.5", "0.1", "-0.5", R"("1439216312")", "true", "false", "null", "{}", "[]", "[1439216312]",
          "1099511627777", "-1099511627777", "9223372036854775807", "-9223372036854775808", "18446744073709551615",
          "99999999999999999999999", "1e300", "-1e300", "1.5e12"})
        EXPECT_EQ(time_status(bad), AJWT_ERR_TOKEN_TIME) << bad;
}

TEST(ParseToken, ClaimsAreCheckedAfterTheHeader) {
    // A "none" token with broken claims reports the algorithm, the more important refusal.
    EXPECT_EQ(parse_status(unsigned_token(R"({"alg":"none"})", "{}")), AJWT_ERR_ALGORITHM_NOT_ALLOWED);
    EXPECT_EQ(parse_status(unsigned_token(R"({"alg":"EdDSA"})", "{}")), AJWT_ERR_TOKEN_CLAIMS);
}

TEST(ParseToken, CompatPayloadExample) {
    const auto& example = ajwt_test::compat_vectors().at("token").at("payload_example");
    const auto parsed = parse_token(unsigned_token(kHeader, example.dump()), 8192);
    EXPECT_EQ(parsed.claims().username, example.at("username").get<std::string>());
    EXPECT_EQ(parsed.claims().time, example.at("time").get<int64_t>());
    EXPECT_EQ(parsed.claims().nonce, example.at("nonce").get<std::string>());
}

}  // namespace
