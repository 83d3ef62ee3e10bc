#include "algorithm.hpp"

#include <array>

namespace ajwt {
namespace {

struct AlgInfo {
    ajwt_alg alg;
    const char* name;
};

constexpr std::array<AlgInfo, 10> kAlgs = {{
    {AJWT_ALG_RS256, "RS256"},
    {AJWT_ALG_RS384, "RS384"},
    {AJWT_ALG_RS512, "RS512"},
    {AJWT_ALG_PS256, "PS256"},
    {AJWT_ALG_PS384, "PS384"},
    {AJWT_ALG_PS512, "PS512"},
    {AJWT_ALG_ES256, "ES256"},
    {AJWT_ALG_ES384, "ES384"},
    {AJWT_ALG_ES512, "ES512"},
    {AJWT_ALG_EDDSA, "EdDSA"},
}};

}  // namespace

bool alg_is_valid(ajwt_alg alg) noexcept { return alg >= AJWT_ALG_RS256 && alg <= AJWT_ALG_EDDSA; }

const char* alg_name(ajwt_alg alg) noexcept {
    for (const auto& info : kAlgs)
        if (info.alg == alg) return info.name;
    return nullptr;
}

ajwt_alg alg_from_name(std::string_view name) noexcept {
    for (const auto& info : kAlgs)
        if (name == info.name) return info.alg;
    return AJWT_ALG_UNKNOWN;
}

bool alg_fits_key(ajwt_alg alg, ajwt_key_type type) noexcept {
    switch (alg) {
        case AJWT_ALG_RS256:
        case AJWT_ALG_RS384:
        case AJWT_ALG_RS512:
        case AJWT_ALG_PS256:
        case AJWT_ALG_PS384:
        case AJWT_ALG_PS512: return type == AJWT_KEY_RSA;
        case AJWT_ALG_ES256: return type == AJWT_KEY_EC_P256;
        case AJWT_ALG_ES384: return type == AJWT_KEY_EC_P384;
        case AJWT_ALG_ES512: return type == AJWT_KEY_EC_P521;
        case AJWT_ALG_EDDSA: return type == AJWT_KEY_ED25519 || type == AJWT_KEY_ED448;
        default: return false;
    }
}

const std::vector<ajwt_alg>& default_algorithms(ajwt_key_type type) {
    static const std::vector<ajwt_alg> rsa = {AJWT_ALG_RS512, AJWT_ALG_RS384, AJWT_ALG_RS256};
    static const std::vector<ajwt_alg> eddsa = {AJWT_ALG_EDDSA};
    static const std::vector<ajwt_alg> es256 = {AJWT_ALG_ES256};
    static const std::vector<ajwt_alg> es384 = {AJWT_ALG_ES384};
    static const std::vector<ajwt_alg> es512 = {AJWT_ALG_ES512};
    static const std::vector<ajwt_alg> none;
    switch (type) {
        case AJWT_KEY_RSA: return rsa;
        case AJWT_KEY_ED25519:
        case AJWT_KEY_ED448: return eddsa;
        case AJWT_KEY_EC_P256: return es256;
        case AJWT_KEY_EC_P384: return es384;
        case AJWT_KEY_EC_P521: return es512;
    }
    return none;
}

const std::vector<ajwt_alg>& all_default_algorithms() {
    static const std::vector<ajwt_alg> all = {AJWT_ALG_RS512, AJWT_ALG_RS384, AJWT_ALG_RS256, AJWT_ALG_ES256,
                                              AJWT_ALG_ES384, AJWT_ALG_ES512, AJWT_ALG_EDDSA};
    return all;
}

const EVP_MD* alg_digest(ajwt_alg alg) noexcept {
    switch (alg) {
        case AJWT_ALG_RS256:
        case AJWT_ALG_PS256:
        case AJWT_ALG_ES256: return EVP_sha256();
        case AJWT_ALG_RS384:
        case AJWT_ALG_PS384:
        case AJWT_ALG_ES384: return EVP_sha384();
        case AJWT_ALG_RS512:
        case AJWT_ALG_PS512:
        case AJWT_ALG_ES512: return EVP_sha512();
        default: return nullptr;
    }
}

}  // namespace ajwt
