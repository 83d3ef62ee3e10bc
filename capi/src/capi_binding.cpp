// Request binding: the signer's bound claims, the verifier's policy and audience, and the
// verify/authenticate calls that take the request's method, target and body digest.
#include <cstring>

#include "capi_internal.hpp"
#include "request_binding.hpp"

using ajwt_capi::bytes;
using ajwt_capi::guard;
using ajwt_capi::invalid_argument;
using ajwt_capi::request_details;
using ajwt_capi::require;

namespace {

std::optional<std::string> optional_text(const char* text, size_t length, const char* name) {
    if (text == nullptr) {
        if (length != 0) invalid_argument(std::string(name) + " is NULL with a non-zero length");
        return std::nullopt;
    }
    return std::string(bytes(text, length, name));
}

std::optional<ajwt::BodyDigest> optional_digest(const uint8_t* digest) {
    if (digest == nullptr) return std::nullopt;
    ajwt::BodyDigest value{};
    std::memcpy(value.data(), digest, value.size());
    return value;
}

}  // namespace

ajwt::RequestDetails ajwt_capi::request_details(const char* method, size_t method_len, const char* target,
                                                size_t target_len, const uint8_t* body_digest) {
    return ajwt::RequestDetails{optional_text(method, method_len, "method"),
                                optional_text(target, target_len, "target"), optional_digest(body_digest)};
}

extern "C" {

size_t ajwt_body_digest_size(void) { return AJWT_BODY_DIGEST_SIZE; }

ajwt_status ajwt_body_digest(const uint8_t* body, size_t body_len, uint8_t out[AJWT_BODY_DIGEST_SIZE],
                             ajwt_error* err) {
    return guard(err, [&] {
        if (out == nullptr) invalid_argument("out is NULL");
        const ajwt::BodyDigest digest = ajwt::body_digest(bytes(body, body_len, "body"));
        std::memcpy(out, digest.data(), digest.size());
    });
}

ajwt_status ajwt_request_target_normalize(const char* target, size_t target_len, char** out, size_t* out_len,
                                          ajwt_error* err) {
    return guard(err, [&] {
        ajwt_capi::byte_output(out, out_len);
        ajwt_capi::give_bytes(ajwt::normalize_target(bytes(target, target_len, "target")), out, out_len);
    });
}

ajwt_status ajwt_sign_request(const ajwt_key* private_key, const char* username, size_t username_len, int64_t time,
                              const char* nonce, size_t nonce_len, ajwt_alg alg, const char* method, size_t method_len,
                              const char* target, size_t target_len, const uint8_t* body_digest, const char* audience,
                              size_t audience_len, char** token, size_t* token_len, ajwt_error* err) {
    return guard(err, [&] {
        ajwt_capi::byte_output(token, token_len);
        const ajwt_key& key = require(private_key, "private_key");
        if (!ajwt_capi::enum_in(alg, AJWT_ALG_UNKNOWN, AJWT_ALG_EDDSA))
            invalid_argument("unknown algorithm " + std::to_string(ajwt_capi::enum_value(alg)));
        ajwt::Claims claims;
        claims.username = std::string(bytes(username, username_len, "username"));
        claims.time = time;
        claims.nonce = std::string(bytes(nonce, nonce_len, "nonce"));
        const ajwt::RequestBindingRequest request{
            optional_text(method, method_len, "method"), optional_text(target, target_len, "target"),
            optional_digest(body_digest), optional_text(audience, audience_len, "audience")};
        const ajwt::BoundClaims bound = ajwt::bound_claims_for(request);
        ajwt_capi::give_bytes(ajwt::sign_token(*key.key, claims, alg, bound), token, token_len);
    });
}

ajwt_status ajwt_verifier_set_binding(ajwt_verifier* verifier, ajwt_binding_policy policy, ajwt_error* err) {
    return guard(err, [&] {
        ajwt_verifier& v = require(verifier, "verifier");
        // Checked before it is used as an ajwt_binding_policy (a C caller may pass any int).
        if (!ajwt_capi::enum_in(policy, AJWT_BINDING_OFF, AJWT_BINDING_REQUIRED))
            invalid_argument("unknown binding policy " + std::to_string(ajwt_capi::enum_value(policy)));
        v.verifier.set_binding(policy);
    });
}

ajwt_status ajwt_verifier_set_audience(ajwt_verifier* verifier, const char* audience, size_t audience_len,
                                       ajwt_error* err) {
    return guard(err, [&] {
        ajwt_verifier& v = require(verifier, "verifier");
        v.verifier.set_audience(optional_text(audience, audience_len, "audience"));
    });
}

ajwt_status ajwt_verify_request(const ajwt_verifier* verifier, const ajwt_token* token, const ajwt_key* public_key,
                                double now, const char* method, size_t method_len, const char* target,
                                size_t target_len, const uint8_t* body_digest, ajwt_error* err) {
    return guard(err, [&] {
        const ajwt_verifier& v = require(verifier, "verifier");
        const ajwt_token& t = require(token, "token");
        const ajwt_key& k = require(public_key, "public_key");
        const ajwt::RequestDetails request = request_details(method, method_len, target, target_len, body_digest);
        v.verifier.verify(t.token, *k.key, ajwt::Clock::from_seconds(now), &request);
    });
}

ajwt_status ajwt_check_request_binding(const ajwt_verifier* verifier, const ajwt_token* token, const char* method,
                                       size_t method_len, const char* target, size_t target_len,
                                       const uint8_t* body_digest, ajwt_error* err) {
    return guard(err, [&] {
        const ajwt_verifier& v = require(verifier, "verifier");
        const ajwt_token& t = require(token, "token");
        const ajwt::RequestDetails request = request_details(method, method_len, target, target_len, body_digest);
        v.verifier.check_request(t.token, &request);
    });
}

}  // extern "C"
