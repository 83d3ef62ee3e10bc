// An immutable, parsed public or private key.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "ajwt.h"
#include "openssl_ptr.hpp"

namespace ajwt {

class Key;
using KeyPtr = std::shared_ptr<const Key>;

inline constexpr unsigned kMinRsaBits = 2048;
inline constexpr unsigned kMaxRsaBits = 8192;

class Key {
public:
    // Takes ownership of `pkey`. Throws KeyError: KEY_UNSUPPORTED (type/curve), KEY_TOO_SMALL /
    // KEY_TOO_LARGE (RSA outside 2048..8192 bits). `jwk_kid` is the "kid" a JWK carried, if any.
    static KeyPtr from_pkey(EvpPkeyPtr pkey, bool is_private, std::string comment = {}, std::string jwk_kid = {});

    ajwt_key_type type() const noexcept { return type_; }
    bool is_private() const noexcept { return is_private_; }
    unsigned bits() const noexcept { return bits_; }
    EVP_PKEY* pkey() const noexcept { return pkey_.get(); }
    // OpenSSH comment ("" if none).
    const std::string& comment() const noexcept { return comment_; }
    // Canonical PEM SubjectPublicKeyInfo text, 64-column lines, trailing newline.
    const std::string& public_pem() const noexcept { return public_pem_; }
    // Lowercase hex SHA-256 of public_pem().
    const std::string& fingerprint() const noexcept { return fingerprint_; }
    // The id a key set matches a token's kid against: the JWK's kid if it had one, else the fingerprint.
    const std::string& kid() const noexcept { return jwk_kid_.empty() ? fingerprint_ : jwk_kid_; }
    const std::vector<ajwt_alg>& algorithms() const;
    bool supports(ajwt_alg alg) const noexcept;
    // The public half: itself for a public key.
    KeyPtr public_key(const KeyPtr& self) const;
    bool same_public_key(const Key& other) const noexcept { return fingerprint_ == other.fingerprint_; }

    Key(EvpPkeyPtr pkey, ajwt_key_type type, unsigned bits, bool is_private, std::string comment,
        std::string jwk_kid);

private:
    EvpPkeyPtr pkey_;
    ajwt_key_type type_;
    unsigned bits_;
    bool is_private_;
    std::string comment_;
    std::string jwk_kid_;
    std::string public_pem_;
    std::string fingerprint_;
};

// Lowercase hex of bytes.
std::string to_hex(const unsigned char* data, size_t size);
// Lowercase hex SHA-256 of text.
std::string sha256_hex(std::string_view text);

}  // namespace ajwt
