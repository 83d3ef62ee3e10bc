#include "jwk.hpp"

#include <array>
#include <optional>

#include <openssl/core_names.h>

#include "algorithm.hpp"
#include "base64url.hpp"
#include "error.hpp"
#include "strict_json.hpp"
#include "key_text.hpp"

namespace ajwt {
namespace {

using nlohmann::json;

// RFC 7518 §6.3.2 (RSA), §6.2.2 (EC), RFC 8037 (OKP "d"), §6.4 ("k" of a symmetric key).
constexpr std::array<const char*, 8> kPrivateMembers = {"d", "p", "q", "dp", "dq", "qi", "oth", "k"};
constexpr size_t kMaxKidSize = 1024;
// A modulus over 8192 bits, allowing a few bytes of leading zero padding.
constexpr size_t kMaxModulusBytes = kMaxRsaBits / 8 + 8;

[[noreturn]] void malformed(const std::string& what) { throw KeyError(AJWT_ERR_KEY_PARSE, "JWK: " + what); }

const std::string* optional_string(const json& jwk, const char* name) {
    auto it = jwk.find(name);
    if (it == jwk.end()) return nullptr;
    if (!it->is_string()) malformed(std::string("\"") + name + "\" is not a string");
    return &it->get_ref<const std::string&>();
}

const std::string& required_string(const json& jwk, const char* name) {
    const std::string* value = optional_string(jwk, name);
    if (!value) malformed(std::string("missing \"") + name + "\"");
    return *value;
}

std::string required_bytes(const json& jwk, const char* name) {
    std::optional<std::string> bytes = base64url_decode(required_string(jwk, name));
    if (!bytes) malformed(std::string("\"") + name + "\" is not unpadded base64url");
    if (bytes->empty()) malformed(std::string("\"") + name + "\" is empty");
    return std::move(*bytes);
}

std::string quote_text(std::string_view text) { return "\"" + std::string(text.substr(0, 64)) + "\""; }

void check_use(const json& jwk) {
    if (const std::string* use = optional_string(jwk, "use"); use && *use != "sig")
        throw KeyError(AJWT_ERR_KEY_UNSUPPORTED, "JWK \"use\" is " + quote_text(*use) + ", not \"sig\"");
    auto ops = jwk.find("key_ops");
    if (ops == jwk.end()) return;
    if (!ops->is_array()) malformed("\"key_ops\" is not an array");
    for (const auto& op : *ops)
        if (op.is_string() && op.get_ref<const std::string&>() == "verify") return;
    throw KeyError(AJWT_ERR_KEY_UNSUPPORTED, "JWK \"key_ops\" does not include \"verify\"");
}

// The JWK's "alg", checked to fit the key type; AJWT_ALG_UNKNOWN when it has none.
ajwt_alg check_alg(const json& jwk, ajwt_key_type type) {
    const std::string* alg = optional_string(jwk, "alg");
    if (!alg) return AJWT_ALG_UNKNOWN;
    ajwt_alg parsed = alg_from_name(*alg);
    if (parsed == AJWT_ALG_UNKNOWN)
        throw KeyError(AJWT_ERR_KEY_UNSUPPORTED,
                       "JWK \"alg\" " + quote_text(*alg) + " is not a supported signature algorithm");
    if (!alg_fits_key(parsed, type))
        throw KeyError(AJWT_ERR_KEY_UNSUPPORTED,
                       "JWK \"alg\" " + quote_text(*alg) + " does not fit a " + key_type_name(type) + " key");
    return parsed;
}

std::string jwk_kid(const json& jwk) {
    const std::string* kid = optional_string(jwk, "kid");
    if (!kid) return {};
    if (kid->size() > kMaxKidSize) malformed("\"kid\" longer than " + std::to_string(kMaxKidSize) + " bytes");
    return *kid;
}

EvpPkeyPtr rsa_from_jwk(const json& jwk) {
    std::string n = required_bytes(jwk, "n");
    std::string e = required_bytes(jwk, "e");
    if (n.size() > kMaxModulusBytes) throw KeyError(AJWT_ERR_KEY_TOO_LARGE, "JWK: RSA modulus over 8192 bits");
    if (e.size() > 64) throw KeyError(AJWT_ERR_KEY_UNSUPPORTED, "JWK: RSA exponent absurdly long");
    return rsa_public_pkey(n, e);  // exponent and modulus size are checked by Key::from_pkey
}

ajwt_key_type okp_type(const std::string& crv) {
    if (crv == "Ed25519") return AJWT_KEY_ED25519;
    if (crv == "Ed448") return AJWT_KEY_ED448;
    throw KeyError(AJWT_ERR_KEY_UNSUPPORTED, "JWK OKP curve " + quote_text(crv) + " is not supported (Ed25519, Ed448)");
}

EvpPkeyPtr okp_from_jwk(const json& jwk, ajwt_key_type type) {
    std::string x = required_bytes(jwk, "x");
    const size_t size = type == AJWT_KEY_ED25519 ? 32 : 57;
    if (x.size() != size)
        malformed(std::string(key_type_name(type)) + " \"x\" must be " + std::to_string(size) + " bytes");
    EvpPkeyPtr pkey(EVP_PKEY_new_raw_public_key(type == AJWT_KEY_ED25519 ? EVP_PKEY_ED25519 : EVP_PKEY_ED448, nullptr,
                                                reinterpret_cast<const unsigned char*>(x.data()), x.size()));
    if (!pkey) {
        clear_openssl_errors();
        malformed(std::string("invalid ") + key_type_name(type) + " key");
    }
    return pkey;
}

ajwt_key_type ec_type(const std::string& crv) {
    if (crv == "P-256") return AJWT_KEY_EC_P256;
    if (crv == "P-384") return AJWT_KEY_EC_P384;
    if (crv == "P-521") return AJWT_KEY_EC_P521;
    throw KeyError(AJWT_ERR_KEY_UNSUPPORTED,
                   "JWK EC curve " + quote_text(crv) + " is not supported (P-256, P-384, P-521)");
}

EvpPkeyPtr ec_from_jwk(const json& jwk, ajwt_key_type type) {
    std::string x = required_bytes(jwk, "x");
    std::string y = required_bytes(jwk, "y");
    const size_t size = ec_field_bytes(type);
    // RFC 7518 §6.2.1.2: coordinates are exactly the field size, zero-padded.
    if (x.size() != size || y.size() != size)
        malformed(std::string(key_type_name(type)) + " coordinates must be " + std::to_string(size) + " bytes each");
    return ec_public_pkey(type, "\x04" + x + y);
}

ajwt_key_type jwk_key_type(const json& jwk, const std::string& kty) {
    if (kty == "RSA") return AJWT_KEY_RSA;
    if (kty == "OKP") return okp_type(required_string(jwk, "crv"));
    if (kty == "EC") return ec_type(required_string(jwk, "crv"));
    if (kty == "oct") throw KeyError(AJWT_ERR_KEY_UNSUPPORTED, "JWK: symmetric (oct) keys are not accepted");
    throw KeyError(AJWT_ERR_KEY_UNSUPPORTED, "JWK \"kty\" " + quote_text(kty) + " is not supported (RSA, OKP, EC)");
}

}  // namespace

KeyPtr parse_jwk(const json& jwk) {
    if (!jwk.is_object()) malformed("not a JSON object");
    for (const char* name : kPrivateMembers)
        if (jwk.contains(name))
            throw KeyError(AJWT_ERR_PRIVATE_KEY_GIVEN,
                           std::string("JWK has the private member \"") + name + "\"; give the public key only");
    if (!jwk.contains("kty") && jwk.contains("keys")) malformed("a JWK Set ({\"keys\": [...]}), not a single key");
    const std::string& kty = required_string(jwk, "kty");
    const ajwt_key_type type = jwk_key_type(jwk, kty);
    check_use(jwk);
    const ajwt_alg alg = check_alg(jwk, type);
    std::string kid = jwk_kid(jwk);
    EvpPkeyPtr pkey;
    switch (type) {
        case AJWT_KEY_RSA: pkey = rsa_from_jwk(jwk); break;
        case AJWT_KEY_ED25519:
        case AJWT_KEY_ED448: pkey = okp_from_jwk(jwk, type); break;
        default: pkey = ec_from_jwk(jwk, type); break;
    }
    // A JWK with "alg" is used with that algorithm only (RFC 8725 §3.1).
    return Key::from_pkey(std::move(pkey), false, {}, std::move(kid), alg);
}

KeyPtr parse_jwk_text(std::string_view text) {
    text = prepare_key_text(text);
    JsonLimits limits;
    limits.max_size = kMaxKeyTextSize;
    return parse_jwk(parse_json_object(text, limits, AJWT_ERR_KEY_PARSE, "JWK"));
}

json to_jwk(const Key& key) {
    json jwk = json::object();
    jwk["use"] = "sig";
    jwk["alg"] = alg_name(key.algorithms().front());
    jwk["kid"] = key.kid();
    switch (key.type()) {
        case AJWT_KEY_RSA:
            jwk["kty"] = "RSA";
            jwk["n"] = base64url_encode(pkey_bn_bytes(key.pkey(), OSSL_PKEY_PARAM_RSA_N));
            jwk["e"] = base64url_encode(pkey_bn_bytes(key.pkey(), OSSL_PKEY_PARAM_RSA_E));
            break;
        case AJWT_KEY_ED25519:
        case AJWT_KEY_ED448: {
            unsigned char raw[64];
            size_t size = sizeof raw;
            if (EVP_PKEY_get_raw_public_key(key.pkey(), raw, &size) != 1) throw_openssl("cannot read the public key");
            jwk["kty"] = "OKP";
            jwk["crv"] = key_type_name(key.type());
            jwk["x"] = base64url_encode(std::string_view(reinterpret_cast<const char*>(raw), size));
            break;
        }
        default: {
            EcCoordinates point = ec_public_coordinates(key);
            jwk["kty"] = "EC";
            jwk["crv"] = key_type_name(key.type());
            jwk["x"] = base64url_encode(point.x);
            jwk["y"] = base64url_encode(point.y);
            break;
        }
    }
    return jwk;
}

std::string to_jwk_text(const Key& key) { return to_jwk(key).dump(); }

}  // namespace ajwt
