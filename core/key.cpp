#include "key.hpp"

#include <cstring>
#include <utility>

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

// Public exponent sanity (all sources): e = 1 or an even e is not RSA, and OpenSSL refuses
// exponents over 64 bits for large moduli anyway, so such keys could never verify.
void check_rsa_exponent(EVP_PKEY* pkey) {
    BIGNUM* raw = nullptr;
    if (EVP_PKEY_get_bn_param(pkey, OSSL_PKEY_PARAM_RSA_E, &raw) != 1) {
        clear_openssl_errors();
        throw KeyError(AJWT_ERR_KEY_PARSE, "RSA key without a public exponent");
    }
    BignumPtr e(raw);
    if (BN_is_negative(e.get()) || !BN_is_odd(e.get()) || BN_is_one(e.get()))
        throw KeyError(AJWT_ERR_KEY_PARSE, "RSA public exponent must be odd and at least 3");
    if (BN_num_bits(e.get()) > 64) throw KeyError(AJWT_ERR_KEY_UNSUPPORTED, "RSA public exponent longer than 64 bits");
}

// True when the modulus has the structure of keys from the Infineon RSA library (ROCA,
// CVE-2017-15361), whose primes make the key factorable: for each small prime p, n mod p lies in
// the subgroup 65537 generates mod p (the test of Nemec et al., false positives ~2^-154).
bool has_roca_fingerprint(const BIGNUM* n) {
    static const BN_ULONG primes[] = {3,   5,   7,   11,  13,  17,  19,  23,  29,  31,  37,  41,  43,
                                      47,  53,  59,  61,  67,  71,  73,  79,  83,  89,  97,  101, 103,
                                      107, 109, 113, 127, 131, 137, 139, 149, 151, 157, 163, 167};
    for (BN_ULONG p : primes) {
        const BN_ULONG residue = BN_mod_word(n, p);
        if (residue == static_cast<BN_ULONG>(-1)) throw_openssl("BN_mod_word failed");
        bool in_subgroup = false;
        BN_ULONG power = 1;
        do {
            if (power == residue) in_subgroup = true;
            power = power * (65537 % p) % p;
        } while (power != 1 && !in_subgroup);
        if (!in_subgroup) return false;
    }
    return true;
}

// Modulus sanity (all sources): a product of two odd primes is odd; ROCA keys are refused.
void check_rsa_modulus(EVP_PKEY* pkey) {
    BIGNUM* raw = nullptr;
    if (EVP_PKEY_get_bn_param(pkey, OSSL_PKEY_PARAM_RSA_N, &raw) != 1) {
        clear_openssl_errors();
        throw KeyError(AJWT_ERR_KEY_PARSE, "RSA key without a modulus");
    }
    BignumPtr n(raw);
    if (!BN_is_odd(n.get())) throw KeyError(AJWT_ERR_KEY_PARSE, "RSA modulus must be odd");
    if (has_roca_fingerprint(n.get()))
        throw KeyError(AJWT_ERR_KEY_UNSUPPORTED,
                       "RSA key from a generator with the ROCA weakness (CVE-2017-15361): it can be factored; "
                       "generate a new key");
}

// EC keys keep the point form they were read in; the fingerprint must not depend on it.
void use_uncompressed_points(EVP_PKEY* pkey) {
    if (EVP_PKEY_set_utf8_string_param(pkey, OSSL_PKEY_PARAM_EC_POINT_CONVERSION_FORMAT, "uncompressed") != 1)
        throw_openssl("cannot set the EC point format");
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

Key::Key(EvpPkeyPtr pkey, ajwt_key_type type, unsigned bits, bool is_private, std::string comment, std::string jwk_kid,
         ajwt_alg jwk_alg)
    : pkey_(std::move(pkey)),
      type_(type),
      bits_(bits),
      is_private_(is_private),
      comment_(std::move(comment)),
      jwk_kid_(std::move(jwk_kid)),
      pinned_algorithms_(jwk_alg == AJWT_ALG_UNKNOWN ? std::vector<ajwt_alg>{} : std::vector<ajwt_alg>{jwk_alg}),
      public_pem_(canonical_public_pem(pkey_.get())),
      fingerprint_(sha256_hex(public_pem_)) {
    if (type_ == AJWT_KEY_ED25519) {
        size_t size = ed25519_public_.size();
        if (EVP_PKEY_get_raw_public_key(pkey_.get(), ed25519_public_.data(), &size) != 1 ||
            size != ed25519_public_.size())
            throw_openssl("cannot read the Ed25519 public key");
    }
}

KeyPtr Key::from_pkey(EvpPkeyPtr pkey, bool is_private, std::string comment, std::string jwk_kid, ajwt_alg jwk_alg) {
    if (!pkey) throw Error(AJWT_ERR_INVALID_ARGUMENT, "no key");
    ajwt_key_type type = key_type_of(pkey.get());
    int bits = EVP_PKEY_get_bits(pkey.get());
    if (type == AJWT_KEY_RSA) {
        if (bits < static_cast<int>(kMinRsaBits))
            throw KeyError(AJWT_ERR_KEY_TOO_SMALL,
                           "RSA key of " + std::to_string(bits) + " bits; at least 2048 are required (RFC 7518 3.3)");
        if (bits > static_cast<int>(kMaxRsaBits))
            throw KeyError(AJWT_ERR_KEY_TOO_LARGE, "RSA key of " + std::to_string(bits) + " bits; at most 8192");
        check_rsa_exponent(pkey.get());
        check_rsa_modulus(pkey.get());
    } else if (type == AJWT_KEY_EC_P256 || type == AJWT_KEY_EC_P384 || type == AJWT_KEY_EC_P521) {
        use_uncompressed_points(pkey.get());
    }
    if (jwk_alg != AJWT_ALG_UNKNOWN && !alg_fits_key(jwk_alg, type))
        throw KeyError(AJWT_ERR_KEY_UNSUPPORTED, std::string("algorithm ") + alg_name(jwk_alg) + " does not fit a " +
                                                     key_type_name(type) + " key");
    return std::make_shared<const Key>(std::move(pkey), type, static_cast<unsigned>(bits), is_private,
                                       std::move(comment), std::move(jwk_kid), jwk_alg);
}

const std::vector<ajwt_alg>& Key::algorithms() const {
    return pinned_algorithms_.empty() ? default_algorithms(type_) : pinned_algorithms_;
}

bool Key::supports(ajwt_alg alg) const noexcept {
    return alg_fits_key(alg, type_) && (pinned_algorithms_.empty() || pinned_algorithms_.front() == alg);
}

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
    return std::make_shared<const Key>(std::move(pub), type_, bits_, false, comment_, jwk_kid_,
                                       pinned_algorithms_.empty() ? AJWT_ALG_UNKNOWN : pinned_algorithms_.front());
}

const char* key_type_name(ajwt_key_type type) noexcept {
    switch (type) {
        case AJWT_KEY_RSA: return "RSA";
        case AJWT_KEY_ED25519: return "Ed25519";
        case AJWT_KEY_ED448: return "Ed448";
        case AJWT_KEY_EC_P256: return "P-256";
        case AJWT_KEY_EC_P384: return "P-384";
        case AJWT_KEY_EC_P521: return "P-521";
    }
    return "unknown";
}

size_t ec_field_bytes(ajwt_key_type type) noexcept {
    switch (type) {
        case AJWT_KEY_EC_P256: return 32;
        case AJWT_KEY_EC_P384: return 48;
        case AJWT_KEY_EC_P521: return 66;
        default: return 0;
    }
}

std::string pkey_bn_bytes(EVP_PKEY* pkey, const char* param) {
    BIGNUM* raw = nullptr;
    if (EVP_PKEY_get_bn_param(pkey, param, &raw) != 1) throw_openssl(std::string("cannot read key parameter ") + param);
    BignumPtr value(raw);
    std::string bytes(static_cast<size_t>(BN_num_bytes(value.get())), '\0');
    BN_bn2bin(value.get(), reinterpret_cast<unsigned char*>(bytes.data()));
    return bytes;
}

EcCoordinates ec_public_coordinates(const Key& key) {
    const size_t size = ec_field_bytes(key.type());
    if (size == 0) throw Error(AJWT_ERR_INVALID_ARGUMENT, "not an EC key");
    EcCoordinates out;
    for (auto [param, target] :
         {std::pair{OSSL_PKEY_PARAM_EC_PUB_X, &out.x}, std::pair{OSSL_PKEY_PARAM_EC_PUB_Y, &out.y}}) {
        std::string bytes = pkey_bn_bytes(key.pkey(), param);
        if (bytes.size() > size) throw Error(AJWT_ERR_INTERNAL, "EC coordinate longer than the field");
        *target = std::string(size - bytes.size(), '\0') + bytes;
    }
    return out;
}

EvpPkeyPtr pkey_from_params(const char* type, int selection, const OSSL_PARAM* params, const std::string& what) {
    EvpPkeyCtxPtr ctx(EVP_PKEY_CTX_new_from_name(nullptr, type, nullptr));
    if (!ctx || EVP_PKEY_fromdata_init(ctx.get()) != 1) throw_openssl(std::string("cannot create a ") + type + " key");
    EVP_PKEY* raw = nullptr;
    if (EVP_PKEY_fromdata(ctx.get(), &raw, selection, const_cast<OSSL_PARAM*>(params)) != 1 || raw == nullptr) {
        clear_openssl_errors();
        throw KeyError(AJWT_ERR_KEY_PARSE, what);
    }
    return EvpPkeyPtr(raw);
}

namespace {

BignumPtr bignum_from_bytes(std::string_view bytes) {
    BignumPtr bn(
        BN_bin2bn(reinterpret_cast<const unsigned char*>(bytes.data()), static_cast<int>(bytes.size()), nullptr));
    if (!bn) throw Error(AJWT_ERR_OUT_OF_MEMORY, "BN_bin2bn failed");
    return bn;
}

OsslParamPtr build_params(OSSL_PARAM_BLD* bld) {
    OsslParamPtr params(OSSL_PARAM_BLD_to_param(bld));
    if (!params) throw Error(AJWT_ERR_OUT_OF_MEMORY, "OSSL_PARAM_BLD_to_param failed");
    return params;
}

}  // namespace

EvpPkeyPtr rsa_public_pkey(std::string_view n, std::string_view e) {
    if (n.empty() || e.empty()) throw KeyError(AJWT_ERR_KEY_PARSE, "RSA key with an empty modulus or exponent");
    if (n.size() > 16 * 1024 || e.size() > 16 * 1024)
        throw KeyError(AJWT_ERR_KEY_TOO_LARGE, "RSA key parameters too long");
    BignumPtr bn_n = bignum_from_bytes(n);
    BignumPtr bn_e = bignum_from_bytes(e);
    ParamBldPtr bld(OSSL_PARAM_BLD_new());
    if (!bld || OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_RSA_N, bn_n.get()) != 1 ||
        OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_RSA_E, bn_e.get()) != 1)
        throw Error(AJWT_ERR_OUT_OF_MEMORY, "OSSL_PARAM_BLD failed");
    OsslParamPtr params = build_params(bld.get());
    return pkey_from_params("RSA", EVP_PKEY_PUBLIC_KEY, params.get(), "not a valid RSA public key");
}

EvpPkeyPtr ec_public_pkey(ajwt_key_type type, std::string_view point) {
    const size_t size = ec_field_bytes(type);
    if (size == 0) throw Error(AJWT_ERR_INVALID_ARGUMENT, "not an EC key type");
    if (point.size() != 1 + 2 * size || point[0] != '\x04')
        throw KeyError(AJWT_ERR_KEY_PARSE, std::string("EC point for ") + key_type_name(type) +
                                               " must be uncompressed, 1 + 2 x " + std::to_string(size) + " bytes");
    ParamBldPtr bld(OSSL_PARAM_BLD_new());
    if (!bld || OSSL_PARAM_BLD_push_utf8_string(bld.get(), OSSL_PKEY_PARAM_GROUP_NAME, key_type_name(type), 0) != 1 ||
        OSSL_PARAM_BLD_push_octet_string(bld.get(), OSSL_PKEY_PARAM_PUB_KEY, point.data(), point.size()) != 1)
        throw Error(AJWT_ERR_OUT_OF_MEMORY, "OSSL_PARAM_BLD failed");
    OsslParamPtr params = build_params(bld.get());
    EvpPkeyPtr pkey = pkey_from_params("EC", EVP_PKEY_PUBLIC_KEY, params.get(),
                                       std::string("EC point is not on the ") + key_type_name(type) + " curve");
    // Import already decodes the point onto the curve; the full public check also refuses
    // the point at infinity and points outside the prime-order subgroup.
    EvpPkeyCtxPtr check(EVP_PKEY_CTX_new_from_pkey(nullptr, pkey.get(), nullptr));
    if (!check) throw_openssl("cannot check EC key");
    if (EVP_PKEY_public_check(check.get()) != 1) {
        clear_openssl_errors();
        throw KeyError(AJWT_ERR_KEY_PARSE,
                       std::string("EC point is not a valid ") + key_type_name(type) + " public key");
    }
    return pkey;
}

}  // namespace ajwt
