// Decoy keys: what an unknown user's token is checked against, so that refusing it costs what
// refusing a bad signature costs and the answer time does not tell which users exist.
#pragma once

#include <cstddef>

#include "ajwt.h"
#include "key.hpp"

namespace ajwt {

// A public key for `alg` whose private half was thrown away (no token ever verifies with it):
// RSA sized by the signature (256/384/512 bytes → 2048/3072/4096 bits, else 2048; OpenSSL
// refuses a wrong-length RSA signature before any math, as it would for a real key), the
// algorithm's curve for ES*, Ed448 for a 114-byte EdDSA signature, else Ed25519. Generated on
// first use, then cached for the process; safe to call from any thread.
KeyPtr decoy_key(ajwt_alg alg, size_t signature_size);

}  // namespace ajwt
