// Private key loading: PKCS#8 (plain / encrypted), traditional PEM, OPENSSH PRIVATE KEY.
// What loads must sign a token that its public half verifies.
#include "fuzz_common.hpp"

namespace fuzz_private_key {

using namespace ajwt_fuzz;

const std::vector<ajwt_status>& allowed() {
    static const std::vector<ajwt_status> statuses = {
        AJWT_ERR_KEY_PARSE,         AJWT_ERR_KEY_UNSUPPORTED, AJWT_ERR_KEY_TOO_SMALL,         AJWT_ERR_KEY_TOO_LARGE,
        AJWT_ERR_PASSWORD_REQUIRED, AJWT_ERR_WRONG_PASSWORD,  AJWT_ERR_ENCRYPTED_OPENSSH_KEY, AJWT_ERR_NOT_PRIVATE_KEY};
    return statuses;
}

void check_signs(const ajwt_key* key) {
    require(ajwt_key_is_private(key) == 1, "a private loader returned a public key");
    char* token = nullptr;
    size_t len = 0;
    ajwt_status status = ajwt_sign(key, "fuzz", 4, kNow, "nonce", 5, AJWT_ALG_UNKNOWN, &token, &len, nullptr);
    require(status == AJWT_OK, "a loaded private key cannot sign", status);

    ajwt_key* pub = public_or_die(key);
    ajwt_verifier* verifier = nullptr;
    ajwt_token* parsed = nullptr;
    if (ajwt_verifier_new(&verifier, nullptr) != AJWT_OK) fail("ajwt_verifier_new");
    status = ajwt_verifier_parse(verifier, token, len, &parsed, nullptr);
    require(status == AJWT_OK, "a token signed by a loaded key does not parse", status);
    status = ajwt_verify(verifier, parsed, pub, kNow, nullptr);
    require(status == AJWT_OK, "a token signed by a loaded key does not verify with its public half", status);
    ajwt_token_free(parsed);
    ajwt_verifier_free(verifier);
    ajwt_key_free(pub);
    ajwt_free(token);
}

}  // namespace fuzz_private_key

AJWT_FUZZ_TARGET(fuzz_private_key_input) {
    using namespace fuzz_private_key;
    const char* text = reinterpret_cast<const char*>(data);
    ajwt_key* key = nullptr;
    ajwt_error err{};
    ajwt_status status = ajwt_key_load_private(text, size, nullptr, 0, &key, &err);
    ajwt_fuzz::check_error(status, err);
    ajwt_fuzz::require_status_in(status, allowed(), "ajwt_key_load_private: unexpected status");
    if (status == AJWT_ERR_PASSWORD_REQUIRED) {
        // The seeds' encrypted keys use this password, so mutations reach the decrypted DER.
        status = ajwt_key_load_private(text, size, "password", 8, &key, &err);
        ajwt_fuzz::check_error(status, err);
        ajwt_fuzz::require_status_in(status, allowed(), "ajwt_key_load_private (password): unexpected status");
    }
    if (status == AJWT_OK) {
        check_signs(key);
        ajwt_key_free(key);
    }
    return 0;
}
