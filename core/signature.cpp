#include "signature.hpp"

#include <array>
#include <cstring>

#include <openssl/ec.h>
#include <openssl/obj_mac.h>
#include <openssl/rsa.h>

#include "algorithm.hpp"
#include "ed25519.hpp"
#include "error.hpp"

namespace ajwt {
namespace {

enum class Family { Pkcs1, Pss, Ecdsa, EdDsa };

Family family_of(ajwt_alg alg) noexcept {
    switch (alg) {
        case AJWT_ALG_PS256:
        case AJWT_ALG_PS384:
        case AJWT_ALG_PS512: return Family::Pss;
        case AJWT_ALG_ES256:
        case AJWT_ALG_ES384:
        case AJWT_ALG_ES512: return Family::Ecdsa;
        case AJWT_ALG_EDDSA: return Family::EdDsa;
        default: return Family::Pkcs1;
    }
}

// Byte length of r and of s in the JWS r||s form (RFC 7518 §3.4).
size_t ecdsa_component_size(ajwt_alg alg) noexcept {
    switch (alg) {
        case AJWT_ALG_ES256: return 32;
        case AJWT_ALG_ES384: return 48;
        default: return 66;
    }
}

void require_fit(const Key& key, ajwt_alg alg) {
    if (!key.supports(alg)) {
        const char* name = alg_name(alg);
        throw TokenError(AJWT_ERR_ALGORITHM_NOT_ALLOWED,
                         std::string("algorithm ") + (name ? name : "unknown") + " cannot be used with this key type");
    }
}

// The curve order n as big-endian bytes of the JWS component size, computed once per curve.
struct CurveOrder {
    std::array<unsigned char, 66> bytes{};
    size_t size = 0;
};

CurveOrder load_curve_order(int nid, size_t size) {
    CurveOrder order;
    order.size = size;
    EC_GROUP* group = EC_GROUP_new_by_curve_name(nid);
    if (group == nullptr) throw_openssl("cannot load curve");
    int written = BN_bn2binpad(EC_GROUP_get0_order(group), order.bytes.data(), static_cast<int>(size));
    EC_GROUP_free(group);
    if (written != static_cast<int>(size)) throw_openssl("cannot read curve order");
    return order;
}

const CurveOrder& curve_order(ajwt_alg alg) {
    static const CurveOrder p256 = load_curve_order(NID_X9_62_prime256v1, 32);
    static const CurveOrder p384 = load_curve_order(NID_secp384r1, 48);
    static const CurveOrder p521 = load_curve_order(NID_secp521r1, 66);
    switch (alg) {
        case AJWT_ALG_ES256: return p256;
        case AJWT_ALG_ES384: return p384;
        default: return p521;
    }
}

// 1 <= value <= n-1 for a big-endian value of the order's size.
bool in_scalar_range(const unsigned char* value, const CurveOrder& order) noexcept {
    bool all_zero = true;
    for (size_t i = 0; i < order.size; ++i) {
        if (value[i] != 0) {
            all_zero = false;
            break;
        }
    }
    return !all_zero && std::memcmp(value, order.bytes.data(), order.size) < 0;
}

// DER INTEGER of a positive big-endian value (minimal encoding). `out` has room.
size_t put_der_integer(unsigned char* out, const unsigned char* value, size_t size) noexcept {
    while (size > 1 && value[0] == 0) {
        ++value;
        --size;
    }
    const bool pad = (value[0] & 0x80) != 0;
    size_t n = 0;
    out[n++] = 0x02;
    out[n++] = static_cast<unsigned char>(size + (pad ? 1 : 0));
    if (pad) out[n++] = 0x00;
    std::memcpy(out + n, value, size);
    return n + size;
}

// DER ECDSA-Sig-Value from r||s, without heap allocation (hot path of ES* verification).
// Components are at most 66 bytes, so each INTEGER is at most 69 bytes.
size_t jws_to_der(const unsigned char* sig, size_t component, unsigned char* out) noexcept {
    unsigned char body[2 * 69];
    size_t body_size = put_der_integer(body, sig, component);
    body_size += put_der_integer(body + body_size, sig + component, component);
    size_t n = 0;
    out[n++] = 0x30;
    if (body_size >= 0x80) out[n++] = 0x81;
    out[n++] = static_cast<unsigned char>(body_size);
    std::memcpy(out + n, body, body_size);
    return n + body_size;
}

std::string der_to_jws(const unsigned char* der, size_t der_size, size_t component) {
    const unsigned char* cursor = der;
    EcdsaSigPtr sig(d2i_ECDSA_SIG(nullptr, &cursor, static_cast<long>(der_size)));
    if (!sig) throw_openssl("cannot decode ECDSA signature");
    const BIGNUM* r = nullptr;
    const BIGNUM* s = nullptr;
    ECDSA_SIG_get0(sig.get(), &r, &s);
    std::string out(2 * component, '\0');
    auto* bytes = reinterpret_cast<unsigned char*>(out.data());
    if (BN_bn2binpad(r, bytes, static_cast<int>(component)) != static_cast<int>(component) ||
        BN_bn2binpad(s, bytes + component, static_cast<int>(component)) != static_cast<int>(component))
        throw_openssl("ECDSA signature component too large");
    return out;
}

// PSS as JWS fixes it (RFC 7518 §3.5): MGF1 with the message digest, salt length = digest length.
// On verification RSA_PSS_SALTLEN_DIGEST requires exactly that salt length.
bool set_pss(EVP_PKEY_CTX* pctx, const EVP_MD* md) noexcept {
    return EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PSS_PADDING) > 0 &&
           EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx, RSA_PSS_SALTLEN_DIGEST) > 0 &&
           EVP_PKEY_CTX_set_rsa_mgf1_md(pctx, md) > 0;
}

// Size a valid signature must have, checked before OpenSSL sees it.
size_t expected_signature_size(const Key& key, ajwt_alg alg) noexcept {
    switch (family_of(alg)) {
        case Family::Ecdsa: return 2 * ecdsa_component_size(alg);
        case Family::EdDsa: return key.type() == AJWT_KEY_ED448 ? 114 : kEd25519SignatureSize;
        default: return static_cast<size_t>(EVP_PKEY_get_size(key.pkey()));
    }
}

thread_local uint64_t t_verify_attempts = 0;

// A context initialised for verifying with (key, alg): what EVP_DigestVerifyInit sets up.
EvpMdCtxPtr new_verify_context(EVP_PKEY* pkey, ajwt_alg alg) {
    const EVP_MD* md = alg_digest(alg);
    EvpMdCtxPtr ctx(EVP_MD_CTX_new());
    if (!ctx) throw Error(AJWT_ERR_OUT_OF_MEMORY, "EVP_MD_CTX_new failed");
    EVP_PKEY_CTX* pctx = nullptr;  // owned by ctx
    if (EVP_DigestVerifyInit(ctx.get(), &pctx, md, nullptr, pkey) != 1) throw_openssl("EVP_DigestVerifyInit failed");
    if (family_of(alg) == Family::Pss && !set_pss(pctx, md)) throw_openssl("cannot set RSA-PSS parameters");
    return ctx;
}

// EVP_DigestVerifyInit fetches the signature and digest implementations and builds provider
// contexts on every call: a few microseconds, more than a whole token parse. Each thread keeps a few
// initialised contexts as templates and verifies on a cheap copy (EVP_MD_CTX_copy_ex), so the
// set-up leaves the hot path. Per thread, because OpenSSL does not promise that one context
// may be copied from several threads at once. A template holds a reference to its EVP_PKEY,
// so the pointer cannot be reused by another key while it is cached (and a key released by
// its owner lives on until its template is evicted).
class VerifyTemplates {
public:
    EvpMdCtxPtr context(EVP_PKEY* pkey, ajwt_alg alg) {
        EvpMdCtxPtr ctx(EVP_MD_CTX_new());
        if (!ctx) throw Error(AJWT_ERR_OUT_OF_MEMORY, "EVP_MD_CTX_new failed");
        if (EVP_MD_CTX_copy_ex(ctx.get(), find_or_add(pkey, alg)) != 1)
            throw_openssl("cannot copy a verification context");
        return ctx;
    }

private:
    struct Entry {
        EVP_PKEY* pkey = nullptr;
        ajwt_alg alg = AJWT_ALG_UNKNOWN;
        EvpMdCtxPtr ctx;
    };

    EVP_MD_CTX* find_or_add(EVP_PKEY* pkey, ajwt_alg alg) {
        for (const Entry& entry : entries_)
            if (entry.pkey == pkey && entry.alg == alg) return entry.ctx.get();
        Entry& slot = entries_[next_];  // round-robin replacement: cheap and good enough
        next_ = (next_ + 1) % entries_.size();
        slot.ctx = new_verify_context(pkey, alg);
        slot.pkey = pkey;
        slot.alg = alg;
        return slot.ctx.get();
    }

    std::array<Entry, 16> entries_;
    size_t next_ = 0;
};

thread_local VerifyTemplates t_verify_templates;

}  // namespace

uint64_t verify_attempts_on_this_thread() noexcept { return t_verify_attempts; }

std::string sign_bytes(const Key& key, ajwt_alg alg, std::string_view message) {
    require_fit(key, alg);
    if (!key.is_private()) throw KeyError(AJWT_ERR_NOT_PRIVATE_KEY, "signing needs a private key");
    const Family family = family_of(alg);
    const EVP_MD* md = alg_digest(alg);

    EvpMdCtxPtr ctx(EVP_MD_CTX_new());
    if (!ctx) throw Error(AJWT_ERR_OUT_OF_MEMORY, "EVP_MD_CTX_new failed");
    EVP_PKEY_CTX* pctx = nullptr;  // owned by ctx
    if (EVP_DigestSignInit(ctx.get(), &pctx, md, nullptr, key.pkey()) != 1) throw_openssl("EVP_DigestSignInit failed");
    if (family == Family::Pss && !set_pss(pctx, md)) throw_openssl("cannot set RSA-PSS parameters");

    const auto* msg = reinterpret_cast<const unsigned char*>(message.data());
    size_t size = 0;
    if (EVP_DigestSign(ctx.get(), nullptr, &size, msg, message.size()) != 1) throw_openssl("EVP_DigestSign failed");
    std::string signature(size, '\0');
    auto* out = reinterpret_cast<unsigned char*>(signature.data());
    if (EVP_DigestSign(ctx.get(), out, &size, msg, message.size()) != 1) throw_openssl("EVP_DigestSign failed");
    signature.resize(size);

    if (family == Family::Ecdsa) return der_to_jws(out, size, ecdsa_component_size(alg));
    return signature;
}

bool verify_bytes(const Key& key, ajwt_alg alg, std::string_view message, std::string_view signature) {
    require_fit(key, alg);
    ++t_verify_attempts;
    const Family family = family_of(alg);
    if (signature.size() != expected_signature_size(key, alg)) return false;

    const auto* sig = reinterpret_cast<const unsigned char*>(signature.data());
    size_t sig_size = signature.size();
    unsigned char der[8 + 2 * 69];
    if (family == Family::Ecdsa) {
        const size_t component = ecdsa_component_size(alg);
        const CurveOrder& order = curve_order(alg);
        if (!in_scalar_range(sig, order) || !in_scalar_range(sig + component, order)) return false;
        sig_size = jws_to_der(sig, component, der);
        sig = der;
    }

    if (const unsigned char* ed25519_public = key.ed25519_public()) return ed25519_verify(ed25519_public, message, sig);

    EvpMdCtxPtr ctx = t_verify_templates.context(key.pkey(), alg);
    const int ok = EVP_DigestVerify(ctx.get(), sig, sig_size, reinterpret_cast<const unsigned char*>(message.data()),
                                    message.size());
    if (ok != 1) {
        clear_openssl_errors();
        return false;
    }
    return true;
}

}  // namespace ajwt
