// bcrypt_pbkdf (Ted Unangst, OpenBSD 5.5, 2013): the key derivation ssh-keygen uses to encrypt
// "OPENSSH PRIVATE KEY" files. PBKDF2's structure with SHA-512 collapsing password and salt and
// bcrypt's Blowfish as the round function. Follows OpenBSD's lib/libutil/bcrypt_pbkdf.c.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace ajwt {

// Each round costs about a bcrypt hash at cost 6 (~5 ms); ssh-keygen writes 16 by default
// (`-a`), and guides suggest up to 100. The rounds sit in the key file and run before a wrong
// password can be told, so files asking for more are refused.
inline constexpr uint32_t kMaxBcryptRounds = 1000;
// bcrypt_pbkdf's own limit: 32 bytes per block, at most 32 blocks.
inline constexpr size_t kMaxBcryptKeySize = 32 * 32;

// Derives `key_len` bytes into `key`. Throws Error(INVALID_ARGUMENT) for an empty password or
// salt, zero rounds, or a key size outside 1..kMaxBcryptKeySize (the rounds cap is the
// caller's policy: this function runs whatever it is given).
void bcrypt_pbkdf(std::string_view password, std::string_view salt, uint32_t rounds, uint8_t* key, size_t key_len);

}  // namespace ajwt
