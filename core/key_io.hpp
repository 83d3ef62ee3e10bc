// Loading, generating and exporting keys in PEM / PKCS#8 / PKCS#1 / traditional formats,
// with dispatch to OpenSSH and JWK. Throws KeyError with a status that says why.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "ajwt.h"
#include "key.hpp"
#include "key_text.hpp"

namespace ajwt {

// Entries of the process-wide public key cache; the least recently used is evicted beyond it.
inline constexpr size_t kKeyCacheCapacity = 4096;

// Public key in the given format (ANY: PEM SPKI, PEM PKCS#1, OpenSSH, JWK, in that order;
// the error reported is the most specific one). Private key text is refused (PRIVATE_KEY_GIVEN).
KeyPtr load_public_key(std::string_view text, ajwt_key_format format);
// Same, through a process-wide bounded cache keyed by SHA-256 of (format, text).
KeyPtr load_public_key_cached(std::string_view text, ajwt_key_format format);
// PKCS#8 (plain/encrypted), traditional PEM (plain/encrypted), OPENSSH PRIVATE KEY (plain).
// PASSWORD_REQUIRED / WRONG_PASSWORD / ENCRYPTED_OPENSSH_KEY / KEY_PARSE as fits.
KeyPtr load_private_key(std::string_view text, std::optional<std::string_view> password);
// rsa_bits 0 = 2048, rsa_exponent 0 = 65537.
KeyPtr generate_key(ajwt_key_type type, unsigned rsa_bits, uint64_t rsa_exponent);

// PEM PKCS#8 of a private key; AES-256-CBC with PBKDF2 when a password is given.
std::string export_pkcs8(const Key& key, std::optional<std::string_view> password);
// Dispatches to public_pem / OpenSSH / JWK / PKCS#8.
std::string export_key(const Key& key, ajwt_export_format format, std::optional<std::string_view> password);

}  // namespace ajwt
