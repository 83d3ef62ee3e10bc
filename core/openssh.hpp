// OpenSSH key formats: the one-line public key and the "OPENSSH PRIVATE KEY" PEM block.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "key.hpp"

namespace ajwt {

// "ssh-rsa|ssh-ed25519|ecdsa-sha2-nistp256/384/521 BASE64 [comment]". Throws KeyError.
KeyPtr parse_openssh_public(std::string_view line);
// True when text looks like an OpenSSH public key line (starts with a known type word).
bool looks_like_openssh_public(std::string_view text) noexcept;
// "ssh-... BASE64 comment" (comment omitted when empty), no trailing newline.
std::string to_openssh_public(const Key& key);
// "-----BEGIN OPENSSH PRIVATE KEY-----" block, plain or encrypted as ssh-keygen does it
// (bcrypt_pbkdf with at most kMaxBcryptRounds rounds; AES in CTR, CBC or GCM mode, or
// chacha20-poly1305@openssh.com). Encrypted
// without `password` → PASSWORD_REQUIRED, a wrong one → WRONG_PASSWORD, another cipher or KDF
// → ENCRYPTED_OPENSSH_KEY, too many rounds → KEY_UNSUPPORTED.
KeyPtr parse_openssh_private(std::string_view text, std::optional<std::string_view> password = std::nullopt);
bool looks_like_openssh_private(std::string_view text) noexcept;

}  // namespace ajwt
