#include "pbe_cost.hpp"

#include <string>

#include <openssl/asn1.h>
#include <openssl/objects.h>
#include <openssl/x509.h>

#include "error.hpp"
#include "openssl_ptr.hpp"

namespace ajwt {
namespace {

using X509SigPtr = OpenSslPtr<X509_SIG, X509_SIG_free>;
using PbeParamPtr = OpenSslPtr<PBEPARAM, PBEPARAM_free>;
using Pbe2ParamPtr = OpenSslPtr<PBE2PARAM, PBE2PARAM_free>;
using Pbkdf2ParamPtr = OpenSslPtr<PBKDF2PARAM, PBKDF2PARAM_free>;
using ScryptParamsPtr = OpenSslPtr<SCRYPT_PARAMS, SCRYPT_PARAMS_free>;

[[noreturn]] void malformed(const std::string& what) {
    clear_openssl_errors();
    throw KeyError(AJWT_ERR_KEY_PARSE, "encrypted private key: " + what);
}

// The algorithm's parameters decoded as the structure `item`; KEY_PARSE when absent or not that.
template <typename Ptr>
Ptr unpack(const X509_ALGOR* algorithm, const ASN1_ITEM* item, const char* what) {
    int type = 0;
    const void* value = nullptr;
    X509_ALGOR_get0(nullptr, &type, &value, algorithm);
    if (type != V_ASN1_SEQUENCE || value == nullptr) malformed(std::string(what) + " parameters missing");
    Ptr params(
        static_cast<typename Ptr::element_type*>(ASN1_item_unpack(static_cast<const ASN1_STRING*>(value), item)));
    if (!params) malformed(std::string(what) + " parameters do not decode");
    return params;
}

int nid_of(const X509_ALGOR* algorithm) {
    const ASN1_OBJECT* object = nullptr;
    X509_ALGOR_get0(&object, nullptr, nullptr, algorithm);
    return OBJ_obj2nid(object);
}

uint64_t non_negative(const ASN1_INTEGER* value, const char* what) {
    uint64_t result = 0;
    if (value == nullptr || ASN1_INTEGER_get_uint64(&result, value) != 1)
        malformed(std::string(what) + " is not a valid number");
    return result;
}

void check_iterations(const ASN1_INTEGER* iterations, const char* scheme) {
    const uint64_t count = non_negative(iterations, "iteration count");
    if (count > static_cast<uint64_t>(kMaxPbeIterations))
        throw KeyError(AJWT_ERR_KEY_UNSUPPORTED, std::string("encrypted private key asks for ") +
                                                     std::to_string(count) + " " + scheme + " iterations; at most " +
                                                     std::to_string(kMaxPbeIterations) + " are accepted");
}

void check_scrypt(const SCRYPT_PARAMS& params) {
    const uint64_t n = non_negative(params.costParameter, "scrypt N");
    const uint64_t r = non_negative(params.blockSize, "scrypt r");
    const uint64_t p = non_negative(params.parallelizationParameter, "scrypt p");
    // Each factor alone is capped first, so the product cannot overflow.
    const bool too_much = n > kMaxScryptWork || r > kMaxScryptWork || p > kMaxScryptWork ||
                          (r != 0 && n > kMaxScryptWork / r) || (n * r != 0 && p > kMaxScryptWork / (n * r));
    if (too_much)
        throw KeyError(AJWT_ERR_KEY_UNSUPPORTED, "encrypted private key asks for scrypt N=" + std::to_string(n) +
                                                     ", r=" + std::to_string(r) + ", p=" + std::to_string(p) +
                                                     "; at most N*r*p = " + std::to_string(kMaxScryptWork) +
                                                     " is accepted");
}

}  // namespace

void check_pbe_cost(std::string_view der) {
    const auto* cursor = reinterpret_cast<const unsigned char*>(der.data());
    X509SigPtr info(d2i_X509_SIG(nullptr, &cursor, static_cast<long>(der.size())));
    if (!info) malformed("not an EncryptedPrivateKeyInfo");
    const X509_ALGOR* scheme = nullptr;
    X509_SIG_get0(info.get(), &scheme, nullptr);

    const int scheme_nid = nid_of(scheme);
    if (scheme_nid != NID_pbes2) {
        // PKCS#5 v1.5 and PKCS#12 schemes: PBEPARAM {salt, iterations}. Others are OpenSSL's to refuse.
        if (EVP_PBE_find(EVP_PBE_TYPE_OUTER, scheme_nid, nullptr, nullptr, nullptr) != 1) return;
        check_iterations(unpack<PbeParamPtr>(scheme, ASN1_ITEM_rptr(PBEPARAM), "PBE")->iter, "PBE");
        return;
    }
    const Pbe2ParamPtr pbes2 = unpack<Pbe2ParamPtr>(scheme, ASN1_ITEM_rptr(PBE2PARAM), "PBES2");
    switch (nid_of(pbes2->keyfunc)) {
        case NID_id_pbkdf2:
            check_iterations(unpack<Pbkdf2ParamPtr>(pbes2->keyfunc, ASN1_ITEM_rptr(PBKDF2PARAM), "PBKDF2")->iter,
                             "PBKDF2");
            return;
        case NID_id_scrypt:
            check_scrypt(*unpack<ScryptParamsPtr>(pbes2->keyfunc, ASN1_ITEM_rptr(SCRYPT_PARAMS), "scrypt"));
            return;
        default: return;  // a key derivation OpenSSL does not know: it refuses the key itself
    }
}

}  // namespace ajwt
