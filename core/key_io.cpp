#include "key_io.hpp"

#include <climits>
#include <cstring>
#include <list>
#include <mutex>
#include <unordered_map>
#include <utility>

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>

#include "error.hpp"
#include "jwk.hpp"
#include "openssh.hpp"
#include "pbe_cost.hpp"

namespace ajwt {
namespace {

constexpr std::string_view kBegin = "-----BEGIN ";
constexpr std::string_view kEnd = "-----END ";
constexpr std::string_view kDashes = "-----";
// OpenSSL's PEM password buffer (PEM_BUFSIZE).
constexpr size_t kMaxPasswordSize = 1024;

bool starts_with(std::string_view text, std::string_view prefix) noexcept {
    return text.substr(0, prefix.size()) == prefix;
}

bool ends_with(std::string_view text, std::string_view suffix) noexcept {
    return text.size() >= suffix.size() && text.substr(text.size() - suffix.size()) == suffix;
}

// The label of a text that is exactly one PEM block ("PUBLIC KEY", "RSA PRIVATE KEY", …).
// KEY_PARSE for anything else: a second block or text before or after the block.
std::string pem_label(std::string_view text) {
    if (!starts_with(text, kBegin)) throw KeyError(AJWT_ERR_KEY_PARSE, "not a PEM block");
    const size_t label_end = text.find(kDashes, kBegin.size());
    const size_t line_end = text.find('\n');
    if (label_end == std::string_view::npos || (line_end != std::string_view::npos && label_end > line_end))
        throw KeyError(AJWT_ERR_KEY_PARSE, "PEM block without a complete BEGIN line");
    std::string label(text.substr(kBegin.size(), label_end - kBegin.size()));
    if (text.find(kBegin, 1) != std::string_view::npos)
        throw KeyError(AJWT_ERR_KEY_PARSE, "more than one PEM block; give one key");
    const std::string end_line = std::string(kEnd) + label + std::string(kDashes);
    if (!ends_with(text, end_line))
        throw KeyError(AJWT_ERR_KEY_PARSE, "PEM block \"" + label + "\" is not closed by " + end_line);
    return label;
}

bool is_private_label(std::string_view label) noexcept { return ends_with(label, "PRIVATE KEY"); }

// One PEM block's headers and decoded body, as OpenSSL's PEM reader sees them.
struct PemBlock {
    std::string header;
    std::string der;
};

PemBlock read_pem_block(std::string_view text) {
    BioPtr bio = memory_bio(text.data(), text.size());
    char* name = nullptr;
    char* header = nullptr;
    unsigned char* data = nullptr;
    long size = 0;
    if (PEM_read_bio(bio.get(), &name, &header, &data, &size) != 1) {
        clear_openssl_errors();
        throw KeyError(AJWT_ERR_KEY_PARSE, "PEM body is not valid base64");
    }
    PemBlock block{header ? header : "", std::string(reinterpret_cast<char*>(data), static_cast<size_t>(size))};
    OPENSSL_free(name);
    OPENSSL_free(header);
    OPENSSL_free(data);
    return block;
}

// SubjectPublicKeyInfo or PKCS#1 RSAPublicKey DER, with nothing after the structure.
EvpPkeyPtr decode_public_der(const std::string& der, bool pkcs1) {
    if (der.size() > LONG_MAX) throw KeyError(AJWT_ERR_KEY_TOO_LARGE, "key too large");
    const auto* begin = reinterpret_cast<const unsigned char*>(der.data());
    const unsigned char* cursor = begin;
    const long size = static_cast<long>(der.size());
    EvpPkeyPtr pkey(pkcs1 ? d2i_PublicKey(EVP_PKEY_RSA, nullptr, &cursor, size) : d2i_PUBKEY(nullptr, &cursor, size));
    if (!pkey) {
        clear_openssl_errors();
        throw KeyError(AJWT_ERR_KEY_PARSE,
                       pkcs1 ? "not a valid PKCS#1 RSA public key" : "not a valid SubjectPublicKeyInfo");
    }
    if (cursor != begin + der.size()) throw KeyError(AJWT_ERR_KEY_PARSE, "bytes after the public key structure");
    return pkey;
}

KeyPtr load_public_pem(std::string_view text) {
    const std::string label = pem_label(text);
    if (is_private_label(label))
        throw KeyError(AJWT_ERR_PRIVATE_KEY_GIVEN, "a private key (" + label + ") where a public key is expected");
    const bool pkcs1 = label == "RSA PUBLIC KEY";
    if (label != "PUBLIC KEY" && !pkcs1)
        throw KeyError(AJWT_ERR_KEY_PARSE, "PEM block \"" + label + "\" is not a public key");
    PemBlock block = read_pem_block(text);
    if (!block.header.empty()) throw KeyError(AJWT_ERR_KEY_PARSE, "unexpected headers in a public key PEM block");
    return Key::from_pkey(decode_public_der(block.der, pkcs1), false);
}

bool looks_like_jwk(std::string_view text) noexcept { return !text.empty() && text.front() == '{'; }

// The first word starts like an SSH key type, even one we do not support ("ssh-dss",
// "sk-ssh-ed25519@openssh.com"), so the OpenSSH reader can say why it is refused.
bool looks_like_ssh_word(std::string_view text) noexcept {
    return starts_with(text, "ssh-") || starts_with(text, "ecdsa-") || starts_with(text, "sk-");
}

// Dispatches on the first characters, so the error is the one of the format the text
// is written in rather than the last format tried.
KeyPtr load_public_any(std::string_view text) {
    if (starts_with(text, kBegin)) return load_public_pem(text);
    if (looks_like_openssh_public(text) || looks_like_ssh_word(text)) return parse_openssh_public(text);
    if (looks_like_jwk(text)) return parse_jwk_text(text);
    throw KeyError(AJWT_ERR_KEY_PARSE,
                   "not a public key: expected PEM (-----BEGIN PUBLIC KEY-----), an OpenSSH line "
                   "(ssh-ed25519 AAAA... comment) or a JWK ({\"kty\": ...})");
}

// ---- public key cache ---------------------------------------------------------------

class KeyCache {
public:
    KeyPtr find(const std::string& id) {
        std::lock_guard<std::mutex> lock(mutex_);
        auto it = index_.find(id);
        if (it == index_.end()) return nullptr;
        order_.splice(order_.begin(), order_, it->second);
        return it->second->second;
    }

    // Returns the cached key when another thread stored one for `id` meanwhile.
    KeyPtr insert(const std::string& id, KeyPtr key) {
        std::lock_guard<std::mutex> lock(mutex_);
        auto it = index_.find(id);
        if (it != index_.end()) return it->second->second;
        order_.emplace_front(id, key);
        index_.emplace(id, order_.begin());
        if (order_.size() > kKeyCacheCapacity) {
            index_.erase(order_.back().first);
            order_.pop_back();
        }
        return key;
    }

private:
    using Entry = std::pair<std::string, KeyPtr>;
    std::mutex mutex_;
    std::list<Entry> order_;  // most recently used first
    std::unordered_map<std::string, std::list<Entry>::iterator> index_;
};

KeyCache& key_cache() {
    // Never destroyed: keys must not be freed after OpenSSL's own atexit clean-up.
    static KeyCache* cache = new KeyCache;
    return *cache;
}

// ---- private keys -------------------------------------------------------------------

struct PasswordState {
    std::optional<std::string_view> password;
    bool asked = false;
    bool too_long = false;
};

// OpenSSL asks only for encrypted keys, so "asked" tells a missing password apart from
// a wrong one without reading error strings.
int password_callback(char* buffer, int size, int /*rwflag*/, void* user_data) {
    auto* state = static_cast<PasswordState*>(user_data);
    state->asked = true;
    if (!state->password || size < 0) return -1;
    if (state->password->size() > static_cast<size_t>(size)) {
        state->too_long = true;
        return -1;
    }
    std::memcpy(buffer, state->password->data(), state->password->size());
    return static_cast<int>(state->password->size());
}

using SecretBignumPtr = OpenSslPtr<BIGNUM, BN_clear_free>;
using BnCtxPtr = OpenSslPtr<BN_CTX, BN_CTX_free>;

SecretBignumPtr optional_bn_param(EVP_PKEY* pkey, const char* name) {
    BIGNUM* raw = nullptr;
    if (EVP_PKEY_get_bn_param(pkey, name, &raw) != 1) {
        clear_openssl_errors();
        return nullptr;
    }
    return SecretBignumPtr(raw);
}

// OpenSSL does not check that the parts of an RSA private key belong together, and its own
// full check runs primality tests (seconds for large keys). These identities are cheap and
// catch a corrupted key before it signs tokens nobody can verify.
bool rsa_private_consistent(EVP_PKEY* pkey) {
    SecretBignumPtr n = optional_bn_param(pkey, OSSL_PKEY_PARAM_RSA_N),
                    e = optional_bn_param(pkey, OSSL_PKEY_PARAM_RSA_E),
                    d = optional_bn_param(pkey, OSSL_PKEY_PARAM_RSA_D),
                    p = optional_bn_param(pkey, OSSL_PKEY_PARAM_RSA_FACTOR1),
                    q = optional_bn_param(pkey, OSSL_PKEY_PARAM_RSA_FACTOR2);
    if (!n || !e || !d) return false;
    if (!p || !q) return true;  // no CRT parts to relate (rare); signing still works
    BnCtxPtr ctx(BN_CTX_secure_new());
    SecretBignumPtr t(BN_new()), p1(BN_new()), q1(BN_new()), ed(BN_new());
    if (!ctx || !t || !p1 || !q1 || !ed) throw Error(AJWT_ERR_OUT_OF_MEMORY, "BN_new failed");
    if (BN_mul(t.get(), p.get(), q.get(), ctx.get()) != 1 || BN_cmp(t.get(), n.get()) != 0) return false;
    if (BN_sub(p1.get(), p.get(), BN_value_one()) != 1 || BN_sub(q1.get(), q.get(), BN_value_one()) != 1 ||
        BN_is_zero(p1.get()) || BN_is_zero(q1.get()) || BN_mul(ed.get(), e.get(), d.get(), ctx.get()) != 1)
        return false;
    for (BIGNUM* m : {p1.get(), q1.get()})
        if (BN_mod(t.get(), ed.get(), m, ctx.get()) != 1 || !BN_is_one(t.get())) return false;
    SecretBignumPtr dp = optional_bn_param(pkey, OSSL_PKEY_PARAM_RSA_EXPONENT1),
                    dq = optional_bn_param(pkey, OSSL_PKEY_PARAM_RSA_EXPONENT2),
                    qinv = optional_bn_param(pkey, OSSL_PKEY_PARAM_RSA_COEFFICIENT1);
    if (dp && (BN_mod(t.get(), d.get(), p1.get(), ctx.get()) != 1 || BN_cmp(t.get(), dp.get()) != 0)) return false;
    if (dq && (BN_mod(t.get(), d.get(), q1.get(), ctx.get()) != 1 || BN_cmp(t.get(), dq.get()) != 0)) return false;
    if (qinv && (BN_mod_mul(t.get(), qinv.get(), q.get(), p.get(), ctx.get()) != 1 || !BN_is_one(t.get())))
        return false;
    return true;
}

void check_private_consistency(EVP_PKEY* pkey) {
    bool ok = true;
    if (EVP_PKEY_get_base_id(pkey) == EVP_PKEY_RSA) {
        ok = rsa_private_consistent(pkey);
    } else if (EVP_PKEY_get_base_id(pkey) == EVP_PKEY_EC) {
        EvpPkeyCtxPtr ctx(EVP_PKEY_CTX_new_from_pkey(nullptr, pkey, nullptr));
        if (!ctx) throw_openssl("cannot check the EC key");
        ok = EVP_PKEY_pairwise_check(ctx.get()) == 1;  // one scalar multiplication
    }
    clear_openssl_errors();
    if (!ok) throw KeyError(AJWT_ERR_KEY_PARSE, "the private key is inconsistent (corrupt)");
}

// The decoded body of the (first) PEM block in `text`.
std::string pem_body(std::string_view text) {
    BioPtr bio = memory_bio(text.data(), text.size());
    char* name = nullptr;
    char* header = nullptr;
    unsigned char* data = nullptr;
    long size = 0;
    const int ok = PEM_read_bio(bio.get(), &name, &header, &data, &size);
    std::string body =
        ok == 1 ? std::string(reinterpret_cast<const char*>(data), static_cast<size_t>(size)) : std::string();
    OPENSSL_free(name);
    OPENSSL_free(header);
    OPENSSL_free(data);
    if (ok != 1) {
        clear_openssl_errors();
        throw KeyError(AJWT_ERR_KEY_PARSE, "not a valid PEM block");
    }
    return body;
}

KeyPtr load_private_pem(std::string_view text, std::optional<std::string_view> password) {
    const std::string label = pem_label(text);
    if (label == "PUBLIC KEY" || label == "RSA PUBLIC KEY")
        throw KeyError(AJWT_ERR_NOT_PRIVATE_KEY, "a public key (" + label + ") where a private key is needed");
    if (!is_private_label(label))
        throw KeyError(AJWT_ERR_KEY_PARSE, "PEM block \"" + label + "\" is not a private key");
    if (label == "ENCRYPTED PRIVATE KEY") check_pbe_cost(pem_body(text));
    BioPtr bio = memory_bio(text.data(), text.size());
    PasswordState state{password};
    EvpPkeyPtr pkey(PEM_read_bio_PrivateKey(bio.get(), nullptr, password_callback, &state));
    if (!pkey) {
        clear_openssl_errors();
        if (state.too_long)
            throw Error(AJWT_ERR_INVALID_ARGUMENT,
                        "password longer than " + std::to_string(kMaxPasswordSize) + " bytes");
        if (state.asked && !password)
            throw KeyError(AJWT_ERR_PASSWORD_REQUIRED, "the private key is encrypted; a password is required");
        if (state.asked) throw KeyError(AJWT_ERR_WRONG_PASSWORD, "wrong password for the encrypted private key");
        throw KeyError(AJWT_ERR_KEY_PARSE, "not a valid private key (" + label + ")");
    }
    KeyPtr key = Key::from_pkey(std::move(pkey), true);  // type and size first: they say more
    check_private_consistency(key->pkey());
    return key;
}

// ---- generation ---------------------------------------------------------------------

EvpPkeyPtr generate_rsa(unsigned bits, uint64_t exponent) {
    if (bits == 0) bits = 2048;
    if (exponent == 0) exponent = 65537;
    if (bits < kMinRsaBits) throw KeyError(AJWT_ERR_KEY_TOO_SMALL, "RSA keys need at least 2048 bits (RFC 7518 3.3)");
    if (bits > kMaxRsaBits) throw KeyError(AJWT_ERR_KEY_TOO_LARGE, "RSA keys of at most 8192 bits");
    if (exponent < 3 || exponent % 2 == 0)
        throw Error(AJWT_ERR_INVALID_ARGUMENT, "RSA public exponent must be odd and at least 3");
    unsigned char e_bytes[8];
    for (int i = 7; i >= 0; --i, exponent >>= 8) e_bytes[i] = static_cast<unsigned char>(exponent & 0xff);
    BignumPtr e(BN_bin2bn(e_bytes, sizeof e_bytes, nullptr));
    EvpPkeyCtxPtr ctx(EVP_PKEY_CTX_new_from_name(nullptr, "RSA", nullptr));
    if (!e || !ctx || EVP_PKEY_keygen_init(ctx.get()) != 1 ||
        EVP_PKEY_CTX_set_rsa_keygen_bits(ctx.get(), static_cast<int>(bits)) != 1 ||
        EVP_PKEY_CTX_set1_rsa_keygen_pubexp(ctx.get(), e.get()) != 1)
        throw_openssl("cannot set up RSA key generation");
    EVP_PKEY* raw = nullptr;
    if (EVP_PKEY_generate(ctx.get(), &raw) != 1) throw_openssl("RSA key generation failed");
    return EvpPkeyPtr(raw);
}

EvpPkeyPtr generate_simple(const char* type, const char* group) {
    EVP_PKEY* raw =
        group ? EVP_PKEY_Q_keygen(nullptr, nullptr, type, group) : EVP_PKEY_Q_keygen(nullptr, nullptr, type);
    if (!raw) throw_openssl(std::string("key generation failed for ") + (group ? group : type));
    return EvpPkeyPtr(raw);
}

}  // namespace

KeyPtr load_public_key(std::string_view text, ajwt_key_format format) {
    const std::string_view trimmed = prepare_key_text(text);
    switch (format) {
        case AJWT_FORMAT_ANY: return load_public_any(trimmed);
        case AJWT_FORMAT_PEM: return load_public_pem(trimmed);
        case AJWT_FORMAT_OPENSSH: return parse_openssh_public(trimmed);
        case AJWT_FORMAT_JWK: return parse_jwk_text(trimmed);
    }
    throw Error(AJWT_ERR_INVALID_ARGUMENT, "unknown key format " + std::to_string(static_cast<int>(format)));
}

KeyPtr load_public_key_cached(std::string_view text, ajwt_key_format format) {
    // Checked before hashing so oversized input costs nothing.
    check_key_text_size(text);
    std::string material;
    material.reserve(text.size() + 1);
    material += static_cast<char>(format);
    material += text;
    const std::string id = sha256_hex(material);

    KeyCache& cache = key_cache();
    if (KeyPtr hit = cache.find(id)) return hit;
    KeyPtr key = load_public_key(text, format);  // parsed outside the lock
    if (key->is_private()) return key;           // never cached (cannot happen: defensive)
    return cache.insert(id, std::move(key));
}

KeyPtr load_private_key(std::string_view text, std::optional<std::string_view> password) {
    const std::string_view trimmed = prepare_key_text(text);
    if (looks_like_openssh_private(trimmed)) return parse_openssh_private(trimmed, password);
    if (!starts_with(trimmed, kBegin)) {
        if (looks_like_openssh_public(trimmed))
            throw KeyError(AJWT_ERR_NOT_PRIVATE_KEY, "an OpenSSH public key where a private key is needed");
        if (looks_like_jwk(trimmed))
            throw KeyError(AJWT_ERR_KEY_PARSE, "private keys are not read from JWK; give a PEM private key");
        throw KeyError(AJWT_ERR_KEY_PARSE,
                       "not a private key: expected PEM (PKCS#8, RSA/EC PRIVATE KEY or OPENSSH PRIVATE KEY)");
    }
    return load_private_pem(trimmed, password);
}

KeyPtr generate_key(ajwt_key_type type, unsigned rsa_bits, uint64_t rsa_exponent) {
    switch (type) {
        case AJWT_KEY_RSA: return Key::from_pkey(generate_rsa(rsa_bits, rsa_exponent), true);
        case AJWT_KEY_ED25519: return Key::from_pkey(generate_simple("ED25519", nullptr), true);
        case AJWT_KEY_ED448: return Key::from_pkey(generate_simple("ED448", nullptr), true);
        case AJWT_KEY_EC_P256: return Key::from_pkey(generate_simple("EC", "P-256"), true);
        case AJWT_KEY_EC_P384: return Key::from_pkey(generate_simple("EC", "P-384"), true);
        case AJWT_KEY_EC_P521: return Key::from_pkey(generate_simple("EC", "P-521"), true);
    }
    throw Error(AJWT_ERR_INVALID_ARGUMENT, "unknown key type " + std::to_string(static_cast<int>(type)));
}

std::string export_pkcs8(const Key& key, std::optional<std::string_view> password) {
    if (!key.is_private()) throw KeyError(AJWT_ERR_NOT_PRIVATE_KEY, "PKCS#8 export needs a private key");
    if (password && password->empty())
        throw Error(AJWT_ERR_INVALID_ARGUMENT, "empty password; omit it for a plain key");
    if (password && password->size() > kMaxPasswordSize)
        throw Error(AJWT_ERR_INVALID_ARGUMENT, "password longer than " + std::to_string(kMaxPasswordSize) + " bytes");
    BioPtr bio(BIO_new(BIO_s_mem()));
    if (!bio) throw Error(AJWT_ERR_OUT_OF_MEMORY, "BIO_new failed");
    // The password goes through the callback (never a terminal prompt); AES-256-CBC selects
    // PKCS#5 v2 (PBES2 with PBKDF2).
    PasswordState state{password};
    const EVP_CIPHER* cipher = password ? EVP_aes_256_cbc() : nullptr;
    if (PEM_write_bio_PKCS8PrivateKey(bio.get(), key.pkey(), cipher, nullptr, 0, password_callback, &state) != 1)
        throw_openssl("cannot write the PKCS#8 private key");
    return bio_contents(bio.get());
}

std::string export_key(const Key& key, ajwt_export_format format, std::optional<std::string_view> password) {
    switch (format) {
        case AJWT_EXPORT_PUBLIC_PEM: return key.public_pem();
        case AJWT_EXPORT_PUBLIC_OPENSSH: return to_openssh_public(key);
        case AJWT_EXPORT_PUBLIC_JWK: return to_jwk_text(key);
        case AJWT_EXPORT_PRIVATE_PKCS8: return export_pkcs8(key, password);
    }
    throw Error(AJWT_ERR_INVALID_ARGUMENT, "unknown export format " + std::to_string(static_cast<int>(format)));
}

}  // namespace ajwt
