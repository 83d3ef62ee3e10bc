// Signing, the raw signature check, and parsed (not yet trusted) tokens.
#include <cstring>

#include "algorithm.hpp"
#include "capi_internal.hpp"
#include "signature.hpp"

using ajwt_capi::bytes;
using ajwt_capi::guard;
using ajwt_capi::invalid_argument;
using ajwt_capi::output;
using ajwt_capi::require;

namespace {

void require_alg(const ajwt_alg& alg, bool unknown_ok) {
    if (ajwt_capi::enum_in(alg, unknown_ok ? AJWT_ALG_UNKNOWN : AJWT_ALG_RS256, AJWT_ALG_EDDSA)) return;
    invalid_argument("unknown algorithm " + std::to_string(ajwt_capi::enum_value(alg)));
}

}  // namespace

extern "C" {

ajwt_status ajwt_sign(const ajwt_key* private_key, const char* username, size_t username_len, int64_t time,
                      const char* nonce, size_t nonce_len, ajwt_alg alg, char** token, size_t* token_len,
                      ajwt_error* err) {
    return guard(err, [&] {
        ajwt_capi::byte_output(token, token_len);
        const ajwt_key& key = require(private_key, "private_key");
        require_alg(alg, true);
        ajwt::Claims claims;
        claims.username = std::string(bytes(username, username_len, "username"));
        claims.time = time;
        claims.nonce = std::string(bytes(nonce, nonce_len, "nonce"));
        ajwt_capi::give_bytes(ajwt::sign_token(*key.key, claims, alg), token, token_len);
    });
}

ajwt_status ajwt_auth_header(const char* method, size_t method_len, const char* token, size_t token_len, char** out,
                             size_t* out_len, ajwt_error* err) {
    return guard(err, [&] {
        ajwt_capi::byte_output(out, out_len);
        std::string_view word = method ? std::string_view(method, method_len) : ajwt::kDefaultAuthMethod;
        ajwt_capi::give_bytes(ajwt::make_auth_header(word, bytes(token, token_len, "token")), out, out_len);
    });
}

ajwt_status ajwt_generate_nonce(char out[AJWT_NONCE_SIZE], ajwt_error* err) {
    return guard(err, [&] {
        if (out == nullptr) invalid_argument("out is NULL");
        const std::string nonce = ajwt::generate_nonce();
        std::memcpy(out, nonce.c_str(), nonce.size() + 1);
    });
}

size_t ajwt_nonce_size(void) { return AJWT_NONCE_SIZE; }

ajwt_status ajwt_signature_verify(const ajwt_key* public_key, ajwt_alg alg, const uint8_t* message, size_t message_len,
                                  const uint8_t* signature, size_t signature_len, ajwt_error* err) {
    return guard(err, [&]() -> ajwt_status {
        const ajwt_key& key = require(public_key, "public_key");
        require_alg(alg, false);
        std::string_view msg = bytes(message, message_len, "message");
        std::string_view sig = bytes(signature, signature_len, "signature");
        return ajwt::verify_bytes(*key.key, alg, msg, sig) ? AJWT_OK : AJWT_ERR_BAD_SIGNATURE;
    });
}

ajwt_status ajwt_token_parse(const char* token, size_t token_len, size_t max_size, ajwt_token** out, ajwt_error* err) {
    return guard(err, [&] {
        ajwt_token*& result = output(out, "out");
        std::string_view text = bytes(token, token_len, "token");
        result = new ajwt_token{ajwt::parse_token(text, max_size)};
    });
}

void ajwt_token_free(ajwt_token* token) { delete token; }

const char* ajwt_token_username(const ajwt_token* token, size_t* len) {
    if (token == nullptr) {
        if (len) *len = 0;
        return nullptr;
    }
    const std::string& username = token->token.claims().username;
    if (len) *len = username.size();
    return username.c_str();
}

const char* ajwt_token_nonce(const ajwt_token* token, size_t* len) {
    if (token == nullptr) {
        if (len) *len = 0;
        return nullptr;
    }
    const std::string& nonce = token->token.claims().nonce;
    if (len) *len = nonce.size();
    return nonce.c_str();
}

int64_t ajwt_token_time(const ajwt_token* token) { return token ? token->token.claims().time : 0; }
double ajwt_token_time_exact(const ajwt_token* token) { return token ? token->token.exact_time() : 0; }

ajwt_alg ajwt_token_alg(const ajwt_token* token) { return token ? token->token.alg() : AJWT_ALG_UNKNOWN; }

const char* ajwt_token_kid(const ajwt_token* token, size_t* len) {
    if (len) *len = 0;
    if (token == nullptr || !token->token.kid()) return nullptr;
    if (len) *len = token->token.kid()->size();
    return token->token.kid()->c_str();
}

}  // extern "C"
