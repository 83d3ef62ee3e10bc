// Verification with fixed keys: a whole token through a verifier (every algorithm allowed,
// a nonce store) against a key set, and raw signature bytes through ajwt_signature_verify,
// whose ECDSA r||s length and range checks run before OpenSSL.
#include "fuzz_common.hpp"

namespace fuzz_verify {

using namespace ajwt_fuzz;

const ajwt_keyset* fixed_keyset() {
    static ajwt_keyset* set = [] {
        ajwt_keyset* s = nullptr;
        if (ajwt_keyset_new(&s, nullptr) != AJWT_OK) fail("ajwt_keyset_new");
        for (ajwt_key* key : fixed_keys().public_keys)
            if (ajwt_keyset_add(s, key, nullptr) != AJWT_OK) fail("ajwt_keyset_add");
        return s;
    }();
    return set;
}

void verify_token(const char* text, size_t size) {
    static const std::vector<ajwt_status> allowed =
        parse_statuses({AJWT_ERR_BAD_SIGNATURE, AJWT_ERR_TOKEN_EXPIRED, AJWT_ERR_TOKEN_FROM_FUTURE,
                        AJWT_ERR_NONCE_REPLAYED, AJWT_ERR_NO_MATCHING_KEY});
    // A fresh verifier and store per input keep every run reproducible from its input alone.
    ajwt_verifier* verifier = nullptr;
    ajwt_nonce_store* store = nullptr;
    if (ajwt_verifier_new(&verifier, nullptr) != AJWT_OK ||
        ajwt_verifier_set_algorithms(verifier, all_algorithms().data(), all_algorithms().size(), nullptr) != AJWT_OK ||
        ajwt_nonce_store_new_memory(0, 0, &store, nullptr) != AJWT_OK ||
        ajwt_verifier_set_nonce_store(verifier, store, nullptr) != AJWT_OK)
        fail("verifier set-up");
    ajwt_nonce_store_free(store);

    ajwt_token* token = nullptr;
    ajwt_error err{};
    ajwt_status status = ajwt_verifier_parse(verifier, text, size, &token, &err);
    check_error(status, err);
    require_status_in(status, allowed, "ajwt_verifier_parse: unexpected status");
    if (status == AJWT_OK) {
        const ajwt_key* used = nullptr;
        status = ajwt_verify_keyset(verifier, token, fixed_keyset(), kNow, &used, &err);
        check_error(status, err);
        require_status_in(status, allowed, "ajwt_verify_keyset: unexpected status");
        if (status == AJWT_OK) {
            require(used != nullptr, "verified without naming the key");
            // The nonce was recorded: the same token again is a replay.
            status = ajwt_verify_keyset(verifier, token, fixed_keyset(), kNow, nullptr, nullptr);
            require(status == AJWT_ERR_NONCE_REPLAYED, "a verified token was accepted twice", status);
        }
        // Each key alone agrees with the set about the signature.
        for (ajwt_key* key : fixed_keys().public_keys) {
            const ajwt_status one = ajwt_verify(verifier, token, key, kNow, &err);
            check_error(one, err);
            require_status_in(one, allowed, "ajwt_verify: unexpected status");
        }
        ajwt_token_free(token);
    }
    ajwt_verifier_free(verifier);
}

// First byte: algorithm; the rest: the signature of a fixed message.
void verify_raw(const uint8_t* data, size_t size) {
    if (size == 0) return;
    const auto alg = static_cast<ajwt_alg>(data[0] % 10 + 1);
    static const char message[] = "eyJhbGciOiJFUzI1NiJ9.eyJ1c2VybmFtZSI6ImZ1enoifQ";
    for (ajwt_key* key : fixed_keys().public_keys) {
        if (!ajwt_key_supports_alg(key, alg)) continue;
        ajwt_error err{};
        const ajwt_status status = ajwt_signature_verify(key, alg, reinterpret_cast<const uint8_t*>(message),
                                                         sizeof message - 1, data + 1, size - 1, &err);
        check_error(status, err);
        require(status == AJWT_ERR_BAD_SIGNATURE || status == AJWT_OK, "ajwt_signature_verify: unexpected status",
                status);
    }
}

}  // namespace fuzz_verify

AJWT_FUZZ_TARGET(fuzz_verify_input) {
    fuzz_verify::verify_token(reinterpret_cast<const char*>(data), size);
    fuzz_verify::verify_raw(data, size);
    return 0;
}
