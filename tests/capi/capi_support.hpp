// Helpers for the C ABI suites: status assertions, token surgery (base64url, JSON) and the
// compat test keys. Handles and failures come from the public C++ API (ajwt.hpp); the suites
// call ajwt.h themselves, never the core headers.
#pragma once

#include <cstring>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "ajwt.h"
#include "ajwt.hpp"
#include "test_vectors.hpp"

namespace capi_test {

using Key = ajwt_cpp::KeyHandle;
using Keyset = ajwt_cpp::KeySetHandle;
using Token = ajwt_cpp::TokenHandle;
using Store = ajwt_cpp::NonceStoreHandle;
using Verifier = ajwt_cpp::VerifierHandle;
using Auth = ajwt_cpp::AuthenticatorHandle;
using Bytes = ajwt_cpp::BytesHandle;
using ajwt_cpp::check;

// An ajwt_error that starts full of garbage, so tests see that the library NUL-terminates.
struct Err {
    ajwt_error e;
    Err() {
        std::memset(&e, 'X', sizeof e);
        e.status = static_cast<ajwt_status>(-1);
    }
    ajwt_error* get() { return &e; }
    std::string message() const { return std::string(e.message, strnlen(e.message, sizeof e.message)); }
};

inline std::string describe(ajwt_status status) {
    return std::string(ajwt_status_str(status)) + " (" + std::to_string(static_cast<int>(status)) + ")";
}

// Compares statuses and prints their names on failure; streamable like any EXPECT_*.
inline ::testing::AssertionResult status_eq(const char* expected_expr, const char* actual_expr, ajwt_status expected,
                                            ajwt_status actual) {
    if (expected == actual) return ::testing::AssertionSuccess();
    return ::testing::AssertionFailure() << actual_expr << " gave " << describe(actual) << ", expected "
                                         << describe(expected) << " (" << expected_expr << ")";
}

#define EXPECT_STATUS(expected, expr) EXPECT_PRED_FORMAT2(capi_test::status_eq, expected, expr)
#define ASSERT_STATUS(expected, expr) ASSERT_PRED_FORMAT2(capi_test::status_eq, expected, expr)
#define ASSERT_OK(expr) ASSERT_STATUS(AJWT_OK, expr)
#define EXPECT_OK(expr) EXPECT_STATUS(AJWT_OK, expr)

// ---- base64url and token surgery ----------------------------------------------------

inline std::string b64url_encode(std::string_view bytes) {
    static const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    std::string out;
    size_t i = 0;
    for (; i + 3 <= bytes.size(); i += 3) {
        unsigned v = (unsigned char)bytes[i] << 16 | (unsigned char)bytes[i + 1] << 8 | (unsigned char)bytes[i + 2];
        out += alphabet[v >> 18];
        out += alphabet[(v >> 12) & 63];
        out += alphabet[(v >> 6) & 63];
        out += alphabet[v & 63];
    }
    size_t rest = bytes.size() - i;
    if (rest == 1) {
        unsigned v = (unsigned char)bytes[i] << 16;
        out += alphabet[v >> 18];
        out += alphabet[(v >> 12) & 63];
    } else if (rest == 2) {
        unsigned v = (unsigned char)bytes[i] << 16 | (unsigned char)bytes[i + 1] << 8;
        out += alphabet[v >> 18];
        out += alphabet[(v >> 12) & 63];
        out += alphabet[(v >> 6) & 63];
    }
    return out;
}

inline std::string b64url_decode(std::string_view text) {
    auto value = [](char c) -> int {
        if (c >= 'A' && c <= 'Z') return c - 'A';
        if (c >= 'a' && c <= 'z') return c - 'a' + 26;
        if (c >= '0' && c <= '9') return c - '0' + 52;
        if (c == '-') return 62;
        if (c == '_') return 63;
        throw std::invalid_argument("not base64url");
    };
    std::string out;
    unsigned buffer = 0;
    int bits = 0;
    for (char c : text) {
        buffer = buffer << 6 | static_cast<unsigned>(value(c));
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            out += static_cast<char>((buffer >> bits) & 0xff);
        }
    }
    return out;
}

struct TokenParts {
    std::string header, payload, signature;  // still base64url
};

inline TokenParts split_token(const std::string& token) {
    size_t a = token.find('.');
    size_t b = token.find('.', a + 1);
    if (a == std::string::npos || b == std::string::npos) throw std::invalid_argument("not a token");
    return {token.substr(0, a), token.substr(a + 1, b - a - 1), token.substr(b + 1)};
}

inline std::string join_token(const TokenParts& parts) {
    return parts.header + "." + parts.payload + "." + parts.signature;
}

inline nlohmann::json decode_part(const std::string& part) { return nlohmann::json::parse(b64url_decode(part)); }

inline std::string encode_part(const nlohmann::json& object) { return b64url_encode(object.dump()); }

// A token built by hand: header and payload as given, signature bytes as given.
inline std::string craft_token(const nlohmann::json& header, const nlohmann::json& payload,
                               std::string_view signature = "not really a signature") {
    return encode_part(header) + "." + encode_part(payload) + "." + b64url_encode(signature);
}

// ---- keys and tokens -----------------------------------------------------------------

inline const nlohmann::json& compat() { return ajwt_test::compat_vectors(); }

inline Key load_public(const std::string& text, ajwt_key_format format = AJWT_FORMAT_ANY) {
    ajwt_key* key = nullptr;
    ajwt_error err{};
    check(ajwt_key_load_public(text.data(), text.size(), format, &key, &err), err);
    return Key(key);
}

inline Key load_private(const std::string& text, const char* password = nullptr) {
    ajwt_key* key = nullptr;
    ajwt_error err{};
    check(ajwt_key_load_private(text.data(), text.size(), password, password ? std::strlen(password) : 0, &key, &err),
          err);
    return Key(key);
}

inline Key generate(ajwt_key_type type, unsigned rsa_bits = 0) {
    ajwt_key* key = nullptr;
    ajwt_error err{};
    check(ajwt_key_generate(type, rsa_bits, 0, &key, &err), err);
    return Key(key);
}

inline Key public_of(const ajwt_key* key) {
    ajwt_key* pub = nullptr;
    ajwt_error err{};
    check(ajwt_key_public(key, &pub, &err), err);
    return Key(pub);
}

// The 2048-bit RSA test key of asymmetric-jwt-auth 1.x (no generation needed: fast tests).
inline Key compat_rsa_private() { return load_private(compat()["private_keys"]["rsa_pkcs8_pem"]["text"]); }

inline std::string fingerprint(const ajwt_key* key) {
    char out[AJWT_FINGERPRINT_SIZE];
    ajwt_error err{};
    check(ajwt_key_fingerprint(key, out, &err), err);
    return out;
}

inline std::string export_key(const ajwt_key* key, ajwt_export_format format, const char* password = nullptr) {
    char* out = nullptr;
    size_t len = 0;
    ajwt_error err{};
    check(ajwt_key_export(key, format, password, password ? std::strlen(password) : 0, &out, &len, &err), err);
    return ajwt_cpp::take(out, len);
}

inline ajwt_status try_sign(const ajwt_key* key, const std::string& username, int64_t time, const std::string& nonce,
                            ajwt_alg alg, std::string* token, ajwt_error* err = nullptr) {
    char* out = nullptr;
    size_t len = 0;
    ajwt_status status =
        ajwt_sign(key, username.data(), username.size(), time, nonce.data(), nonce.size(), alg, &out, &len, err);
    Bytes owner(out);
    if (status == AJWT_OK && token) *token = std::string(out, len);
    return status;
}

inline std::string sign(const ajwt_key* key, const std::string& username, int64_t time, const std::string& nonce,
                        ajwt_alg alg = AJWT_ALG_UNKNOWN) {
    std::string token;
    ajwt_error err{};
    check(try_sign(key, username, time, nonce, alg, &token, &err), err);
    return token;
}

inline Verifier new_verifier() {
    ajwt_verifier* v = nullptr;
    ajwt_error err{};
    check(ajwt_verifier_new(&v, &err), err);
    return Verifier(v);
}

inline Store new_memory_store(int64_t ttl = 0, size_t max_entries = 0) {
    ajwt_nonce_store* s = nullptr;
    ajwt_error err{};
    check(ajwt_nonce_store_new_memory(ttl, max_entries, &s, &err), err);
    return Store(s);
}

inline Keyset new_keyset() {
    ajwt_keyset* s = nullptr;
    ajwt_error err{};
    check(ajwt_keyset_new(&s, &err), err);
    return Keyset(s);
}

// Parse with the verifier, then verify with one key; the first failing status.
inline ajwt_status parse_and_verify(const ajwt_verifier* verifier, const std::string& token, const ajwt_key* key,
                                    int64_t now, ajwt_error* err = nullptr) {
    ajwt_token* parsed = nullptr;
    ajwt_status status = ajwt_verifier_parse(verifier, token.data(), token.size(), &parsed, err);
    Token owner(parsed);
    if (status != AJWT_OK) return status;
    return ajwt_verify(verifier, parsed, key, now, err);
}

inline ajwt_status parse_status(const std::string& token, size_t max_size = 0) {
    ajwt_token* parsed = nullptr;
    ajwt_status status = ajwt_token_parse(token.data(), token.size(), max_size, &parsed, nullptr);
    Token owner(parsed);
    if (status != AJWT_OK && parsed != nullptr) return AJWT_ERR_INTERNAL;  // no handle on failure
    return status;
}

}  // namespace capi_test
