// JOSE signature algorithms and which key types they fit.
#pragma once

#include <string_view>
#include <vector>

#include <openssl/evp.h>

#include "ajwt.h"

namespace ajwt {

// "RS256" … "EdDSA"; nullptr for AJWT_ALG_UNKNOWN or out-of-range values.
const char* alg_name(ajwt_alg alg) noexcept;
// Exact, case-sensitive lookup; AJWT_ALG_UNKNOWN for anything else ("none", "HS256", …).
ajwt_alg alg_from_name(std::string_view name) noexcept;
// True when `alg` can be used with a key of `type` at all (RSA: RS*/PS*; P-256: ES256; …).
bool alg_fits_key(ajwt_alg alg, ajwt_key_type type) noexcept;
// The key type's default algorithms, most preferred first (RSA: RS512, RS384, RS256).
const std::vector<ajwt_alg>& default_algorithms(ajwt_key_type type);
// Every algorithm that is a default for some key type (what a default verifier accepts).
const std::vector<ajwt_alg>& all_default_algorithms();
// The digest an algorithm hashes with; nullptr for EdDSA (which hashes internally).
const EVP_MD* alg_digest(ajwt_alg alg) noexcept;
bool alg_is_valid(ajwt_alg alg) noexcept;

}  // namespace ajwt
