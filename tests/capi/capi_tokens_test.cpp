// Signing, parsing and verifying tokens through the C ABI.
#include <cstring>
#include <string>
#include <vector>

#include "capi_support.hpp"

using namespace capi_test;
using nlohmann::json;

namespace {

constexpr int64_t kTime = 1439216312;  // upstream's payload example

struct AlgCase {
    ajwt_alg alg;
    ajwt_key_type type;
};

const AlgCase kAllAlgs[] = {
    {AJWT_ALG_RS256, AJWT_KEY_RSA},     {AJWT_ALG_RS384, AJWT_KEY_RSA},     {AJWT_ALG_RS512, AJWT_KEY_RSA},
    {AJWT_ALG_PS256, AJWT_KEY_RSA},     {AJWT_ALG_PS384, AJWT_KEY_RSA},     {AJWT_ALG_PS512, AJWT_KEY_RSA},
    {AJWT_ALG_ES256, AJWT_KEY_EC_P256}, {AJWT_ALG_ES384, AJWT_KEY_EC_P384}, {AJWT_ALG_ES512, AJWT_KEY_EC_P521},
    {AJWT_ALG_EDDSA, AJWT_KEY_ED25519}, {AJWT_ALG_EDDSA, AJWT_KEY_ED448},
};

bool is_pss(ajwt_alg alg) { return alg == AJWT_ALG_PS256 || alg == AJWT_ALG_PS384 || alg == AJWT_ALG_PS512; }

Key private_key_for(ajwt_key_type type) { return type == AJWT_KEY_RSA ? compat_rsa_private() : generate(type); }

Verifier verifier_allowing(std::vector<ajwt_alg> algs) {
    Verifier verifier = new_verifier();
    if (ajwt_verifier_set_algorithms(verifier.get(), algs.data(), algs.size(), nullptr) != AJWT_OK)
        throw std::runtime_error("set_algorithms");
    return verifier;
}

Token parse(const std::string& token) {
    ajwt_token* parsed = nullptr;
    ajwt_error err{};
    ajwt_status status = ajwt_token_parse(token.data(), token.size(), 0, &parsed, &err);
    if (status != AJWT_OK) throw std::runtime_error("parse: " + describe(status) + ": " + err.message);
    return Token(parsed);
}

json valid_header(const char* alg = "EdDSA") { return {{"alg", alg}, {"typ", "JWT"}}; }
json valid_payload() { return {{"username", "guido"}, {"time", kTime}, {"nonce", "1"}}; }

// Re-signs nothing: replaces one part of a real token.
std::string with_payload(const std::string& token, const json& payload) {
    TokenParts parts = split_token(token);
    parts.payload = encode_part(payload);
    return join_token(parts);
}

std::string with_header(const std::string& token, const json& header) {
    TokenParts parts = split_token(token);
    parts.header = encode_part(header);
    return join_token(parts);
}

}  // namespace

TEST(CapiTokens, SignProducesTheUpstreamShape) {
    Key rsa = compat_rsa_private();
    std::string token = sign(rsa.get(), "guido", kTime, "1");
    TokenParts parts = split_token(token);
    json header = decode_part(parts.header);
    json payload = decode_part(parts.payload);
    EXPECT_EQ(header,
              (json{{"alg", "RS512"}, {"typ", "JWT"}, {"kid", compat()["public_keys"]["rsa_pem"]["fingerprint"]}}));
    EXPECT_EQ(payload, valid_payload());
    EXPECT_EQ(b64url_decode(parts.signature).size(), 256u);

    Key ed = generate(AJWT_KEY_ED25519);
    json ed_header = decode_part(split_token(sign(ed.get(), "guido", kTime, "1")).header);
    EXPECT_EQ(ed_header["alg"], "EdDSA");
    EXPECT_EQ(ed_header["kid"], fingerprint(ed.get()));
}

TEST(CapiTokens, RoundTripEveryAlgorithm) {
    for (const AlgCase& c : kAllAlgs) {
        SCOPED_TRACE(ajwt_alg_name(c.alg));
        Key key = private_key_for(c.type);
        Key pub = public_of(key.get());
        std::string token = sign(key.get(), "guido", kTime, "n-" + std::to_string(c.alg), c.alg);
        Token parsed = parse(token);
        EXPECT_EQ(ajwt_token_alg(parsed.get()), c.alg);

        Verifier defaults = new_verifier();
        Verifier with_pss = verifier_allowing({c.alg});
        if (is_pss(c.alg)) {
            // Default verifiers take every key type's defaults, which exclude PS*.
            EXPECT_STATUS(AJWT_ERR_ALGORITHM_NOT_ALLOWED, parse_and_verify(defaults.get(), token, pub.get(), kTime));
        } else {
            EXPECT_OK(parse_and_verify(defaults.get(), token, pub.get(), kTime));
        }
        EXPECT_OK(parse_and_verify(with_pss.get(), token, pub.get(), kTime));
        // The private key verifies too.
        EXPECT_OK(parse_and_verify(with_pss.get(), token, key.get(), kTime));

        // The raw primitive agrees with the token check.
        TokenParts parts = split_token(token);
        std::string input = parts.header + "." + parts.payload;
        std::string signature = b64url_decode(parts.signature);
        EXPECT_OK(ajwt_signature_verify(pub.get(), c.alg, reinterpret_cast<const uint8_t*>(input.data()), input.size(),
                                        reinterpret_cast<const uint8_t*>(signature.data()), signature.size(), nullptr));
        input[0] ^= 1;
        EXPECT_STATUS(
            AJWT_ERR_BAD_SIGNATURE,
            ajwt_signature_verify(pub.get(), c.alg, reinterpret_cast<const uint8_t*>(input.data()), input.size(),
                                  reinterpret_cast<const uint8_t*>(signature.data()), signature.size(), nullptr));
    }
}

TEST(CapiTokens, TamperedPartsFail) {
    for (ajwt_key_type type : {AJWT_KEY_RSA, AJWT_KEY_ED25519, AJWT_KEY_EC_P256}) {
        SCOPED_TRACE(static_cast<int>(type));
        Key key = private_key_for(type);
        Key pub = public_of(key.get());
        Verifier verifier = new_verifier();
        std::string token = sign(key.get(), "guido", kTime, "1");
        ASSERT_OK(parse_and_verify(verifier.get(), token, pub.get(), kTime));
        TokenParts parts = split_token(token);

        // Payload: another user, same signature.
        json payload = decode_part(parts.payload);
        payload["username"] = "mallory";
        EXPECT_STATUS(AJWT_ERR_BAD_SIGNATURE,
                      parse_and_verify(verifier.get(), with_payload(token, payload), pub.get(), kTime));
        payload = decode_part(parts.payload);
        payload["time"] = kTime + 1;
        EXPECT_STATUS(AJWT_ERR_BAD_SIGNATURE,
                      parse_and_verify(verifier.get(), with_payload(token, payload), pub.get(), kTime));

        // Header: a different kid is still covered by the signature.
        json header = decode_part(parts.header);
        header["kid"] = "0000";
        EXPECT_STATUS(AJWT_ERR_BAD_SIGNATURE,
                      parse_and_verify(verifier.get(), with_header(token, header), pub.get(), kTime));
        if (type == AJWT_KEY_RSA) {
            header = decode_part(parts.header);
            header["alg"] = "RS256";
            EXPECT_STATUS(AJWT_ERR_BAD_SIGNATURE,
                          parse_and_verify(verifier.get(), with_header(token, header), pub.get(), kTime));
        }

        // Signature: every byte position flipped once in a few places, truncated, extended.
        std::string signature = b64url_decode(parts.signature);
        for (size_t position : {size_t{0}, signature.size() / 2, signature.size() - 1}) {
            std::string bad = signature;
            bad[position] = static_cast<char>(bad[position] ^ 0x01);
            TokenParts tampered = parts;
            tampered.signature = b64url_encode(bad);
            EXPECT_STATUS(AJWT_ERR_BAD_SIGNATURE,
                          parse_and_verify(verifier.get(), join_token(tampered), pub.get(), kTime));
        }
        TokenParts shorter = parts;
        shorter.signature = b64url_encode(signature.substr(0, signature.size() - 1));
        EXPECT_STATUS(AJWT_ERR_BAD_SIGNATURE, parse_and_verify(verifier.get(), join_token(shorter), pub.get(), kTime));
        TokenParts longer = parts;
        longer.signature = b64url_encode(signature + std::string(1, '\0'));
        EXPECT_STATUS(AJWT_ERR_BAD_SIGNATURE, parse_and_verify(verifier.get(), join_token(longer), pub.get(), kTime));

        // Structural damage is a parse status.
        EXPECT_STATUS(AJWT_ERR_TOKEN_FORMAT,
                      parse_and_verify(verifier.get(), parts.header + "." + parts.payload, pub.get(), kTime));
        EXPECT_STATUS(AJWT_ERR_TOKEN_BASE64, parse_and_verify(verifier.get(), token + "=", pub.get(), kTime));
    }
}

TEST(CapiTokens, WrongKeyAndWrongKeyType) {
    Key rsa = compat_rsa_private();
    Key other_rsa = load_public(compat()["private_keys"]["rsa_traditional_encrypted_pem"]["public_openssh"]);
    Key ed = generate(AJWT_KEY_ED25519);
    Key other_ed = generate(AJWT_KEY_ED25519);
    Key ed448 = generate(AJWT_KEY_ED448);
    Key p256 = generate(AJWT_KEY_EC_P256);
    Key p384 = generate(AJWT_KEY_EC_P384);
    Verifier verifier = new_verifier();

    std::string rsa_token = sign(rsa.get(), "guido", kTime, "1");
    std::string ed_token = sign(ed.get(), "guido", kTime, "1");
    std::string es_token = sign(p256.get(), "guido", kTime, "1");
    EXPECT_STATUS(AJWT_ERR_BAD_SIGNATURE, parse_and_verify(verifier.get(), rsa_token, other_rsa.get(), kTime));
    EXPECT_STATUS(AJWT_ERR_BAD_SIGNATURE, parse_and_verify(verifier.get(), ed_token, other_ed.get(), kTime));
    // EdDSA over an Ed448 key: the type fits the alg, the key does not.
    EXPECT_STATUS(AJWT_ERR_BAD_SIGNATURE, parse_and_verify(verifier.get(), ed_token, ed448.get(), kTime));
    EXPECT_STATUS(AJWT_ERR_ALGORITHM_NOT_ALLOWED, parse_and_verify(verifier.get(), rsa_token, ed.get(), kTime));
    EXPECT_STATUS(AJWT_ERR_ALGORITHM_NOT_ALLOWED, parse_and_verify(verifier.get(), ed_token, rsa.get(), kTime));
    EXPECT_STATUS(AJWT_ERR_ALGORITHM_NOT_ALLOWED, parse_and_verify(verifier.get(), es_token, p384.get(), kTime));
    EXPECT_STATUS(AJWT_ERR_ALGORITHM_NOT_ALLOWED, parse_and_verify(verifier.get(), es_token, rsa.get(), kTime));
}

TEST(CapiTokens, AlgorithmNotAllowedByPolicy) {
    Key rsa = compat_rsa_private();
    std::string rs512 = sign(rsa.get(), "guido", kTime, "1", AJWT_ALG_RS512);
    std::string rs256 = sign(rsa.get(), "guido", kTime, "1", AJWT_ALG_RS256);
    Verifier only256 = verifier_allowing({AJWT_ALG_RS256});
    EXPECT_STATUS(AJWT_ERR_ALGORITHM_NOT_ALLOWED, parse_and_verify(only256.get(), rs512, rsa.get(), kTime));
    EXPECT_OK(parse_and_verify(only256.get(), rs256, rsa.get(), kTime));
    // Signing with an algorithm the key cannot do.
    std::string out;
    EXPECT_STATUS(AJWT_ERR_ALGORITHM_NOT_ALLOWED, try_sign(rsa.get(), "guido", kTime, "1", AJWT_ALG_EDDSA, &out));
    EXPECT_STATUS(AJWT_ERR_ALGORITHM_NOT_ALLOWED, try_sign(rsa.get(), "guido", kTime, "1", AJWT_ALG_ES256, &out));
    EXPECT_STATUS(AJWT_ERR_INVALID_ARGUMENT, try_sign(rsa.get(), "guido", kTime, "1", static_cast<ajwt_alg>(12), &out));
}

TEST(CapiTokens, NoneAndHmacTokensAreRefused) {
    Key rsa = compat_rsa_private();
    Verifier verifier = new_verifier();
    const std::string kid = compat()["public_keys"]["rsa_pem"]["fingerprint"];
    for (const char* alg : {"none", "None", "NONE", "HS256", "HS384", "HS512", "RS1", "ES256K", ""}) {
        SCOPED_TRACE(alg);
        json header = {{"alg", alg}, {"typ", "JWT"}, {"kid", kid}};
        // "none" with an empty signature is not even three non-empty parts; give it one too.
        std::string with_sig = craft_token(header, valid_payload(), "sig");
        EXPECT_STATUS(AJWT_ERR_ALGORITHM_NOT_ALLOWED, parse_status(with_sig));
        EXPECT_STATUS(AJWT_ERR_ALGORITHM_NOT_ALLOWED, parse_and_verify(verifier.get(), with_sig, rsa.get(), kTime));
        std::string empty_sig = encode_part(header) + "." + encode_part(valid_payload()) + ".";
        ajwt_status status = parse_status(empty_sig);
        EXPECT_TRUE(status == AJWT_ERR_TOKEN_FORMAT || status == AJWT_ERR_ALGORITHM_NOT_ALLOWED) << describe(status);
    }
    // An HMAC token keyed with the public PEM text (the classic confusion attack) stays refused.
    json hs = {{"alg", "HS256"}, {"typ", "JWT"}};
    EXPECT_STATUS(AJWT_ERR_ALGORITHM_NOT_ALLOWED, parse_status(craft_token(hs, valid_payload(), std::string(32, 'k'))));
}

TEST(CapiTokens, HeaderChecks) {
    EXPECT_OK(parse_status(craft_token(valid_header(), valid_payload())));
    EXPECT_OK(parse_status(craft_token({{"alg", "EdDSA"}}, valid_payload())));  // typ is optional
    EXPECT_STATUS(AJWT_ERR_TOKEN_HEADER, parse_status(craft_token({{"typ", "JWT"}}, valid_payload())));
    EXPECT_STATUS(AJWT_ERR_TOKEN_HEADER, parse_status(craft_token({{"alg", 5}, {"typ", "JWT"}}, valid_payload())));
    EXPECT_STATUS(AJWT_ERR_TOKEN_HEADER,
                  parse_status(craft_token({{"alg", "EdDSA"}, {"typ", "JWS"}}, valid_payload())));
    EXPECT_STATUS(AJWT_ERR_TOKEN_HEADER,
                  parse_status(craft_token({{"alg", "EdDSA"}, {"crit", {"exp"}}}, valid_payload())));
    EXPECT_STATUS(AJWT_ERR_TOKEN_HEADER, parse_status(craft_token({{"alg", "EdDSA"}, {"kid", 7}}, valid_payload())));
    EXPECT_STATUS(AJWT_ERR_TOKEN_JSON, parse_status(craft_token(json::array({1}), valid_payload())));
    EXPECT_STATUS(AJWT_ERR_TOKEN_JSON,
                  parse_status(b64url_encode("{\"alg\":") + "." + encode_part(valid_payload()) + ".c2ln"));
    EXPECT_STATUS(AJWT_ERR_TOKEN_JSON, parse_status(b64url_encode(R"({"alg":"EdDSA","alg":"RS256"})") + "." +
                                                    encode_part(valid_payload()) + ".c2ln"));
}

TEST(CapiTokens, MissingEmptyAndWronglyTypedClaims) {
    struct Case {
        const char* what;
        json payload;
        ajwt_status expected;
    };
    auto without = [](const char* name) {
        json p = valid_payload();
        p.erase(name);
        return p;
    };
    auto with = [](const char* name, json value) {
        json p = valid_payload();
        p[name] = std::move(value);
        return p;
    };
    const Case cases[] = {
        {"no username", without("username"), AJWT_ERR_TOKEN_CLAIMS},
        {"empty username", with("username", ""), AJWT_ERR_TOKEN_CLAIMS},
        {"numeric username", with("username", 5), AJWT_ERR_TOKEN_CLAIMS},
        {"null username", with("username", nullptr), AJWT_ERR_TOKEN_CLAIMS},
        {"list username", with("username", {"a"}), AJWT_ERR_TOKEN_CLAIMS},
        {"no nonce", without("nonce"), AJWT_ERR_TOKEN_CLAIMS},
        {"empty nonce", with("nonce", ""), AJWT_ERR_TOKEN_CLAIMS},
        {"numeric nonce", with("nonce", 1), AJWT_ERR_TOKEN_CLAIMS},
        {"long nonce", with("nonce", std::string(2000, 'n')), AJWT_ERR_TOKEN_CLAIMS},
        {"no time", without("time"), AJWT_ERR_TOKEN_TIME},
        {"string time", with("time", "1439216312"), AJWT_ERR_TOKEN_TIME},
        {"float time", with("time", 1439216312.5), AJWT_ERR_TOKEN_TIME},
        {"bool time", with("time", true), AJWT_ERR_TOKEN_TIME},
        {"huge time", with("time", 1e300), AJWT_ERR_TOKEN_TIME},
        {"time beyond int64", with("time", 18446744073709551615ull), AJWT_ERR_TOKEN_TIME},
    };
    for (const Case& c : cases) {
        SCOPED_TRACE(c.what);
        EXPECT_STATUS(c.expected, parse_status(craft_token(valid_header(), c.payload)));
    }
    EXPECT_STATUS(AJWT_ERR_TOKEN_JSON, parse_status(craft_token(valid_header(), json::array())));
    EXPECT_STATUS(AJWT_ERR_TOKEN_JSON, parse_status(craft_token(valid_header(), "just a string")));
}

TEST(CapiTokens, SignRefusesBadClaimsAndPublicKeys) {
    Key ed = generate(AJWT_KEY_ED25519);
    Key pub = public_of(ed.get());
    std::string out;
    EXPECT_STATUS(AJWT_ERR_NOT_PRIVATE_KEY, try_sign(pub.get(), "guido", kTime, "1", AJWT_ALG_UNKNOWN, &out));
    // An empty username is signed (as 1.x signs Token("")); verifying it is refused.
    EXPECT_STATUS(AJWT_OK, try_sign(ed.get(), "", kTime, "1", AJWT_ALG_UNKNOWN, &out));
    ajwt_token* parsed = nullptr;
    EXPECT_STATUS(AJWT_ERR_TOKEN_CLAIMS, ajwt_token_parse(out.data(), out.size(), 0, &parsed, nullptr));
    EXPECT_EQ(parsed, nullptr);
    EXPECT_STATUS(AJWT_ERR_TOKEN_CLAIMS, try_sign(ed.get(), "guido", kTime, "", AJWT_ALG_UNKNOWN, &out));
    char* token = reinterpret_cast<char*>(0x1);
    size_t len = 3;
    EXPECT_STATUS(AJWT_ERR_INVALID_ARGUMENT,
                  ajwt_sign(nullptr, "a", 1, kTime, "n", 1, AJWT_ALG_UNKNOWN, &token, &len, nullptr));
    EXPECT_EQ(token, nullptr);
    EXPECT_STATUS(AJWT_ERR_INVALID_ARGUMENT,
                  ajwt_sign(ed.get(), nullptr, 1, kTime, "n", 1, AJWT_ALG_UNKNOWN, &token, &len, nullptr));
    EXPECT_STATUS(AJWT_ERR_INVALID_ARGUMENT,
                  ajwt_sign(ed.get(), "a", 1, kTime, nullptr, 1, AJWT_ALG_UNKNOWN, &token, &len, nullptr));
    EXPECT_STATUS(AJWT_ERR_INVALID_ARGUMENT,
                  ajwt_sign(ed.get(), "a", 1, kTime, "n", 1, AJWT_ALG_UNKNOWN, nullptr, &len, nullptr));
    // token_len may be NULL.
    ASSERT_OK(ajwt_sign(ed.get(), "a", 1, kTime, "n", 1, AJWT_ALG_UNKNOWN, &token, nullptr, nullptr));
    Bytes owner(token);
    EXPECT_GT(std::strlen(token), 20u);
}

TEST(CapiTokens, UnicodeAndEscapedClaimsRoundTrip) {
    Key ed = generate(AJWT_KEY_ED25519);
    const std::string username = "g\xc3\xbcido \"quoted\" \\ / \t";
    std::string token = sign(ed.get(), username, -5, "n\xe2\x82\xac");
    Token parsed = parse(token);
    size_t len = 0;
    const char* user = ajwt_token_username(parsed.get(), &len);
    EXPECT_EQ(std::string(user, len), username);
    EXPECT_EQ(ajwt_token_time(parsed.get()), -5);
    const char* nonce = ajwt_token_nonce(parsed.get(), &len);
    EXPECT_EQ(std::string(nonce, len), "n\xe2\x82\xac");
}

TEST(CapiTokens, Accessors) {
    Key ed = generate(AJWT_KEY_ED25519);
    Token parsed = parse(sign(ed.get(), "guido", kTime, "abc"));
    size_t len = 0;
    EXPECT_STREQ(ajwt_token_username(parsed.get(), &len), "guido");
    EXPECT_EQ(len, 5u);
    EXPECT_STREQ(ajwt_token_nonce(parsed.get(), &len), "abc");
    EXPECT_EQ(len, 3u);
    EXPECT_EQ(ajwt_token_time(parsed.get()), kTime);
    EXPECT_EQ(ajwt_token_alg(parsed.get()), AJWT_ALG_EDDSA);
    const char* kid = ajwt_token_kid(parsed.get(), &len);
    ASSERT_NE(kid, nullptr);
    EXPECT_EQ(std::string(kid, len), fingerprint(ed.get()));
    EXPECT_NE(ajwt_token_username(parsed.get(), nullptr), nullptr);

    Token no_kid = parse(craft_token(valid_header(), valid_payload()));
    len = 99;
    EXPECT_EQ(ajwt_token_kid(no_kid.get(), &len), nullptr);

    EXPECT_EQ(ajwt_token_username(nullptr, &len), nullptr);
    EXPECT_EQ(len, 0u);
    EXPECT_EQ(ajwt_token_nonce(nullptr, nullptr), nullptr);
    EXPECT_EQ(ajwt_token_kid(nullptr, nullptr), nullptr);
    EXPECT_EQ(ajwt_token_time(nullptr), 0);
    EXPECT_EQ(ajwt_token_alg(nullptr), AJWT_ALG_UNKNOWN);
}

TEST(CapiTokens, SizeCap) {
    Key ed = generate(AJWT_KEY_ED25519);
    std::string big = sign(ed.get(), std::string(1000, 'u'), kTime, std::string(1000, 'n'));
    ASSERT_GT(big.size(), 2000u);
    EXPECT_OK(parse_status(big));
    EXPECT_STATUS(AJWT_ERR_TOKEN_TOO_LARGE, parse_status(big, big.size() - 1));
    EXPECT_OK(parse_status(big, big.size()));
    std::string huge(AJWT_DEFAULT_MAX_TOKEN_SIZE + 1, 'a');
    EXPECT_STATUS(AJWT_ERR_TOKEN_TOO_LARGE, parse_status(huge));
    EXPECT_STATUS(AJWT_ERR_TOKEN_FORMAT, parse_status(std::string(AJWT_DEFAULT_MAX_TOKEN_SIZE, 'a')));

    Verifier verifier = new_verifier();
    ASSERT_OK(ajwt_verifier_set_max_token_size(verifier.get(), 1024, nullptr));
    ajwt_token* parsed = nullptr;
    EXPECT_STATUS(AJWT_ERR_TOKEN_TOO_LARGE,
                  ajwt_verifier_parse(verifier.get(), big.data(), big.size(), &parsed, nullptr));
    EXPECT_EQ(parsed, nullptr);
}

TEST(CapiTokens, MalformedInputsNeverCrash) {
    const std::string inputs[] = {"",
                                  ".",
                                  "..",
                                  "...",
                                  "a.b",
                                  "a.b.c",
                                  "a..c",
                                  ".b.c",
                                  "a.b.",
                                  "a.b.c.d",
                                  std::string("eyJ\0.a.b", 8),
                                  "\xff\xfe.\x80.\x01",
                                  "====.====.===="};
    for (const std::string& input : inputs) {
        ajwt_status status = parse_status(input);
        EXPECT_NE(status, AJWT_OK) << input;
        EXPECT_GE(static_cast<int>(status), 30) << describe(status);
        EXPECT_LE(static_cast<int>(status), 40) << describe(status);
    }
    ajwt_token* parsed = nullptr;
    EXPECT_STATUS(AJWT_ERR_INVALID_ARGUMENT, ajwt_token_parse(nullptr, 5, 0, &parsed, nullptr));
    EXPECT_STATUS(AJWT_ERR_INVALID_ARGUMENT, ajwt_token_parse("a.b.c", 5, 0, nullptr, nullptr));
}

TEST(CapiTokens, AuthHeader) {
    char* out = nullptr;
    size_t len = 0;
    ASSERT_OK(ajwt_auth_header(nullptr, 0, "a.b.c", 5, &out, &len, nullptr));
    Bytes a(out);
    EXPECT_EQ(std::string(out, len), "JWT a.b.c");
    EXPECT_EQ(out[len], '\0');
    ASSERT_OK(ajwt_auth_header("Token", 5, "a.b.c", 5, &out, &len, nullptr));
    Bytes b(out);
    EXPECT_EQ(std::string(out, len), "Token a.b.c");
    EXPECT_STATUS(AJWT_ERR_INVALID_ARGUMENT, ajwt_auth_header(nullptr, 0, nullptr, 5, &out, &len, nullptr));
    EXPECT_STATUS(AJWT_ERR_INVALID_ARGUMENT, ajwt_auth_header(nullptr, 0, "a", 1, nullptr, &len, nullptr));
}

TEST(CapiTokens, SignatureVerifyArguments) {
    Key ed = generate(AJWT_KEY_ED25519);
    const uint8_t message[] = {1, 2, 3};
    const uint8_t signature[64] = {0};
    EXPECT_STATUS(AJWT_ERR_BAD_SIGNATURE,
                  ajwt_signature_verify(ed.get(), AJWT_ALG_EDDSA, message, 3, signature, 64, nullptr));
    EXPECT_STATUS(AJWT_ERR_BAD_SIGNATURE,
                  ajwt_signature_verify(ed.get(), AJWT_ALG_EDDSA, message, 3, signature, 0, nullptr));
    EXPECT_STATUS(AJWT_ERR_BAD_SIGNATURE,
                  ajwt_signature_verify(ed.get(), AJWT_ALG_EDDSA, nullptr, 0, signature, 64, nullptr));
    EXPECT_STATUS(AJWT_ERR_ALGORITHM_NOT_ALLOWED,
                  ajwt_signature_verify(ed.get(), AJWT_ALG_RS256, message, 3, signature, 64, nullptr));
    EXPECT_STATUS(AJWT_ERR_INVALID_ARGUMENT,
                  ajwt_signature_verify(ed.get(), AJWT_ALG_UNKNOWN, message, 3, signature, 64, nullptr));
    EXPECT_STATUS(AJWT_ERR_INVALID_ARGUMENT,
                  ajwt_signature_verify(nullptr, AJWT_ALG_EDDSA, message, 3, signature, 64, nullptr));
    EXPECT_STATUS(AJWT_ERR_INVALID_ARGUMENT,
                  ajwt_signature_verify(ed.get(), AJWT_ALG_EDDSA, message, 3, nullptr, 64, nullptr));
    EXPECT_STATUS(AJWT_ERR_INVALID_ARGUMENT,
                  ajwt_signature_verify(ed.get(), AJWT_ALG_EDDSA, nullptr, 3, signature, 64, nullptr));
}
