// JSON Web Keys (RFC 7517/7518/8037) for public keys.
#pragma once

#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "key.hpp"

namespace ajwt {

// A public JWK object (RSA, OKP Ed25519/Ed448, EC P-256/384/521). Private members ("d", "p",
// …) → PRIVATE_KEY_GIVEN; anything else unusable → KEY_PARSE / KEY_UNSUPPORTED / KEY_TOO_SMALL.
KeyPtr parse_jwk(const nlohmann::json& jwk);
KeyPtr parse_jwk_text(std::string_view text);
// RSA: {kty, use: "sig", alg, kid, n, e}; OKP: {kty, crv, x, use, alg, kid}; EC: {kty, crv, x, y, use, alg, kid}.
nlohmann::json to_jwk(const Key& key);
// Compact JSON text of to_jwk with sorted member names.
std::string to_jwk_text(const Key& key);

}  // namespace ajwt
