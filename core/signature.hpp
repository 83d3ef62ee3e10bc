// The signature primitive tokens use: sign and verify bytes with a key and a JOSE algorithm.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "ajwt.h"
#include "key.hpp"

namespace ajwt {

// JWS signature bytes (ECDSA as fixed-size r||s). Throws: NOT_PRIVATE_KEY,
// ALGORITHM_NOT_ALLOWED (alg does not fit the key type).
std::string sign_bytes(const Key& key, ajwt_alg alg, std::string_view message);
// True when `signature` is a valid JWS signature of `message`. Never throws for a bad or
// malformed signature (false); throws ALGORITHM_NOT_ALLOWED when alg does not fit the key.
// ECDSA: length must be exactly 2 × field size and r, s in [1, n-1], checked before OpenSSL.
// PSS: MGF1 with the same hash, salt length = hash length.
bool verify_bytes(const Key& key, ajwt_alg alg, std::string_view message, std::string_view signature);

// How many signature checks verify_bytes has attempted on the calling thread (a thread-local
// counter, free on the hot path): lets tests prove that the kid's key is tried first.
uint64_t verify_attempts_on_this_thread() noexcept;

}  // namespace ajwt
