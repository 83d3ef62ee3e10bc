// JWK Set documents, as a host fetches them from a client's JWKS URL: fully attacker-chosen.
#include "fuzz_common.hpp"

AJWT_FUZZ_TARGET(fuzz_jwks_input) {
    using namespace ajwt_fuzz;
    const char* text = reinterpret_cast<const char*>(data);
    ajwt_keyset* set = nullptr;
    ajwt_error err{};
    ajwt_status status = ajwt_keyset_parse_jwks(text, size, &set, &err);
    check_error(status, err);
    require(status == AJWT_OK || status == AJWT_ERR_JWKS_PARSE, "ajwt_keyset_parse_jwks: unexpected status", status);
    require((status == AJWT_OK) == (set != nullptr), "handle and status disagree", status);
    if (status != AJWT_OK) return 0;

    const size_t count = ajwt_keyset_count(set);
    require(count <= 100, "more members than the JWKS member cap");
    for (size_t i = 0; i < count; ++i) {
        const ajwt_key* key = ajwt_keyset_get(set, i);
        require(key != nullptr && ajwt_key_is_private(key) == 0, "member missing or private");
    }
    require(ajwt_keyset_get(set, count) == nullptr, "member past the end");
    for (size_t i = 0; i < ajwt_keyset_skipped_count(set); ++i)
        require(ajwt_keyset_skipped_reason(set, i) != nullptr, "skipped member without a reason");
    (void)ajwt_keyset_find(set, text, size > 64 ? 64 : size);

    // Written out and parsed again, the set keeps its members and skips nothing.
    char* jwks = nullptr;
    size_t len = 0;
    status = ajwt_keyset_to_jwks(set, &jwks, &len, nullptr);
    require(status == AJWT_OK, "ajwt_keyset_to_jwks", status);
    ajwt_keyset* again = nullptr;
    status = ajwt_keyset_parse_jwks(jwks, len, &again, nullptr);
    require(status == AJWT_OK, "a written JWKS does not parse back", status);
    require(ajwt_keyset_count(again) == count && ajwt_keyset_skipped_count(again) == 0, "JWKS round trip changed it");
    for (size_t i = 0; i < count; ++i)
        require(ajwt_key_equal(ajwt_keyset_get(set, i), ajwt_keyset_get(again, i)) == 1,
                "JWKS round trip changed a key");
    ajwt_free(jwks);
    ajwt_keyset_free(again);
    ajwt_keyset_free(set);
    return 0;
}
