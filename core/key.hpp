// An immutable, parsed public or private key.
#pragma once

#include <array>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "ajwt.h"
#include "ed25519.hpp"
#include "openssl_ptr.hpp"

namespace ajwt {

class Key;
using KeyPtr = std::shared_ptr<const Key>;

inline constexpr unsigned kMinRsaBits = 2048;
inline constexpr unsigned kMaxRsaBits = 8192;

class Key {
public:
    // Takes ownership of `pkey`. Throws KeyError: KEY_UNSUPPORTED (type/curve), KEY_TOO_SMALL /
    // KEY_TOO_LARGE (RSA outside 2048..8192 bits). `jwk_kid` is the "kid" a JWK carried, if any;
    // `jwk_alg` its "alg" (which must fit the type): the one algorithm the key is then used with
    // (RFC 7517 §4.4, RFC 8725 §3.1).
    static KeyPtr from_pkey(EvpPkeyPtr pkey, bool is_private, std::string comment = {}, std::string jwk_kid = {},
                            ajwt_alg jwk_alg = AJWT_ALG_UNKNOWN);

    ajwt_key_type type() const noexcept { return type_; }
    bool is_private() const noexcept { return is_private_; }
    unsigned bits() const noexcept { return bits_; }
    EVP_PKEY* pkey() const noexcept { return pkey_.get(); }
    // The raw 32-byte public key of an Ed25519 key (what ed25519_verify takes); nullptr otherwise.
    const unsigned char* ed25519_public() const noexcept {
        return type_ == AJWT_KEY_ED25519 ? ed25519_public_.data() : nullptr;
    }
    // OpenSSH comment ("" if none).
    const std::string& comment() const noexcept { return comment_; }
    // Canonical PEM SubjectPublicKeyInfo text, 64-column lines, trailing newline.
    const std::string& public_pem() const noexcept { return public_pem_; }
    // Lowercase hex SHA-256 of public_pem().
    const std::string& fingerprint() const noexcept { return fingerprint_; }
    // The id a key set matches a token's kid against: the JWK's kid if it had one, else the fingerprint.
    const std::string& kid() const noexcept { return jwk_kid_.empty() ? fingerprint_ : jwk_kid_; }
    // The type's defaults, or only the JWK's "alg" when it had one.
    const std::vector<ajwt_alg>& algorithms() const;
    // `alg` fits the key type and, for a JWK with "alg", is that algorithm.
    bool supports(ajwt_alg alg) const noexcept;
    // The public half: itself for a public key.
    KeyPtr public_key(const KeyPtr& self) const;
    bool same_public_key(const Key& other) const noexcept { return fingerprint_ == other.fingerprint_; }

    Key(EvpPkeyPtr pkey, ajwt_key_type type, unsigned bits, bool is_private, std::string comment, std::string jwk_kid,
        ajwt_alg jwk_alg = AJWT_ALG_UNKNOWN);

private:
    EvpPkeyPtr pkey_;
    ajwt_key_type type_;
    unsigned bits_;
    bool is_private_;
    std::string comment_;
    std::string jwk_kid_;
    std::vector<ajwt_alg> pinned_algorithms_;  // {jwk "alg"}, or empty
    std::string public_pem_;
    std::string fingerprint_;
    std::array<unsigned char, kEd25519PublicKeySize> ed25519_public_{};
};

// ---- building blocks shared by the key format readers and writers (PEM, OpenSSH, JWK) ----

// "RSA", "Ed25519", "Ed448", "P-256", "P-384", "P-521".
const char* key_type_name(ajwt_key_type type) noexcept;
// Field size in bytes of an EC key type (32, 48, 66); 0 for other types.
size_t ec_field_bytes(ajwt_key_type type) noexcept;
// Big-endian magnitude of a BIGNUM key parameter (e.g. OSSL_PKEY_PARAM_RSA_N), no leading zeros.
std::string pkey_bn_bytes(EVP_PKEY* pkey, const char* param);
// Affine coordinates of an EC key's public point, each left-padded to the field size.
struct EcCoordinates {
    std::string x;
    std::string y;
};
EcCoordinates ec_public_coordinates(const Key& key);
// An EVP_PKEY of OpenSSL key type `type` ("RSA", "EC", …) from parameters. KeyError(KEY_PARSE,
// `what`) when OpenSSL refuses them.
EvpPkeyPtr pkey_from_params(const char* type, int selection, const OSSL_PARAM* params, const std::string& what);
// RSA public key from big-endian n and e (leading zero bytes allowed). KeyError(KEY_PARSE) if empty.
EvpPkeyPtr rsa_public_pkey(std::string_view n, std::string_view e);
// EC public key from an uncompressed point (0x04 || x || y) of the right length for `type`;
// KeyError(KEY_PARSE) for a wrong length or a point that is not on the curve.
EvpPkeyPtr ec_public_pkey(ajwt_key_type type, std::string_view uncompressed_point);

// Lowercase hex of bytes.
std::string to_hex(const unsigned char* data, size_t size);
// Lowercase hex SHA-256 of text.
std::string sha256_hex(std::string_view text);

}  // namespace ajwt
