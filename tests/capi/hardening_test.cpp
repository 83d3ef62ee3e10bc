// Hardening audit through the C ABI (issue 5, "Limits and strictness"): every limit and strictness
// rule, each with the status that names it and a message. Tokens are crafted with a real Ed25519
// signature over whatever header and payload a test needs, so each refusal is shown to come from
// the rule under test and not from a bad signature.
//
// The crafting signer is OpenSSL, reached with dlsym: libcrypto is already loaded as libajwt's
// dependency, and this keeps the suite linked against libajwt alone. ajwt.h deliberately has no
// way to sign an arbitrary header.
#include <gtest/gtest.h>

#include <dlfcn.h>

#include <cstdio>

#include "capi_support.hpp"

namespace {

using namespace capi_test;

constexpr int64_t kNow = 1700000000;

// ---- an attacker's signer: Ed25519 over arbitrary bytes ----------------------------------

class RawSigner {
public:
    explicit RawSigner(const ajwt_key* private_key) {
        load_symbols();
        const std::string pem = export_key(private_key, AJWT_EXPORT_PRIVATE_PKCS8);
        void* bio = bio_new_mem_buf_(pem.data(), static_cast<int>(pem.size()));
        pkey_ = pem_read_bio_private_key_(bio, nullptr, nullptr, nullptr);
        bio_free_(bio);
        if (pkey_ == nullptr) throw std::runtime_error("OpenSSL cannot read the PKCS#8 key");
    }
    ~RawSigner() { pkey_free_(pkey_); }
    RawSigner(const RawSigner&) = delete;
    RawSigner& operator=(const RawSigner&) = delete;

    std::string sign(const std::string& message) const {
        void* ctx = md_ctx_new_();
        unsigned char sig[64];
        size_t size = sizeof sig;
        const bool ok =
            digest_sign_init_(ctx, nullptr, nullptr, nullptr, pkey_) == 1 &&
            digest_sign_(ctx, sig, &size, reinterpret_cast<const unsigned char*>(message.data()), message.size()) == 1;
        md_ctx_free_(ctx);
        if (!ok) throw std::runtime_error("EVP_DigestSign failed");
        return std::string(reinterpret_cast<char*>(sig), size);
    }

private:
    template <typename F>
    static void bind(F& fn, const char* name) {
        void* symbol = dlsym(RTLD_DEFAULT, name);
        if (symbol == nullptr) throw std::runtime_error(std::string("libcrypto symbol not found: ") + name);
        fn = reinterpret_cast<F>(symbol);
    }
    void load_symbols() {
        bind(bio_new_mem_buf_, "BIO_new_mem_buf");
        bind(bio_free_, "BIO_free");
        bind(pem_read_bio_private_key_, "PEM_read_bio_PrivateKey");
        bind(pkey_free_, "EVP_PKEY_free");
        bind(md_ctx_new_, "EVP_MD_CTX_new");
        bind(md_ctx_free_, "EVP_MD_CTX_free");
        bind(digest_sign_init_, "EVP_DigestSignInit");
        bind(digest_sign_, "EVP_DigestSign");
    }

    void* (*bio_new_mem_buf_)(const void*, int) = nullptr;
    int (*bio_free_)(void*) = nullptr;
    void* (*pem_read_bio_private_key_)(void*, void**, void*, void*) = nullptr;
    void (*pkey_free_)(void*) = nullptr;
    void* (*md_ctx_new_)() = nullptr;
    void (*md_ctx_free_)(void*) = nullptr;
    int (*digest_sign_init_)(void*, void**, const void*, void*, void*) = nullptr;
    int (*digest_sign_)(void*, unsigned char*, size_t*, const unsigned char*, size_t) = nullptr;
    void* pkey_ = nullptr;
};

// ---- fixture: one registered Ed25519 key, a verifier with a nonce store ---------------------

class Hardening : public ::testing::Test {
protected:
    static void SetUpTestSuite() {
        key_ = new Key(generate(AJWT_KEY_ED25519));
        public_key_ = new Key(public_of(key_->get()));
        signer_ = new RawSigner(key_->get());
    }
    static void TearDownTestSuite() {
        delete signer_;
        delete public_key_;
        delete key_;
    }

    // header.payload.signature with a valid signature over the exact bytes given.
    static std::string craft(const std::string& header_json, const std::string& payload_json) {
        const std::string input = b64url_encode(header_json) + "." + b64url_encode(payload_json);
        return input + "." + b64url_encode(signer_->sign(input));
    }
    static std::string claims(const std::string& time = "1700000000", const std::string& username = "\"alice\"",
                              const std::string& nonce = "\"n1\"") {
        return R"({"username":)" + username + R"(,"time":)" + time + R"(,"nonce":)" + nonce + "}";
    }
    static std::string with_header(const std::string& header) { return craft(header, claims()); }
    static std::string with_claims(const std::string& payload) {
        return craft(R"({"alg":"EdDSA","typ":"JWT"})", payload);
    }

    // The status of parse + verify with the registered key, and the error it filled in.
    ajwt_status check(const std::string& token, size_t max_size = 0) {
        Verifier verifier = new_verifier();
        if (max_size != 0) EXPECT_OK(ajwt_verifier_set_max_token_size(verifier.get(), max_size, nullptr));
        Store store = new_memory_store();
        EXPECT_OK(ajwt_verifier_set_nonce_store(verifier.get(), store.get(), nullptr));
        err_ = ajwt_error{};
        return parse_and_verify(verifier.get(), token, public_key_->get(), kNow, &err_);
    }

    // Expects `status` and a message of its own (not empty, NUL-terminated).
    void expect_refusal(ajwt_status expected, const std::string& token, const char* what, size_t max_size = 0) {
        const ajwt_status status = check(token, max_size);
        EXPECT_STATUS(expected, status) << what << ": " << err_.message;
        if (status == expected && expected != AJWT_OK) {
            EXPECT_EQ(err_.status, expected) << what;
            EXPECT_GT(std::strlen(err_.message), 0u) << what;
        }
    }

    static Key* key_;
    static Key* public_key_;
    static RawSigner* signer_;
    ajwt_error err_{};
};

Key* Hardening::key_ = nullptr;
Key* Hardening::public_key_ = nullptr;
RawSigner* Hardening::signer_ = nullptr;

TEST_F(Hardening, CraftedBaselineVerifies) {
    EXPECT_OK(check(with_claims(claims())));
    EXPECT_OK(check(sign(key_->get(), "alice", kNow, "n1")));
}

// ---- size: before any decoding, default a few KiB, configurable ---------------------------

TEST_F(Hardening, MaximumTokenSizeIsCheckedBeforeDecoding) {
    EXPECT_EQ(ajwt_default_max_token_size(), 8192u);
    EXPECT_EQ(AJWT_DEFAULT_MAX_TOKEN_SIZE, 8192);
    // Garbage with no dot: over the cap it is TOO_LARGE (nothing was looked at), at the cap FORMAT.
    expect_refusal(AJWT_ERR_TOKEN_TOO_LARGE, std::string(8193, '!'), "8193 bytes of garbage");
    expect_refusal(AJWT_ERR_TOKEN_FORMAT, std::string(8192, '!'), "8192 bytes of garbage");
    EXPECT_STATUS(AJWT_ERR_TOKEN_TOO_LARGE, parse_status(std::string(101, 'a'), 100));
    EXPECT_STATUS(AJWT_ERR_TOKEN_FORMAT, parse_status(std::string(100, 'a'), 100));

    // A valid token with a 3 KiB nonce: too large for a 2 KiB cap, fine with the default.
    const std::string big = with_claims(claims("1700000000", "\"alice\"", "\"" + std::string(1000, 'n') + "\""));
    ASSERT_GT(big.size(), 1400u);
    expect_refusal(AJWT_ERR_TOKEN_TOO_LARGE, big, "a valid token over a configured cap", 1024);
    EXPECT_OK(check(big));
}

TEST_F(Hardening, MaximumTokenSizeIsConfigurableWithinBounds) {
    Verifier verifier = new_verifier();
    EXPECT_STATUS(AJWT_ERR_INVALID_ARGUMENT, ajwt_verifier_set_max_token_size(verifier.get(), 63, nullptr));
    EXPECT_STATUS(AJWT_ERR_INVALID_ARGUMENT, ajwt_verifier_set_max_token_size(verifier.get(), 1048577, nullptr));
    EXPECT_OK(ajwt_verifier_set_max_token_size(verifier.get(), 64, nullptr));
    EXPECT_OK(ajwt_verifier_set_max_token_size(verifier.get(), 1048576, nullptr));
    // Raised, the cap lets a larger (valid) token through: a payload with a 20 KB extra claim.
    const std::string large =
        with_claims(R"({"username":"alice","time":1700000000,"nonce":"n","extra":")" + std::string(20000, 'x') + "\"}");
    expect_refusal(AJWT_ERR_TOKEN_TOO_LARGE, large, "20 KB token, default cap");
    EXPECT_OK(check(large, 65536));
}

TEST_F(Hardening, AuthenticatorAppliesTheSizeCapToTheHeader) {
    Verifier verifier = new_verifier();
    ajwt_authenticator* raw = nullptr;
    ASSERT_OK(ajwt_authenticator_new(verifier.get(), &raw, nullptr));
    Auth auth(raw);
    auto keys = [](void*, const char*, size_t, const char*, size_t, ajwt_keyset*) -> ajwt_status {
        ADD_FAILURE() << "keys asked for an oversized header";
        return AJWT_OK;
    };
    ASSERT_OK(ajwt_authenticator_set_user_keys(auth.get(), keys, nullptr, nullptr));
    const std::string header = "JWT " + std::string(9000, 'a');
    ajwt_error err{};
    EXPECT_STATUS(AJWT_ERR_TOKEN_TOO_LARGE,
                  ajwt_authenticate(auth.get(), header.data(), header.size(), kNow, nullptr, nullptr, &err));
    EXPECT_GT(std::strlen(err.message), 0u);
}

// ---- structure: exactly two dots, strict base64url ----------------------------------------

TEST_F(Hardening, ExactlyTwoDotsAndNoEmptyPart) {
    const std::string token = with_claims(claims());
    const TokenParts p = split_token(token);
    expect_refusal(AJWT_ERR_TOKEN_FORMAT, p.header + "." + p.payload, "one dot");
    expect_refusal(AJWT_ERR_TOKEN_FORMAT, token + ".", "three dots, empty fourth part");
    expect_refusal(AJWT_ERR_TOKEN_FORMAT, token + "." + p.signature, "four parts");
    expect_refusal(AJWT_ERR_TOKEN_FORMAT, p.header + ".." + p.signature, "empty payload");
    expect_refusal(AJWT_ERR_TOKEN_FORMAT, p.header + "." + p.payload + ".", "empty signature (alg none style)");
    expect_refusal(AJWT_ERR_TOKEN_FORMAT, "", "empty");
    expect_refusal(AJWT_ERR_TOKEN_FORMAT, "..", "only dots");
}

TEST_F(Hardening, StrictBase64url) {
    const std::string token = with_claims(claims());
    TokenParts p = split_token(token);
    auto variant = [&](std::string header, std::string payload, std::string signature) {
        return header + "." + payload + "." + signature;
    };
    // Padding, the standard alphabet, whitespace, NUL, other bytes: each in each part.
    for (const std::string& bad :
         {std::string("="), std::string("+"), std::string("/"), std::string(" "), std::string("\n"),
          std::string(1, '\0'), std::string("\xc3\xa9"), std::string("%3D")}) {
        expect_refusal(AJWT_ERR_TOKEN_BASE64, variant(p.header + bad, p.payload, p.signature), "header + foreign");
        expect_refusal(AJWT_ERR_TOKEN_BASE64, variant(p.header, p.payload + bad, p.signature), "payload + foreign");
        expect_refusal(AJWT_ERR_TOKEN_BASE64, variant(p.header, p.payload, bad + p.signature), "signature + foreign");
    }
    // An impossible length (1 mod 4).
    std::string sig = p.signature;
    const std::string one_more = sig.size() % 4 == 0 ? sig + "A" : sig.size() % 4 == 3 ? sig + "AA" : sig + "AAA";
    expect_refusal(AJWT_ERR_TOKEN_BASE64, variant(p.header, p.payload, one_more), "length 1 mod 4");
    // Non-canonical trailing bits: the same bytes spelled differently. The 64-byte signature ends
    // in one byte of a group ("xy" with 4 unused bits); set one of them.
    ASSERT_EQ(sig.size() % 4, 2u);
    static const std::string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    const size_t last = alphabet.find(sig.back());
    sig.back() = alphabet[(last & ~size_t{0x0f}) | ((last & 0x0f) ^ 0x01)];
    EXPECT_EQ(b64url_decode(sig), b64url_decode(p.signature)) << "the lenient decoder sees the same bytes";
    expect_refusal(AJWT_ERR_TOKEN_BASE64, variant(p.header, p.payload, sig), "non-canonical trailing bits");
}

// ---- JSON: UTF-8, depth, size, duplicates, objects only -----------------------------------

TEST_F(Hardening, JsonMustBeValidUtf8) {
    for (const std::string& bad : {std::string("\xff"), std::string("\xc0\xaf"), std::string("\xed\xa0\x80"),
                                   std::string("\xf4\x90\x80\x80"), std::string("\xe2\x82"), std::string("\x80")}) {
        expect_refusal(AJWT_ERR_TOKEN_JSON, with_claims(claims("1700000000", "\"al" + bad + "ice\"")),
                       "invalid UTF-8 in a claim");
        expect_refusal(AJWT_ERR_TOKEN_JSON, with_header(R"({"alg":"EdDSA","x":")" + bad + "\"}"),
                       "invalid UTF-8 in the header");
    }
    expect_refusal(AJWT_ERR_TOKEN_JSON, with_claims(claims("1700000000", R"("\ud800")")), "lone surrogate escape");
    expect_refusal(AJWT_ERR_TOKEN_JSON, with_claims(claims("1700000000", R"("\udc00x")")), "lone low surrogate");
    // Valid UTF-8 and escapes are fine.
    EXPECT_OK(check(with_claims(claims("1700000000", "\"\xc3\xa9l\xc3\xa8ve \\ud83d\\ude00\""))));
}

TEST_F(Hardening, JsonDepthIsLimited) {
    auto nested = [](int depth) {
        std::string value = "1";
        for (int i = 0; i < depth; ++i) value = "[" + value + "]";
        return value;
    };
    const std::string base = R"({"username":"alice","time":1700000000,"nonce":"n","x":)";
    EXPECT_OK(check(with_claims(base + nested(6) + "}")));
    expect_refusal(AJWT_ERR_TOKEN_JSON, with_claims(base + nested(200) + "}"), "200 levels in the payload");
    expect_refusal(AJWT_ERR_TOKEN_JSON, with_header(R"({"alg":"EdDSA","x":)" + nested(20) + "}"),
                   "20 levels in the header");
}

TEST_F(Hardening, JsonSizeIsLimited) {
    // Payload over 64 KiB (inside a token the verifier's cap allows).
    const std::string payload =
        R"({"username":"alice","time":1700000000,"nonce":"n","x":")" + std::string(70 * 1024, 'x') + "\"}";
    expect_refusal(AJWT_ERR_TOKEN_JSON, with_claims(payload), "70 KiB payload", 1048576);
    // Header over 8 KiB.
    expect_refusal(AJWT_ERR_TOKEN_JSON, with_header(R"({"alg":"EdDSA","x":")" + std::string(9000, 'x') + "\"}"),
                   "9000-byte header", 1048576);
}

TEST_F(Hardening, DuplicateMemberNamesAreRefused) {
    expect_refusal(AJWT_ERR_TOKEN_JSON, with_header(R"({"alg":"EdDSA","alg":"EdDSA"})"), "duplicate alg");
    expect_refusal(AJWT_ERR_TOKEN_JSON, with_header(R"({"alg":"EdDSA","kid":"a","kid":"b"})"), "duplicate kid");
    expect_refusal(AJWT_ERR_TOKEN_JSON,
                   with_claims(R"({"username":"alice","username":"root","time":1700000000,"nonce":"n"})"),
                   "duplicate username");
    expect_refusal(AJWT_ERR_TOKEN_JSON,
                   with_claims(R"({"username":"alice","time":1700000000,"nonce":"n","time":1700000001})"),
                   "duplicate time");
    expect_refusal(AJWT_ERR_TOKEN_JSON,
                   with_claims(R"({"username":"alice","time":1700000000,"nonce":"n","x":{"a":1,"a":2}})"),
                   "duplicate inside a nested object");
    // The same name spelled with an escape is the same name.
    expect_refusal(AJWT_ERR_TOKEN_JSON,
                   with_claims(R"({"username":"alice","user\u006eame":"root","time":1700000000,"nonce":"n"})"),
                   "duplicate username via an escape");
}

TEST_F(Hardening, HeaderAndPayloadMustBeObjects) {
    for (const char* not_object : {"[]", "[{\"alg\":\"EdDSA\"}]", "\"EdDSA\"", "null", "1", "true", " "}) {
        expect_refusal(AJWT_ERR_TOKEN_JSON, craft(not_object, claims()), "header not an object");
        expect_refusal(AJWT_ERR_TOKEN_JSON, with_claims(not_object), "payload not an object");
    }
    expect_refusal(AJWT_ERR_TOKEN_JSON, with_claims(claims() + "x"), "trailing garbage");
    expect_refusal(AJWT_ERR_TOKEN_JSON, with_claims(claims() + std::string(1, '\0')), "trailing NUL");
    expect_refusal(AJWT_ERR_TOKEN_JSON, with_claims(claims() + claims()), "two objects");
    expect_refusal(AJWT_ERR_TOKEN_JSON, with_claims("\xef\xbb\xbf" + claims()), "byte order mark");
    expect_refusal(AJWT_ERR_TOKEN_JSON, with_claims(R"({"username":"alice",/*c*/"time":1700000000,"nonce":"n"})"),
                   "comment");
}

// ---- claims --------------------------------------------------------------------------------

TEST_F(Hardening, TimeMustBeAnIntegerInRange) {
    for (const char* bad : {"true", "false", "null", "\"1700000000\"", "1700000000.5", "[1700000000]",
                            "{\"t\":1700000000}", "9223372036854775808", "-9223372036854775809",
                            "99999999999999999999999", "1e300", "1099511627777", "-1099511627777"}) {
        expect_refusal(AJWT_ERR_TOKEN_TIME, with_claims(claims(bad)), bad);
    }
    // A number beyond the range of a double is not representable JSON for the parser: refused as
    // JSON wherever it appears (a claim of any name), before the time rule is reached.
    expect_refusal(AJWT_ERR_TOKEN_JSON, with_claims(claims("1e400")), "1e400");
    expect_refusal(AJWT_ERR_TOKEN_JSON, with_claims(claims("-1e400")), "-1e400");
    expect_refusal(AJWT_ERR_TOKEN_TIME, with_claims(R"({"username":"alice","nonce":"n"})"), "time missing");
    // The documented range is |time| <= 2^40: at the bound the claim parses (then fails the window).
    expect_refusal(AJWT_ERR_TOKEN_FROM_FUTURE, with_claims(claims("1099511627776")), "time 2^40");
    expect_refusal(AJWT_ERR_TOKEN_EXPIRED, with_claims(claims("-1099511627776")), "time -2^40");
    // A whole number written with a fraction or an exponent is still that integer.
    EXPECT_OK(check(with_claims(claims("1700000000.0"))));
    EXPECT_OK(check(with_claims(claims("1.7e9"))));
}

TEST_F(Hardening, UsernameAndNonceAreBoundedNonEmptyStrings) {
    const std::string max(1024, 'u');
    const std::string over(1025, 'u');
    for (const std::string& bad :
         {std::string("\"\""), std::string("1"), std::string("null"), std::string("true"), std::string("[\"alice\"]"),
          std::string("{}"), std::string("\"a\\u0000b\""), "\"" + over + "\""}) {
        expect_refusal(AJWT_ERR_TOKEN_CLAIMS, with_claims(claims("1700000000", bad)),
                       ("username " + bad.substr(0, 20)).c_str());
        expect_refusal(AJWT_ERR_TOKEN_CLAIMS, with_claims(claims("1700000000", "\"alice\"", bad)),
                       ("nonce " + bad.substr(0, 20)).c_str());
    }
    expect_refusal(AJWT_ERR_TOKEN_CLAIMS, with_claims(R"({"time":1700000000,"nonce":"n"})"), "username missing");
    expect_refusal(AJWT_ERR_TOKEN_CLAIMS, with_claims(R"({"username":"alice","time":1700000000})"), "nonce missing");
    EXPECT_OK(check(with_claims(claims("1700000000", "\"" + max + "\"", "\"" + max + "\""))));
    // The kid has the same cap.
    expect_refusal(AJWT_ERR_TOKEN_HEADER, with_header(R"({"alg":"EdDSA","kid":")" + std::string(1025, 'k') + "\"}"),
                   "kid over 1024 bytes");
    expect_refusal(AJWT_ERR_TOKEN_HEADER, with_header(R"({"alg":"EdDSA","kid":7})"), "kid not a string");
}

TEST_F(Hardening, UsernameIsReadOnlyFromAWellFormedToken) {
    // The claimed username is what the authenticator looks up; it comes out NUL-terminated and
    // exactly as sent.
    ajwt_token* raw = nullptr;
    const std::string token = with_claims(claims("1700000000", "\"\xc3\xa9l\xc3\xa8ve\""));
    ASSERT_OK(ajwt_token_parse(token.data(), token.size(), 0, &raw, nullptr));
    Token parsed(raw);
    size_t len = 0;
    const char* username = ajwt_token_username(parsed.get(), &len);
    EXPECT_EQ(std::string(username, len), "\xc3\xa9l\xc3\xa8ve");
    EXPECT_EQ(username[len], '\0');
}

// ---- header --------------------------------------------------------------------------------

TEST_F(Hardening, CritIsRefused) {
    expect_refusal(AJWT_ERR_TOKEN_HEADER, with_header(R"({"alg":"EdDSA","crit":["exp"],"exp":1})"), "crit");
    expect_refusal(AJWT_ERR_TOKEN_HEADER, with_header(R"({"alg":"EdDSA","crit":[]})"), "empty crit");
    expect_refusal(AJWT_ERR_TOKEN_HEADER, with_header(R"({"alg":"EdDSA","crit":null})"), "crit null");
}

TEST_F(Hardening, AlgAndTypAreChecked) {
    expect_refusal(AJWT_ERR_ALGORITHM_NOT_ALLOWED, with_header(R"({"alg":"none"})"), "alg none");
    expect_refusal(AJWT_ERR_ALGORITHM_NOT_ALLOWED, with_header(R"({"alg":"HS256"})"), "alg HS256");
    expect_refusal(AJWT_ERR_ALGORITHM_NOT_ALLOWED, with_header(R"({"alg":"eddsa"})"), "alg case");
    expect_refusal(AJWT_ERR_ALGORITHM_NOT_ALLOWED, with_header(R"({"alg":"RS256"})"), "alg of another key type");
    expect_refusal(AJWT_ERR_TOKEN_HEADER, with_header(R"({"typ":"JWT"})"), "alg missing");
    expect_refusal(AJWT_ERR_TOKEN_HEADER, with_header(R"({"alg":["EdDSA"]})"), "alg not a string");
    expect_refusal(AJWT_ERR_TOKEN_HEADER, with_header(R"({"alg":"EdDSA","typ":"JOSE"})"), "typ JOSE");
}

TEST_F(Hardening, KeyCarryingHeadersAreIgnoredNeverTrusted) {
    // The attacker's own key in jwk, and URLs in jku / x5u / x5c: a token the registered key
    // signed still verifies (the members are ignored, not refused) ...
    const Key attacker = generate(AJWT_KEY_ED25519);
    const std::string attacker_jwk = export_key(public_of(attacker.get()).get(), AJWT_EXPORT_PUBLIC_JWK);
    const std::string header = R"({"alg":"EdDSA","jwk":)" + attacker_jwk +
                               R"(,"jku":"http://127.0.0.1:1/jwks","x5u":"http://127.0.0.1:1/x5u","x5c":["MIIB"]})";
    EXPECT_OK(check(with_header(header)));
    // ... and a token the attacker signed, naming their key in every way, is refused.
    RawSigner attacker_signer(attacker.get());
    const std::string input = b64url_encode(header) + "." + b64url_encode(claims());
    const std::string forged = input + "." + b64url_encode(attacker_signer.sign(input));
    expect_refusal(AJWT_ERR_BAD_SIGNATURE, forged, "attacker key in jwk");
}

// ---- ECDSA raw signatures: length and range ---------------------------------------------

TEST(HardeningEcdsa, WrongLengthAndOutOfRangeScalarsAreRefused) {
    struct Curve {
        ajwt_key_type type;
        ajwt_alg alg;
        size_t size;
        const char* order_hex;
    };
    const Curve curves[] = {
        {AJWT_KEY_EC_P256, AJWT_ALG_ES256, 32, "ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551"},
        {AJWT_KEY_EC_P384, AJWT_ALG_ES384, 48,
         "ffffffffffffffffffffffffffffffffffffffffffffffffc7634d81f4372ddf581a0db248b0a77aecec196accc52973"},
    };
    for (const Curve& c : curves) {
        const Key key = generate(c.type);
        const std::string token = sign(key.get(), "alice", kNow, "n", c.alg);
        const std::string input = token.substr(0, token.rfind('.'));
        const std::string sig = b64url_decode(token.substr(token.rfind('.') + 1));
        ASSERT_EQ(sig.size(), 2 * c.size);
        auto verify = [&](const std::string& s) {
            return ajwt_signature_verify(key.get(), c.alg, reinterpret_cast<const uint8_t*>(input.data()), input.size(),
                                         reinterpret_cast<const uint8_t*>(s.data()), s.size(), nullptr);
        };
        EXPECT_OK(verify(sig));
        std::string order;
        for (size_t i = 0; i < c.size; ++i)
            order += static_cast<char>(std::stoi(std::string(c.order_hex + 2 * i, 2), nullptr, 16));
        const std::string r = sig.substr(0, c.size), s = sig.substr(c.size), zero(c.size, '\0');
        std::string order_plus_one = order;
        order_plus_one.back() = static_cast<char>(order_plus_one.back() + 1);
        for (const std::string& bad :
             {sig.substr(1), sig + '\0', '\0' + sig, sig + sig, std::string(), zero + s, r + zero, order + s, r + order,
              order_plus_one + s, std::string(2 * c.size, '\xff')})
            EXPECT_STATUS(AJWT_ERR_BAD_SIGNATURE, verify(bad)) << ajwt_alg_name(c.alg);
    }
}

// ECDSA signatures are malleable: (r, s) and (r, n - s) both verify, and libajwt (like
// OpenSSL and RFC 7518) accepts the high-S form. No replay follows, because the nonce store
// keys on (username, time, nonce), not on the signature: the malleated token is the same
// token to it. This pins both halves (docs/security.md).
TEST(HardeningEcdsa, HighSSignatureVerifiesButItsTokenIsStillAReplay) {
    struct Curve {
        ajwt_key_type type;
        ajwt_alg alg;
        size_t size;
        const char* order_hex;
    };
    const Curve curves[] = {
        {AJWT_KEY_EC_P256, AJWT_ALG_ES256, 32, "ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551"},
        {AJWT_KEY_EC_P384, AJWT_ALG_ES384, 48,
         "ffffffffffffffffffffffffffffffffffffffffffffffffc7634d81f4372ddf581a0db248b0a77aecec196accc52973"},
    };
    for (const Curve& c : curves) {
        const Key key = generate(c.type);
        const std::string token = sign(key.get(), "alice", kNow, "n-" + std::string(ajwt_alg_name(c.alg)), c.alg);
        const std::string input = token.substr(0, token.rfind('.'));
        const std::string sig = b64url_decode(token.substr(token.rfind('.') + 1));
        ASSERT_EQ(sig.size(), 2 * c.size);
        // s' = n - s, big-endian.
        std::string flipped = sig.substr(c.size);
        int borrow = 0;
        for (size_t i = c.size; i-- > 0;) {
            const int order_byte = std::stoi(std::string(c.order_hex + 2 * i, 2), nullptr, 16);
            int value = order_byte - static_cast<unsigned char>(flipped[i]) - borrow;
            borrow = value < 0;
            flipped[i] = static_cast<char>(value + (borrow ? 256 : 0));
        }
        ASSERT_EQ(borrow, 0);
        const std::string malleated_sig = sig.substr(0, c.size) + flipped;
        ASSERT_NE(malleated_sig, sig);
        const std::string malleated = input + "." + b64url_encode(malleated_sig);
        ASSERT_NE(malleated, token);

        const Key pub = public_of(key.get());
        Verifier verifier = new_verifier();
        EXPECT_OK(parse_and_verify(verifier.get(), malleated, pub.get(), kNow)) << "high-S is accepted";
        const Store store = new_memory_store();
        EXPECT_OK(ajwt_verifier_set_nonce_store(verifier.get(), store.get(), nullptr));
        EXPECT_OK(parse_and_verify(verifier.get(), token, pub.get(), kNow));
        EXPECT_STATUS(AJWT_ERR_NONCE_REPLAYED, parse_and_verify(verifier.get(), malleated, pub.get(), kNow));
        // And the other way round: the malleated token first, then the original.
        const Store fresh = new_memory_store();
        EXPECT_OK(ajwt_verifier_set_nonce_store(verifier.get(), fresh.get(), nullptr));
        EXPECT_OK(parse_and_verify(verifier.get(), malleated, pub.get(), kNow));
        EXPECT_STATUS(AJWT_ERR_NONCE_REPLAYED, parse_and_verify(verifier.get(), token, pub.get(), kNow));
    }
}

// ---- keys: text size, RSA modulus and exponent --------------------------------------------

ajwt_status load_jwk(const nlohmann::json& jwk, ajwt_error* err = nullptr) {
    const std::string text = jwk.dump();
    ajwt_key* key = nullptr;
    const ajwt_status status = ajwt_key_load_public(text.data(), text.size(), AJWT_FORMAT_JWK, &key, err);
    ajwt_key_free(key);
    return status;
}

nlohmann::json rsa_jwk(const std::string& n, const std::string& e) {
    return {{"kty", "RSA"}, {"n", b64url_encode(n)}, {"e", b64url_encode(e)}};
}

std::string odd_bytes(size_t size) {
    std::string n(size, '\xa5');
    n.front() = '\xc1';
    n.back() = '\x01' | n.back();
    return n;
}

TEST(HardeningKeys, RsaModulusSanity) {
    const std::string f4("\x01\x00\x01", 3);
    EXPECT_OK(load_jwk(rsa_jwk(odd_bytes(256), f4)));
    EXPECT_STATUS(AJWT_ERR_KEY_TOO_SMALL, load_jwk(rsa_jwk(odd_bytes(255), f4)));
    EXPECT_STATUS(AJWT_ERR_KEY_TOO_SMALL, load_jwk(rsa_jwk(odd_bytes(128), f4)));
    // Leading zero bytes do not make a small modulus large.
    EXPECT_STATUS(AJWT_ERR_KEY_TOO_SMALL, load_jwk(rsa_jwk(std::string(200, '\0') + odd_bytes(128), f4)));
    EXPECT_OK(load_jwk(rsa_jwk(odd_bytes(1024), f4)));
    EXPECT_STATUS(AJWT_ERR_KEY_TOO_LARGE, load_jwk(rsa_jwk(odd_bytes(1025), f4)));
    EXPECT_STATUS(AJWT_ERR_KEY_TOO_LARGE, load_jwk(rsa_jwk(odd_bytes(4096), f4)));
    EXPECT_STATUS(AJWT_ERR_KEY_PARSE, load_jwk(rsa_jwk("", f4)));
    // An even modulus cannot be a product of two odd primes.
    std::string even = odd_bytes(256);
    even.back() = '\x00';
    ajwt_error err{};
    EXPECT_STATUS(AJWT_ERR_KEY_PARSE, load_jwk(rsa_jwk(even, f4), &err)) << err.message;
}

TEST(HardeningKeys, RsaExponentSanity) {
    const std::string n = odd_bytes(256);
    EXPECT_OK(load_jwk(rsa_jwk(n, "\x03")));
    for (const std::string& bad_e : {std::string("\x01"), std::string(1, '\0'), std::string("\x02"),
                                     std::string("\x01\x00\x00", 3), std::string("\x00\x01", 2)}) {
        ajwt_error err{};
        EXPECT_STATUS(AJWT_ERR_KEY_PARSE, load_jwk(rsa_jwk(n, bad_e), &err)) << err.message;
    }
    EXPECT_STATUS(AJWT_ERR_KEY_UNSUPPORTED, load_jwk(rsa_jwk(n, odd_bytes(9))));
    EXPECT_STATUS(AJWT_ERR_KEY_PARSE, load_jwk(rsa_jwk(n, "")));
}

TEST(HardeningKeys, KeyTextSizeIsCapped) {
    const std::string huge = "-----BEGIN PUBLIC KEY-----\n" + std::string(70000, 'A') + "\n-----END PUBLIC KEY-----\n";
    ajwt_key* key = nullptr;
    ajwt_error err{};
    EXPECT_STATUS(AJWT_ERR_KEY_TOO_LARGE, ajwt_key_load_public(huge.data(), huge.size(), AJWT_FORMAT_ANY, &key, &err));
    EXPECT_GT(std::strlen(err.message), 0u);
    EXPECT_STATUS(AJWT_ERR_KEY_TOO_LARGE, ajwt_key_load_private(huge.data(), huge.size(), nullptr, 0, &key, nullptr));
    EXPECT_EQ(key, nullptr);
}

// A JWK's "alg" binds the key to that one algorithm (RFC 8725 §3.1); without it, the type's defaults.
TEST(HardeningKeys, JwkAlgBindsTheKeyToOneAlgorithm) {
    const Key rsa = compat_rsa_private();
    nlohmann::json jwk = nlohmann::json::parse(export_key(rsa.get(), AJWT_EXPORT_PUBLIC_JWK));
    jwk["alg"] = "PS256";
    const Key pinned = load_public(jwk.dump(), AJWT_FORMAT_JWK);
    ajwt_alg algs[4];
    ASSERT_EQ(ajwt_key_algorithms(pinned.get(), algs, 4), 1u);
    EXPECT_EQ(algs[0], AJWT_ALG_PS256);
    EXPECT_EQ(ajwt_key_supports_alg(pinned.get(), AJWT_ALG_PS256), 1);
    EXPECT_EQ(ajwt_key_supports_alg(pinned.get(), AJWT_ALG_RS256), 0);
    EXPECT_EQ(export_key(pinned.get(), AJWT_EXPORT_PUBLIC_JWK).find(R"("alg":"PS256")") != std::string::npos, true);

    Verifier verifier = new_verifier();
    const ajwt_alg all[] = {AJWT_ALG_RS256, AJWT_ALG_RS512, AJWT_ALG_PS256};
    ASSERT_OK(ajwt_verifier_set_algorithms(verifier.get(), all, 3, nullptr));
    EXPECT_STATUS(
        AJWT_ERR_ALGORITHM_NOT_ALLOWED,
        parse_and_verify(verifier.get(), sign(rsa.get(), "alice", kNow, "n1", AJWT_ALG_RS256), pinned.get(), kNow));
    EXPECT_OK(
        parse_and_verify(verifier.get(), sign(rsa.get(), "alice", kNow, "n2", AJWT_ALG_PS256), pinned.get(), kNow));
    // The same key without "alg" takes the RSA defaults.
    jwk.erase("alg");
    const Key unpinned = load_public(jwk.dump(), AJWT_FORMAT_JWK);
    EXPECT_OK(
        parse_and_verify(verifier.get(), sign(rsa.get(), "alice", kNow, "n3", AJWT_ALG_RS256), unpinned.get(), kNow));
}

// ---- JWKS: document size and member caps ---------------------------------------------------

ajwt_status parse_jwks(const std::string& text, size_t* count = nullptr, ajwt_error* err = nullptr) {
    ajwt_keyset* set = nullptr;
    const ajwt_status status = ajwt_keyset_parse_jwks(text.data(), text.size(), &set, err);
    if (count) *count = set ? ajwt_keyset_count(set) : 0;
    ajwt_keyset_free(set);
    return status;
}

TEST(HardeningJwks, DocumentSizeAndMemberCaps) {
    const Key key = public_of(generate(AJWT_KEY_ED25519).get());
    const std::string member = export_key(key.get(), AJWT_EXPORT_PUBLIC_JWK);
    auto document = [&](size_t members) {
        std::string text = R"({"keys":[)";
        for (size_t i = 0; i < members; ++i) text += (i ? "," : "") + member;
        return text + "]}";
    };
    size_t count = 0;
    EXPECT_OK(parse_jwks(document(100), &count));
    EXPECT_EQ(count, 100u);
    ajwt_error err{};
    EXPECT_STATUS(AJWT_ERR_JWKS_PARSE, parse_jwks(document(101), nullptr, &err));
    EXPECT_GT(std::strlen(err.message), 0u);
    // Over 256 KiB, even with few members.
    const std::string padded = R"({"pad":")" + std::string(270 * 1024, 'p') + R"(","keys":[)" + member + "]}";
    EXPECT_STATUS(AJWT_ERR_JWKS_PARSE, parse_jwks(padded));
    const std::string fits = R"({"pad":")" + std::string(200 * 1024, 'p') + R"(","keys":[)" + member + "]}";
    EXPECT_OK(parse_jwks(fits));
}

TEST(HardeningJwks, DocumentStrictness) {
    for (const char* bad : {"", "[]", "{}", R"({"keys":{}})", R"({"keys":"x"})", R"({"keys":[],"keys":[]})",
                            "{\"keys\":[]} x", "{\"keys\":[\"\xff\"]}"}) {
        ajwt_error err{};
        EXPECT_STATUS(AJWT_ERR_JWKS_PARSE, parse_jwks(bad, nullptr, &err)) << bad;
        EXPECT_GT(std::strlen(err.message), 0u) << bad;
    }
    std::string deep = "1";
    for (int i = 0; i < 100; ++i) deep = "[" + deep + "]";
    EXPECT_STATUS(AJWT_ERR_JWKS_PARSE, parse_jwks(R"({"keys":[],"x":)" + deep + "}"));
    // Members it cannot use are skipped with a reason, not fatal.
    size_t count = 99;
    EXPECT_OK(parse_jwks(R"({"keys":[{"kty":"oct","k":"AAAA"},{"kty":"RSA","n":"AQAB","e":"AQAB"}]})", &count));
    EXPECT_EQ(count, 0u);
}

}  // namespace
