// Two-phase authentication for asynchronous hosts, and the nonce key and lifetime a host's own
// nonce store uses.
#include "capi_internal.hpp"
#include "nonce_key.hpp"

using ajwt_capi::bytes;
using ajwt_capi::guard;
using ajwt_capi::invalid_argument;
using ajwt_capi::require;

namespace {

ajwt::NonceOutcome nonce_outcome(const ajwt_nonce_outcome& outcome) {
    switch (ajwt_capi::enum_value(outcome)) {
        case AJWT_NONCE_RECORDED: return ajwt::NonceOutcome::Recorded;
        case AJWT_NONCE_ALREADY_RECORDED: return ajwt::NonceOutcome::AlreadyRecorded;
        case AJWT_NONCE_STORE_FAILED: return ajwt::NonceOutcome::StoreFailed;
        case AJWT_NONCE_USE_VERIFIER_STORE: return ajwt::NonceOutcome::UseVerifierStore;
        default: invalid_argument("unknown nonce outcome " + std::to_string(ajwt_capi::enum_value(outcome)));
    }
}

const char* borrowed(const std::string& text, size_t* len) noexcept {
    if (len) *len = text.size();
    return text.c_str();
}

const char* nothing(size_t* len) noexcept {
    if (len) *len = 0;
    return nullptr;
}

}  // namespace

extern "C" {

size_t ajwt_nonce_key_size(void) { return AJWT_NONCE_KEY_SIZE; }

ajwt_status ajwt_nonce_key(const char* username, size_t username_len, int64_t time, const char* nonce, size_t nonce_len,
                           char* out, size_t out_size, ajwt_error* err) {
    return guard(err, [&] {
        if (out == nullptr) invalid_argument("out is NULL");
        if (out_size < AJWT_NONCE_KEY_SIZE + 1)
            invalid_argument("out must hold AJWT_NONCE_KEY_SIZE + 1 bytes (" + std::to_string(out_size) + " given)");
        out[0] = '\0';
        const std::string key =
            ajwt::nonce_key(bytes(username, username_len, "username"), time, bytes(nonce, nonce_len, "nonce"));
        std::memcpy(out, key.c_str(), key.size() + 1);
    });
}

int64_t ajwt_verifier_nonce_ttl(const ajwt_verifier* verifier) {
    return verifier ? ajwt::nonce_ttl(verifier->verifier.policy().tolerance) : 0;
}

ajwt_status ajwt_authenticate_begin(const ajwt_authenticator* auth, const char* header, size_t header_len,
                                    ajwt_pending** out, ajwt_error* err) {
    return guard(err, [&] {
        ajwt_pending*& result = ajwt_capi::output(out, "out");
        const ajwt_authenticator& a = require(auth, "auth");
        result =
            new ajwt_pending{ajwt::PendingAuthentication(a.authenticator, ajwt_capi::header_text(header, header_len))};
    });
}

void ajwt_pending_free(ajwt_pending* pending) { delete pending; }

const char* ajwt_pending_username(const ajwt_pending* pending, size_t* len) {
    if (pending == nullptr) return nothing(len);
    return borrowed(pending->pending.token().claims().username, len);
}

const char* ajwt_pending_kid(const ajwt_pending* pending, size_t* len) {
    if (pending == nullptr || !pending->pending.token().kid()) return nothing(len);
    return borrowed(*pending->pending.token().kid(), len);
}

ajwt_status ajwt_pending_verify(ajwt_pending* pending, const ajwt_keyset* keys, int64_t now, const char* method,
                                size_t method_len, const char* target, size_t target_len, const uint8_t* body_digest,
                                ajwt_error* err) {
    return guard(err, [&] {
        ajwt_pending& p = require(pending, "pending");
        const ajwt::RequestDetails request =
            ajwt_capi::request_details(method, method_len, target, target_len, body_digest);
        p.pending.verify(keys ? keys->set : nullptr, now, &request);
    });
}

const char* ajwt_pending_nonce_key(const ajwt_pending* pending, size_t* len) {
    if (pending == nullptr || !pending->pending.verified()) return nothing(len);
    return borrowed(pending->pending.nonce_key(), len);
}

int64_t ajwt_pending_nonce_ttl(const ajwt_pending* pending) {
    if (pending == nullptr || !pending->pending.verified()) return 0;
    return pending->pending.nonce_ttl();
}

ajwt_status ajwt_pending_finish(ajwt_pending* pending, ajwt_nonce_outcome outcome, ajwt_token** token_out,
                                ajwt_key** key_out, ajwt_error* err) {
    return guard(err, [&] {
        if (token_out) *token_out = nullptr;
        if (key_out) *key_out = nullptr;
        ajwt_pending& p = require(pending, "pending");
        ajwt_capi::give_authentication(p.pending.finish(nonce_outcome(outcome)), token_out, key_out);
    });
}

}  // extern "C"
