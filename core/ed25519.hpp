// Ed25519 signature verification through libsodium.
//
// Why not OpenSSL: on OpenSSL 3.0 (Debian 12) an Ed25519 verification costs about twice what
// libsodium's does, and Ed25519 is the algorithm upstream recommends. libsodium is also
// stricter, as RFC 8725 asks of a verifier: besides S < L it refuses non-canonical public keys
// and small-order public keys and R points, with which a forger can make one signature fit
// many messages. Keys are still parsed, stored and written by OpenSSL; only the check is here.
#pragma once

#include <cstddef>
#include <string_view>

namespace ajwt {

inline constexpr size_t kEd25519PublicKeySize = 32;
inline constexpr size_t kEd25519SignatureSize = 64;

// True when `signature` (64 bytes) is a valid Ed25519 signature of `message` under the raw
// 32-byte `public_key` (RFC 8032 encoding). Never throws for a bad signature or key.
bool ed25519_verify(const unsigned char* public_key, std::string_view message, const unsigned char* signature);

}  // namespace ajwt
