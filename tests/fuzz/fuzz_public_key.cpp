// Public key loading in every format (PEM SPKI / PKCS#1, OpenSSH line, JWK, and "any"): the
// text a user pastes into an admin form or a repository returns. What loads must export and
// load back to the same key.
#include "fuzz_common.hpp"

namespace fuzz_public_key {

using namespace ajwt_fuzz;

const std::vector<ajwt_status>& allowed() {
    static const std::vector<ajwt_status> statuses = {AJWT_ERR_KEY_PARSE, AJWT_ERR_KEY_UNSUPPORTED,
                                                      AJWT_ERR_KEY_TOO_SMALL, AJWT_ERR_KEY_TOO_LARGE,
                                                      AJWT_ERR_PRIVATE_KEY_GIVEN};
    return statuses;
}

ajwt_status load(const char* text, size_t size, ajwt_key_format format, ajwt_key** out) {
    ajwt_error err{};
    const ajwt_status status = ajwt_key_load_public(text, size, format, out, &err);
    check_error(status, err);
    require_status_in(status, allowed(), "ajwt_key_load_public: unexpected status");
    require((status == AJWT_OK) == (*out != nullptr), "handle and status disagree", status);
    return status;
}

// Export in `format`, load the text back, and expect the same public key.
void round_trip(const ajwt_key* key, ajwt_export_format export_format, ajwt_key_format load_format) {
    char* text = nullptr;
    size_t len = 0;
    ajwt_status status = ajwt_key_export(key, export_format, nullptr, 0, &text, &len, nullptr);
    require(status == AJWT_OK && text != nullptr && text[len] == '\0', "export of a loaded key", status);
    ajwt_key* again = nullptr;
    status = ajwt_key_load_public(text, len, load_format, &again, nullptr);
    ajwt_free(text);
    require(status == AJWT_OK, "an exported key does not load back", status);
    require(ajwt_key_equal(key, again) == 1, "an exported key loads back as another key");
    ajwt_key_free(again);
}

void check_key(const ajwt_key* key) {
    require(ajwt_key_is_private(key) == 0, "a public loader returned a private key");
    const ajwt_key_type type = ajwt_key_get_type(key);
    require(type >= AJWT_KEY_RSA && type <= AJWT_KEY_EC_P521, "key of an unknown type");
    if (type == AJWT_KEY_RSA)
        require(ajwt_key_bits(key) >= 2048 && ajwt_key_bits(key) <= 8192, "RSA key outside 2048..8192 bits");
    char fingerprint[AJWT_FINGERPRINT_SIZE];
    require(ajwt_key_fingerprint(key, fingerprint, nullptr) == AJWT_OK && std::strlen(fingerprint) == 64,
            "fingerprint");
    ajwt_alg algs[8];
    require(ajwt_key_algorithms(key, algs, 8) >= 1, "a key without algorithms");
    round_trip(key, AJWT_EXPORT_PUBLIC_PEM, AJWT_FORMAT_PEM);
    round_trip(key, AJWT_EXPORT_PUBLIC_JWK, AJWT_FORMAT_JWK);
    round_trip(key, AJWT_EXPORT_PUBLIC_OPENSSH, AJWT_FORMAT_OPENSSH);
}

}  // namespace fuzz_public_key

AJWT_FUZZ_TARGET(fuzz_public_key_input) {
    using namespace fuzz_public_key;
    const char* text = reinterpret_cast<const char*>(data);
    ajwt_key* any = nullptr;
    load(text, size, AJWT_FORMAT_ANY, &any);
    bool some_format_loads = false;
    for (ajwt_key_format format : {AJWT_FORMAT_PEM, AJWT_FORMAT_OPENSSH, AJWT_FORMAT_JWK}) {
        ajwt_key* key = nullptr;
        if (load(text, size, format, &key) != AJWT_OK) continue;
        some_format_loads = true;
        check_key(key);
        // ANY picks the format from the first characters: it must find the same key.
        ajwt_fuzz::require(any != nullptr && ajwt_key_equal(any, key) == 1, "ANY disagrees with a specific format");
        ajwt_key_free(key);
    }
    ajwt_fuzz::require(some_format_loads == (any != nullptr), "ANY loads what no specific format loads");
    ajwt_key_free(any);
    return 0;
}
