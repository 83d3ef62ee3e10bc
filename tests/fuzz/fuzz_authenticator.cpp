// The authenticator on a whole Authorization header: the complete server-side flow over
// repository callbacks (user exists, registered keys, JWKS keys, key used) and a nonce store.
#include "fuzz_common.hpp"

namespace fuzz_authenticator {

using namespace ajwt_fuzz;

struct Calls {
    int key_used = 0;
};

ajwt_status user_exists(void*, const char* username, size_t len) {
    require(username != nullptr && len > 0 && len <= kMaxClaimSize, "user_exists got an unchecked username");
    return len == 7 && std::memcmp(username, "nobody1", 7) == 0 ? AJWT_ERR_UNKNOWN_USER : AJWT_OK;
}

// Registered keys: RSA, Ed25519 and Ed448 (the first three fixed keys).
ajwt_status user_keys(void*, const char* username, size_t len, const char*, size_t, ajwt_keyset* out) {
    require(username != nullptr && len > 0, "user_keys got no username");
    if (len == 7 && std::memcmp(username, "failing", 7) == 0) return AJWT_ERR_CALLBACK_FAILED;
    const auto& keys = fixed_keys().public_keys;
    for (size_t i = 0; i < 3; ++i)
        if (ajwt_keyset_add(out, keys[i], nullptr) != AJWT_OK) fail("ajwt_keyset_add");
    return AJWT_OK;
}

// The EC keys come from the user's "JWKS endpoint", asked only for an unknown kid.
ajwt_status user_jwks(void*, const char*, size_t, const char*, size_t, ajwt_keyset* out) {
    static const std::string jwks = [] {
        ajwt_keyset* set = nullptr;
        if (ajwt_keyset_new(&set, nullptr) != AJWT_OK) fail("ajwt_keyset_new");
        const auto& keys = fixed_keys().public_keys;
        for (size_t i = 3; i < keys.size(); ++i)
            if (ajwt_keyset_add(set, keys[i], nullptr) != AJWT_OK) fail("ajwt_keyset_add");
        char* text = nullptr;
        size_t len = 0;
        if (ajwt_keyset_to_jwks(set, &text, &len, nullptr) != AJWT_OK) fail("ajwt_keyset_to_jwks");
        std::string copy(text, len);
        ajwt_free(text);
        ajwt_keyset_free(set);
        return copy;
    }();
    return ajwt_keyset_add_jwks(out, jwks.data(), jwks.size(), nullptr);
}

void key_used(void* user_data, const char*, size_t, const ajwt_key* key) {
    require(key != nullptr, "key_used without a key");
    ++static_cast<Calls*>(user_data)->key_used;
}

}  // namespace fuzz_authenticator

AJWT_FUZZ_TARGET(fuzz_authenticator_input) {
    using namespace fuzz_authenticator;
    static const std::vector<ajwt_status> allowed =
        parse_statuses({AJWT_ERR_NO_AUTH_HEADER, AJWT_ERR_WRONG_AUTH_METHOD, AJWT_ERR_UNKNOWN_USER,
                        AJWT_ERR_NO_MATCHING_KEY, AJWT_ERR_BAD_SIGNATURE, AJWT_ERR_TOKEN_EXPIRED,
                        AJWT_ERR_TOKEN_FROM_FUTURE, AJWT_ERR_NONCE_REPLAYED, AJWT_ERR_CALLBACK_FAILED});
    // Built per input (cheap) so a run depends on its input only.
    Calls calls;
    ajwt_verifier* verifier = nullptr;
    ajwt_nonce_store* store = nullptr;
    ajwt_authenticator* auth = nullptr;
    if (ajwt_verifier_new(&verifier, nullptr) != AJWT_OK ||
        ajwt_nonce_store_new_memory(0, 0, &store, nullptr) != AJWT_OK ||
        ajwt_verifier_set_nonce_store(verifier, store, nullptr) != AJWT_OK ||
        ajwt_authenticator_new(verifier, &auth, nullptr) != AJWT_OK ||
        ajwt_authenticator_set_user_exists(auth, user_exists, nullptr, nullptr) != AJWT_OK ||
        ajwt_authenticator_set_user_keys(auth, user_keys, nullptr, nullptr) != AJWT_OK ||
        ajwt_authenticator_set_user_jwks(auth, user_jwks, nullptr, nullptr) != AJWT_OK ||
        ajwt_authenticator_set_key_used(auth, key_used, &calls, nullptr) != AJWT_OK)
        ajwt_fuzz::fail("authenticator set-up");
    ajwt_nonce_store_free(store);
    ajwt_verifier_free(verifier);

    const char* header = reinterpret_cast<const char*>(data);
    ajwt_token* token = nullptr;
    ajwt_key* key = nullptr;
    ajwt_error err{};
    ajwt_status status = ajwt_authenticate(auth, header, size, ajwt_fuzz::kNow, &token, &key, &err);
    ajwt_fuzz::check_error(status, err);
    ajwt_fuzz::require_status_in(status, allowed, "ajwt_authenticate: unexpected status");
    if (status == AJWT_OK) {
        ajwt_fuzz::require(token != nullptr && key != nullptr && calls.key_used == 1, "success without its results");
        size_t len = 0;
        ajwt_fuzz::check_claim_string(ajwt_token_username(token, &len), len, "authenticated username");
        status = ajwt_authenticate(auth, header, size, ajwt_fuzz::kNow, nullptr, nullptr, nullptr);
        ajwt_fuzz::require(status == AJWT_ERR_NONCE_REPLAYED, "an authenticated header was accepted twice", status);
    } else {
        ajwt_fuzz::require(token == nullptr && key == nullptr && calls.key_used == 0, "failure with results");
    }
    ajwt_token_free(token);
    ajwt_key_free(key);
    ajwt_authenticator_free(auth);
    return 0;
}
