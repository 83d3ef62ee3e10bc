// Keys: load, generate, inspect, export.
#include <optional>

#include "capi_internal.hpp"
#include "key_io.hpp"

using ajwt_capi::bytes;
using ajwt_capi::guard;
using ajwt_capi::invalid_argument;
using ajwt_capi::output;
using ajwt_capi::require;

namespace {

std::optional<std::string_view> optional_password(const char* password, size_t password_len) {
    if (password == nullptr) return std::nullopt;
    return std::string_view(password, password_len);
}

using ajwt_capi::enum_in;
using ajwt_capi::enum_value;

bool valid_key_type(const ajwt_key_type& type) { return enum_in(type, AJWT_KEY_RSA, AJWT_KEY_EC_P521); }

bool valid_public_format(const ajwt_key_format& format) { return enum_in(format, AJWT_FORMAT_ANY, AJWT_FORMAT_JWK); }

bool valid_export_format(const ajwt_export_format& format) {
    return enum_in(format, AJWT_EXPORT_PUBLIC_PEM, AJWT_EXPORT_PRIVATE_PKCS8);
}

}  // namespace

extern "C" {

ajwt_status ajwt_key_load_public(const char* text, size_t text_len, ajwt_key_format format, ajwt_key** out,
                                 ajwt_error* err) {
    return guard(err, [&] {
        ajwt_key*& result = output(out, "out");
        std::string_view input = bytes(text, text_len, "text");
        if (!valid_public_format(format)) invalid_argument("unknown key format " + std::to_string(enum_value(format)));
        result = new ajwt_key{ajwt::load_public_key_cached(input, format)};
    });
}

ajwt_status ajwt_key_load_private(const char* text, size_t text_len, const char* password, size_t password_len,
                                  ajwt_key** out, ajwt_error* err) {
    return guard(err, [&] {
        ajwt_key*& result = output(out, "out");
        std::string_view input = bytes(text, text_len, "text");
        result = new ajwt_key{ajwt::load_private_key(input, optional_password(password, password_len))};
    });
}

ajwt_status ajwt_key_generate(ajwt_key_type type, unsigned rsa_bits, uint64_t rsa_exponent, ajwt_key** out,
                              ajwt_error* err) {
    return guard(err, [&] {
        ajwt_key*& result = output(out, "out");
        if (!valid_key_type(type)) invalid_argument("unknown key type " + std::to_string(enum_value(type)));
        result = new ajwt_key{ajwt::generate_key(type, rsa_bits, rsa_exponent)};
    });
}

ajwt_status ajwt_key_public(const ajwt_key* key, ajwt_key** out, ajwt_error* err) {
    return guard(err, [&] {
        ajwt_key*& result = output(out, "out");
        const ajwt_key& k = require(key, "key");
        result = new ajwt_key{k.key->public_key(k.key)};
    });
}

void ajwt_key_free(ajwt_key* key) { delete key; }

ajwt_key_type ajwt_key_get_type(const ajwt_key* key) { return key ? key->key->type() : static_cast<ajwt_key_type>(0); }

int ajwt_key_is_private(const ajwt_key* key) { return key && key->key->is_private() ? 1 : 0; }

unsigned ajwt_key_bits(const ajwt_key* key) { return key ? key->key->bits() : 0; }

const char* ajwt_key_comment(const ajwt_key* key, size_t* len) {
    if (key == nullptr) {
        if (len) *len = 0;
        return "";
    }
    const std::string& comment = key->key->comment();
    if (len) *len = comment.size();
    return comment.c_str();
}

ajwt_status ajwt_key_fingerprint(const ajwt_key* key, char out[AJWT_FINGERPRINT_SIZE], ajwt_error* err) {
    return guard(err, [&] {
        if (out == nullptr) invalid_argument("out is NULL");
        out[0] = '\0';
        const std::string& fingerprint = require(key, "key").key->fingerprint();
        if (fingerprint.size() != AJWT_FINGERPRINT_SIZE - 1)
            throw ajwt::Error(AJWT_ERR_INTERNAL, "fingerprint of unexpected length");
        std::memcpy(out, fingerprint.data(), fingerprint.size());
        out[fingerprint.size()] = '\0';
    });
}

size_t ajwt_key_algorithms(const ajwt_key* key, ajwt_alg* out, size_t capacity) {
    if (key == nullptr) return 0;
    const auto& algorithms = key->key->algorithms();
    for (size_t i = 0; out != nullptr && i < capacity && i < algorithms.size(); ++i) out[i] = algorithms[i];
    return algorithms.size();
}

int ajwt_key_supports_alg(const ajwt_key* key, ajwt_alg alg) {
    if (!enum_in(alg, AJWT_ALG_RS256, AJWT_ALG_EDDSA)) return 0;
    return key && key->key->supports(alg) ? 1 : 0;
}

ajwt_status ajwt_key_export(const ajwt_key* key, ajwt_export_format format, const char* password, size_t password_len,
                            char** out, size_t* out_len, ajwt_error* err) {
    return guard(err, [&] {
        ajwt_capi::byte_output(out, out_len);
        const ajwt_key& k = require(key, "key");
        if (!valid_export_format(format))
            invalid_argument("unknown export format " + std::to_string(enum_value(format)));
        std::optional<std::string_view> pass;
        if (format == AJWT_EXPORT_PRIVATE_PKCS8) pass = optional_password(password, password_len);
        ajwt_capi::give_bytes(ajwt::export_key(*k.key, format, pass), out, out_len);
    });
}

int ajwt_key_equal(const ajwt_key* a, const ajwt_key* b) {
    if (a == nullptr || b == nullptr) return 0;
    return a->key->same_public_key(*b->key) ? 1 : 0;
}

}  // extern "C"
