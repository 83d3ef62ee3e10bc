// A cap on the password-hashing work an encrypted PKCS#8 private key may ask for.
//
// The iteration count (PBKDF2, PKCS#5 v1.5 and PKCS#12 schemes) or the scrypt parameters sit in
// the key file, and OpenSSL runs whatever they say before it can tell a wrong password: a key
// asking for 2^31 PBKDF2 iterations ties a thread up for minutes. They are read and checked
// before any decryption is attempted.
#pragma once

#include <cstdint>
#include <string_view>

namespace ajwt {

// OpenSSL writes 2048 iterations; OWASP's 2023 advice for PBKDF2-HMAC-SHA256 is 600,000.
inline constexpr int64_t kMaxPbeIterations = 10'000'000;
// scrypt work N·r·p: OpenSSL's own memory cap (32 MiB) already bounds N·r; p multiplies the time.
// `openssl pkcs8 -scrypt` writes N = 2^14, r = 8, p = 1: 2^17.
inline constexpr uint64_t kMaxScryptWork = uint64_t{1} << 24;

// `der` is an EncryptedPrivateKeyInfo (the body of an ENCRYPTED PRIVATE KEY PEM block). Throws
// KeyError(KEY_UNSUPPORTED) when its scheme asks for more work than the caps above, and
// KeyError(KEY_PARSE) when the structure or its parameters do not decode. An unknown scheme is
// left to OpenSSL, which refuses what it cannot decrypt.
void check_pbe_cost(std::string_view der);

}  // namespace ajwt
