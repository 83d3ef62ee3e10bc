#include "key.hpp"

#include <cstring>

#include <openssl/core_names.h>
#include <openssl/pem.h>
#include <openssl/sha.h>

#include "algorithm.hpp"
#include "error.hpp"

namespace ajwt {
namespace {

ajwt_key_type ec_key_type(EVP_PKEY* pkey) {
    char group[64] = {0};
    size_t length = 0;
    if (EVP_PKEY_get_utf8_string_param(pkey, OSSL_PKEY_PARAM_GROUP_NAME, group, sizeof group, &length) != 1) {
        clear_openssl_errors();
        throw KeyError(AJWT_ERR_KEY_UNSUPPORTED, "EC key without a named curve");
    }
    if (std::strcmp(group, "prime256v1") == 0 || std::strcmp(group, "P-256") == 0) return AJWT_KEY_EC_P256;
    if (std::strcmp(group, "secp384r1") == 0 || std::strcmp(group, "P-384") == 0) return AJWT_KEY_EC_P384;
    if (std::strcmp(group, "secp521r1") == 0 || std::strcmp(group, "P-521") == 0) return AJWT_KEY_EC_P521;
    throw KeyError(AJWT_ERR_KEY_UNSUPPORTED, std::string("unsupported EC curve ") + group);
}

ajwt_key_type key_type_of(EVP_PKEY* pkey) {
    switch (EVP_PKEY_get_base_id(pkey)) {
        case EVP_PKEY_RSA: return AJWT_KEY_RSA;
        case EVP_PKEY_ED25519: return AJWT_KEY_ED25519;
        case EVP_PKEY_ED448: return AJWT_KEY_ED448;
        case EVP_PKEY_EC: return ec_key_type(pkey);
        default: throw KeyError(AJWT_ERR_KEY_UNSUPPORTED, "unsupported key type (RSA, Ed25519, Ed448, EC only)");
    }
}

std::string canonical_public_pem(EVP_PKEY* pkey) {
    BioPtr bio(BIO_new(BIO_s_mem()));
    if (!bio) throw Error(AJWT_ERR_OUT_OF_MEMORY, "BIO_new failed");
    if (PEM_write_bio_PUBKEY(bio.get(), pkey) != 1) throw_openssl("cannot write public key PEM");
    return bio_contents(bio.get());
}

}  // namespace

std::string to_hex(const unsigned char* data, size_t size) {
    static const char digits[] = "0123456789abcdef";
    std::string out(size * 2, '0');
    for (size_t i = 0; i < size; ++i) {
        out[2 * i] = digits[data[i] >> 4];
        out[2 * i + 1] = digits[data[i] & 0x0f];
    }
    return out;
}

std::string sha256_hex(std::string_view text) {
    unsigned char digest[SHA256_DIGEST_LENGTH];
    SHA256(reinterpret_cast<const unsigned char*>(text.data()), text.size(), digest);
    return to_hex(digest, sizeof digest);
}

Key::Key(EvpPkeyPtr pkey, ajwt_key_type type, unsigned bits, bool is_private, std::string comment,
         std::string jwk_kid)
    : pkey_(std::move(pkey)),
      type_(type),
      bits_(bits),
      is_private_(is_private),
      comment_(std::move(comment)),
      jwk_kid_(std::move(jwk_kid)),
      public_pem_(canonical_public_pem(pkey_.get())),
      fingerprint_(sha256_hex(public_pem_)) {}

KeyPtr Key::from_pkey(EvpPkeyPtr pkey, bool is_private, std::string comment, std::string jwk_kid) {
    if (!pkey) throw Error(AJWT_ERR_INVALID_ARGUMENT, "no key");
    ajwt_key_type type = key_type_of(pkey.get());
    int bits = EVP_PKEY_get_bits(pkey.get());
    if (type == AJWT_KEY_RSA) {
        if (bits < static_cast<int>(kMinRsaBits))
            throw KeyError(AJWT_ERR_KEY_TOO_SMALL,
                           "RSA key of " + std::to_string(bits) + " bits; at least 2048 are required (RFC 7518 3.3)");
        if (bits > static_cast<int>(kMaxRsaBits))
            throw KeyError(AJWT_ERR_KEY_TOO_LARGE, "RSA key of " + std::to_string(bits) + " bits; at most 8192");
    }
    return std::make_shared<const Key>(std::move(pkey), type, static_cast<unsigned>(bits), is_private,
                                       std::move(comment), std::move(jwk_kid));
}

const std::vector<ajwt_alg>& Key::algorithms() const { return default_algorithms(type_); }

bool Key::supports(ajwt_alg alg) const noexcept { return alg_fits_key(alg, type_); }

KeyPtr Key::public_key(const KeyPtr& self) const {
    if (!is_private_) return self;
    // Round-trip through the SPKI DER so the public handle holds no private material.
    unsigned char* der = nullptr;
    int size = i2d_PUBKEY(pkey_.get(), &der);
    if (size <= 0) throw_openssl("cannot encode public key");
    const unsigned char* cursor = der;
    EvpPkeyPtr pub(d2i_PUBKEY(nullptr, &cursor, size));
    OPENSSL_free(der);
    if (!pub) throw_openssl("cannot decode public key");
    return std::make_shared<const Key>(std::move(pub), type_, bits_, false, comment_, jwk_kid_);
}

}  // namespace ajwt
