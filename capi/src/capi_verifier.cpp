// Verifier: policy setters, parse with the policy's size cap, verify with a key or a key set.
#include "algorithm.hpp"
#include "capi_internal.hpp"

using ajwt_capi::bytes;
using ajwt_capi::guard;
using ajwt_capi::invalid_argument;
using ajwt_capi::output;
using ajwt_capi::require;

extern "C" {

ajwt_status ajwt_verifier_new(ajwt_verifier** out, ajwt_error* err) {
    return guard(err, [&] {
        ajwt_verifier*& result = output(out, "out");  // checked before anything is allocated
        result = new ajwt_verifier{};
    });
}

void ajwt_verifier_free(ajwt_verifier* verifier) { delete verifier; }

ajwt_status ajwt_verifier_set_tolerance(ajwt_verifier* verifier, int64_t seconds, ajwt_error* err) {
    return guard(err, [&] { require(verifier, "verifier").verifier.set_tolerance(seconds); });
}

ajwt_status ajwt_verifier_set_leeway(ajwt_verifier* verifier, int64_t seconds, ajwt_error* err) {
    return guard(err, [&] { require(verifier, "verifier").verifier.set_leeway(seconds); });
}

ajwt_status ajwt_verifier_set_compat(ajwt_verifier* verifier, ajwt_compat compat, ajwt_error* err) {
    return guard(err, [&] {
        ajwt_verifier& v = require(verifier, "verifier");
        // Checked before it is used as an ajwt_compat (a C caller may pass any int).
        if (!ajwt_capi::enum_in(compat, AJWT_COMPAT_STRICT, AJWT_COMPAT_1X))
            invalid_argument("unknown token policy " + std::to_string(ajwt_capi::enum_value(compat)));
        v.verifier.set_compat(compat);
    });
}

ajwt_status ajwt_verifier_set_algorithms(ajwt_verifier* verifier, const ajwt_alg* algs, size_t count, ajwt_error* err) {
    return guard(err, [&] {
        ajwt_verifier& v = require(verifier, "verifier");
        if (algs == nullptr && count != 0) invalid_argument("algs is NULL with a non-zero count");
        // Checked before any element is used as an ajwt_alg (a C caller may pass any int).
        for (size_t i = 0; i < count; ++i)
            if (!ajwt_capi::enum_in(algs[i], AJWT_ALG_RS256, AJWT_ALG_EDDSA))
                invalid_argument("unknown algorithm " + std::to_string(ajwt_capi::enum_value(algs[i])));
        v.verifier.set_algorithms(std::vector<ajwt_alg>(algs, algs + count));
    });
}

ajwt_status ajwt_verifier_set_max_token_size(ajwt_verifier* verifier, size_t max_size, ajwt_error* err) {
    return guard(err, [&] { require(verifier, "verifier").verifier.set_max_token_size(max_size); });
}

ajwt_status ajwt_verifier_set_nonce_store(ajwt_verifier* verifier, ajwt_nonce_store* store, ajwt_error* err) {
    return guard(err, [&] {
        ajwt_verifier& v = require(verifier, "verifier");
        v.verifier.set_nonce_store(store ? store->store : nullptr);
    });
}

ajwt_status ajwt_verifier_parse(const ajwt_verifier* verifier, const char* token, size_t token_len, ajwt_token** out,
                                ajwt_error* err) {
    return guard(err, [&] {
        ajwt_token*& result = output(out, "out");
        const ajwt_verifier& v = require(verifier, "verifier");
        result = new ajwt_token{v.verifier.parse(bytes(token, token_len, "token"))};
    });
}

ajwt_status ajwt_verify(const ajwt_verifier* verifier, const ajwt_token* token, const ajwt_key* public_key, int64_t now,
                        ajwt_error* err) {
    return guard(err, [&] {
        const ajwt_verifier& v = require(verifier, "verifier");
        const ajwt_token& t = require(token, "token");
        const ajwt_key& k = require(public_key, "public_key");
        v.verifier.verify(t.token, *k.key, now);
    });
}

ajwt_status ajwt_verify_at(const ajwt_verifier* verifier, const ajwt_token* token, const ajwt_key* public_key,
                           double now, ajwt_error* err) {
    return guard(err, [&] {
        const ajwt_verifier& v = require(verifier, "verifier");
        const ajwt_token& t = require(token, "token");
        const ajwt_key& k = require(public_key, "public_key");
        v.verifier.verify(t.token, *k.key, ajwt::Clock::from_seconds(now));
    });
}

ajwt_status ajwt_verify_keyset(const ajwt_verifier* verifier, const ajwt_token* token, const ajwt_keyset* keys,
                               int64_t now, const ajwt_key** used_key, ajwt_error* err) {
    return guard(err, [&] {
        if (used_key) *used_key = nullptr;
        const ajwt_verifier& v = require(verifier, "verifier");
        const ajwt_token& t = require(token, "token");
        const ajwt_keyset& set = require(keys, "keys");
        const ajwt::KeyPtr& member = v.verifier.verify(t.token, *set.set, now);
        if (used_key) *used_key = set.handle_of(&member);
    });
}

}  // extern "C"
