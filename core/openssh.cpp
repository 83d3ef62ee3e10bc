#include "openssh.hpp"

#include <array>
#include <cstdint>
#include <optional>

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>

#include "base64url.hpp"
#include "bcrypt_pbkdf.hpp"
#include "error.hpp"
#include "key_text.hpp"

namespace ajwt {
namespace {

constexpr std::string_view kPrivateBegin = "-----BEGIN OPENSSH PRIVATE KEY-----";
constexpr std::string_view kPrivateEnd = "-----END OPENSSH PRIVATE KEY-----";
// "openssh-key-v1" and its terminating NUL (PROTOCOL.key).
constexpr std::string_view kPrivateMagic{"openssh-key-v1\0", 15};

// Ciphers ssh-keygen can encrypt a private key with (`ssh -Q cipher`), as PROTOCOL.key and
// cipher.c define them: key and IV come from one bcrypt_pbkdf output, key first; the tag of an
// AEAD follows the encrypted section, which is padded to the cipher's block size. 3des-cbc is
// not read.
struct SshCipher {
    std::string_view name;
    const EVP_CIPHER* (*evp)();  // nullptr: chacha20-poly1305@openssh.com, built from its parts
    size_t key_size;
    size_t iv_size;
    size_t tag_size;  // 0 for unauthenticated modes
    size_t block_size;
};
constexpr std::array<SshCipher, 9> kSshCiphers = {{
    {"aes128-ctr", EVP_aes_128_ctr, 16, 16, 0, 16},
    {"aes192-ctr", EVP_aes_192_ctr, 24, 16, 0, 16},
    {"aes256-ctr", EVP_aes_256_ctr, 32, 16, 0, 16},
    {"aes128-cbc", EVP_aes_128_cbc, 16, 16, 0, 16},
    {"aes192-cbc", EVP_aes_192_cbc, 24, 16, 0, 16},
    {"aes256-cbc", EVP_aes_256_cbc, 32, 16, 0, 16},
    {"aes128-gcm@openssh.com", EVP_aes_128_gcm, 16, 12, 16, 16},
    {"aes256-gcm@openssh.com", EVP_aes_256_gcm, 32, 12, 16, 16},
    // PROTOCOL.chacha20poly1305: 64 key bytes (the second half only encrypts packet lengths,
    // unused here), no IV, Poly1305 tag.
    {"chacha20-poly1305@openssh.com", nullptr, 64, 0, 16, 8},
}};
constexpr size_t kMaxCipherKeyIv = 64;
constexpr const char* kCipherAdvice =
    " (supported: aes128/192/256-ctr, aes128/192/256-cbc, aes128/256-gcm@openssh.com and "
    "chacha20-poly1305@openssh.com with bcrypt; re-encrypt with `ssh-keygen -p -Z aes256-ctr -f KEY`)";
// Salts ssh-keygen writes are 16 bytes; anything far larger is not a key file.
constexpr size_t kMaxBcryptSalt = 1024;

struct SshType {
    std::string_view word;
    ajwt_key_type type;
    std::string_view curve;  // ECDSA curve identifier inside the blob
};

// ssh-ed448 is RFC 8709's name; OpenSSH itself does not implement it.
constexpr std::array<SshType, 6> kSshTypes = {{
    {"ssh-rsa", AJWT_KEY_RSA, ""},
    {"ssh-ed25519", AJWT_KEY_ED25519, ""},
    {"ssh-ed448", AJWT_KEY_ED448, ""},
    {"ecdsa-sha2-nistp256", AJWT_KEY_EC_P256, "nistp256"},
    {"ecdsa-sha2-nistp384", AJWT_KEY_EC_P384, "nistp384"},
    {"ecdsa-sha2-nistp521", AJWT_KEY_EC_P521, "nistp521"},
}};

const SshType* find_ssh_type(std::string_view word) noexcept {
    for (const auto& entry : kSshTypes)
        if (entry.word == word) return &entry;
    return nullptr;
}

const SshType& ssh_type_of(ajwt_key_type type) {
    for (const auto& entry : kSshTypes)
        if (entry.type == type) return entry;
    throw Error(AJWT_ERR_INVALID_ARGUMENT, "key type without an OpenSSH name");
}

const SshType& require_ssh_type(std::string_view word) {
    if (const SshType* found = find_ssh_type(word)) return *found;
    throw KeyError(AJWT_ERR_KEY_UNSUPPORTED,
                   "OpenSSH key type \"" + std::string(word.substr(0, 64)) +
                       "\" is not supported (ssh-rsa, ssh-ed25519, ecdsa-sha2-nistp256/384/521)");
}

[[noreturn]] void malformed(const std::string& what) { throw KeyError(AJWT_ERR_KEY_PARSE, "OpenSSH key: " + what); }

// Bytes that held private key material are wiped when dropped.
struct WipedString {
    std::string bytes;
    ~WipedString() { OPENSSL_cleanse(bytes.data(), bytes.size()); }
};

using SecretBignumPtr = OpenSslPtr<BIGNUM, BN_clear_free>;
using BnCtxPtr = OpenSslPtr<BN_CTX, BN_CTX_free>;

// The SSH wire format (RFC 4251 §5): uint32, length-prefixed strings, mpints. Every length
// is checked against what is left, so nothing is read or allocated beyond the input.
class SshReader {
public:
    explicit SshReader(std::string_view data) : data_(data) {}

    uint32_t u32(const char* what) {
        if (data_.size() < 4) malformed(std::string("truncated ") + what);
        uint32_t value = 0;
        for (int i = 0; i < 4; ++i) value = (value << 8) | static_cast<unsigned char>(data_[i]);
        data_.remove_prefix(4);
        return value;
    }

    std::string_view string(const char* what) {
        const uint32_t size = u32(what);
        if (size > data_.size()) malformed(std::string("length of ") + what + " runs past the end");
        std::string_view value = data_.substr(0, size);
        data_.remove_prefix(size);
        return value;
    }

    // A non-negative mpint in its minimal encoding; returns the magnitude bytes.
    std::string_view mpint(const char* what) {
        std::string_view value = string(what);
        if (value.empty()) return value;
        const auto first = static_cast<unsigned char>(value[0]);
        if (first & 0x80) malformed(std::string("negative ") + what);
        if (first == 0) {
            if (value.size() == 1 || !(static_cast<unsigned char>(value[1]) & 0x80))
                malformed(std::string("non-minimal encoding of ") + what);
            value.remove_prefix(1);
        }
        return value;
    }

    bool at_end() const noexcept { return data_.empty(); }
    std::string_view rest() const noexcept { return data_; }

private:
    std::string_view data_;
};

class SshWriter {
public:
    void u32(uint32_t value) {
        for (int shift = 24; shift >= 0; shift -= 8) out_ += static_cast<char>((value >> shift) & 0xff);
    }
    void string(std::string_view value) {
        u32(static_cast<uint32_t>(value.size()));
        out_ += value;
    }
    // `magnitude` is big-endian without leading zeros; a 0x00 keeps the high bit from reading as a sign.
    void mpint(std::string_view magnitude) {
        if (!magnitude.empty() && (static_cast<unsigned char>(magnitude[0]) & 0x80)) {
            u32(static_cast<uint32_t>(magnitude.size() + 1));
            out_ += '\0';
            out_ += magnitude;
        } else {
            string(magnitude);
        }
    }
    const std::string& bytes() const noexcept { return out_; }

private:
    std::string out_;
};

EvpPkeyPtr raw_public_pkey(int type, std::string_view bytes, size_t size, const char* name) {
    if (bytes.size() != size) malformed(std::string(name) + " public key must be " + std::to_string(size) + " bytes");
    EvpPkeyPtr pkey(
        EVP_PKEY_new_raw_public_key(type, nullptr, reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size()));
    if (!pkey) {
        clear_openssl_errors();
        malformed(std::string("invalid ") + name + " public key");
    }
    return pkey;
}

// Reads the public key fields that follow the type string (same layout in a public blob
// and at the start of the private fields for Ed25519/ECDSA, but not RSA).
EvpPkeyPtr read_public_fields(SshReader& reader, const SshType& type) {
    switch (type.type) {
        case AJWT_KEY_RSA: {
            std::string_view e = reader.mpint("RSA exponent");
            std::string_view n = reader.mpint("RSA modulus");
            return rsa_public_pkey(n, e);
        }
        case AJWT_KEY_ED25519: return raw_public_pkey(EVP_PKEY_ED25519, reader.string("Ed25519 key"), 32, "Ed25519");
        case AJWT_KEY_ED448: return raw_public_pkey(EVP_PKEY_ED448, reader.string("Ed448 key"), 57, "Ed448");
        default: {
            std::string_view curve = reader.string("curve name");
            if (curve != type.curve)
                malformed("curve \"" + std::string(curve.substr(0, 64)) + "\" does not match " +
                          std::string(type.word));
            return ec_public_pkey(type.type, reader.string("EC point"));
        }
    }
}

// A public key blob whose type string must be `word` (the line's first field), with nothing after it.
EvpPkeyPtr parse_public_blob(std::string_view blob, const SshType& type) {
    SshReader reader(blob);
    std::string_view inner = reader.string("key type");
    if (inner != type.word)
        malformed("the key type inside the blob (\"" + std::string(inner.substr(0, 64)) + "\") does not match \"" +
                  std::string(type.word) + "\"");
    EvpPkeyPtr pkey = read_public_fields(reader, type);
    if (!reader.at_end()) malformed("bytes after the public key");
    return pkey;
}

size_t next_space(std::string_view text, size_t from) noexcept {
    const size_t pos = text.find_first_of(" \t", from);
    return pos == std::string_view::npos ? text.size() : pos;
}

size_t skip_spaces(std::string_view text, size_t from) noexcept {
    const size_t pos = text.find_first_not_of(" \t", from);
    return pos == std::string_view::npos ? text.size() : pos;
}

// ---- private keys -------------------------------------------------------------------

BignumPtr to_bignum(std::string_view bytes) {
    BignumPtr bn(
        BN_bin2bn(reinterpret_cast<const unsigned char*>(bytes.data()), static_cast<int>(bytes.size()), nullptr));
    if (!bn) throw Error(AJWT_ERR_OUT_OF_MEMORY, "BN_bin2bn failed");
    return bn;
}

SecretBignumPtr to_secret_bignum(std::string_view bytes) {
    SecretBignumPtr bn(
        BN_bin2bn(reinterpret_cast<const unsigned char*>(bytes.data()), static_cast<int>(bytes.size()), nullptr));
    if (!bn) throw Error(AJWT_ERR_OUT_OF_MEMORY, "BN_bin2bn failed");
    BN_set_flags(bn.get(), BN_FLG_CONSTTIME);
    return bn;
}

OsslParamPtr to_params(OSSL_PARAM_BLD* bld) {
    OsslParamPtr params(OSSL_PARAM_BLD_to_param(bld));
    if (!params) throw Error(AJWT_ERR_OUT_OF_MEMORY, "OSSL_PARAM_BLD_to_param failed");
    return params;
}

EvpPkeyPtr read_private_ed25519(SshReader& reader) {
    std::string_view pub = reader.string("Ed25519 public key");
    std::string_view secret = reader.string("Ed25519 private key");
    if (pub.size() != 32 || secret.size() != 64 || secret.substr(32) != pub)
        malformed("Ed25519 private key must be 32 seed bytes followed by the 32-byte public key");
    EvpPkeyPtr pkey(EVP_PKEY_new_raw_private_key(EVP_PKEY_ED25519, nullptr,
                                                 reinterpret_cast<const unsigned char*>(secret.data()), 32));
    if (!pkey) throw_openssl("cannot create the Ed25519 key");
    unsigned char derived[32];
    size_t size = sizeof derived;
    if (EVP_PKEY_get_raw_public_key(pkey.get(), derived, &size) != 1)
        throw_openssl("cannot derive the Ed25519 public key");
    if (size != 32 || CRYPTO_memcmp(derived, pub.data(), 32) != 0)
        malformed("Ed25519 public key does not belong to the private key");
    return pkey;
}

EvpPkeyPtr read_private_rsa(SshReader& reader) {
    BignumPtr n = to_bignum(reader.mpint("RSA modulus"));
    BignumPtr e = to_bignum(reader.mpint("RSA exponent"));
    SecretBignumPtr d = to_secret_bignum(reader.mpint("RSA private exponent"));
    SecretBignumPtr iqmp = to_secret_bignum(reader.mpint("RSA coefficient"));
    SecretBignumPtr p = to_secret_bignum(reader.mpint("RSA prime p"));
    SecretBignumPtr q = to_secret_bignum(reader.mpint("RSA prime q"));
    if (BN_num_bits(n.get()) > static_cast<int>(kMaxRsaBits) + 1)
        throw KeyError(AJWT_ERR_KEY_TOO_LARGE, "RSA key larger than 8192 bits");
    if (BN_is_zero(p.get()) || BN_is_zero(q.get()) || BN_is_zero(d.get())) malformed("RSA key with a zero parameter");

    // OpenSSH stores no CRT exponents; derive them, and check the parts belong together.
    BnCtxPtr ctx(BN_CTX_secure_new());
    SecretBignumPtr product(BN_new()), dp(BN_new()), dq(BN_new()), p1(BN_new()), q1(BN_new()), check(BN_new());
    if (!ctx || !product || !dp || !dq || !p1 || !q1 || !check) throw Error(AJWT_ERR_OUT_OF_MEMORY, "BN_new failed");
    if (BN_mul(product.get(), p.get(), q.get(), ctx.get()) != 1 || BN_sub(p1.get(), p.get(), BN_value_one()) != 1 ||
        BN_sub(q1.get(), q.get(), BN_value_one()) != 1 || BN_is_zero(p1.get()) || BN_is_zero(q1.get()))
        malformed("invalid RSA primes");
    if (BN_cmp(product.get(), n.get()) != 0) malformed("RSA primes do not multiply to the modulus");
    if (BN_mod(dp.get(), d.get(), p1.get(), ctx.get()) != 1 || BN_mod(dq.get(), d.get(), q1.get(), ctx.get()) != 1 ||
        BN_mod_mul(check.get(), iqmp.get(), q.get(), p.get(), ctx.get()) != 1)
        throw_openssl("RSA arithmetic failed");
    if (!BN_is_one(check.get())) malformed("RSA coefficient is not q^-1 mod p");
    // d must invert e (mod p-1 and q-1), or the key signs tokens its public half never verifies.
    if (BN_mod_mul(check.get(), e.get(), dp.get(), p1.get(), ctx.get()) != 1 || !BN_is_one(check.get()) ||
        BN_mod_mul(check.get(), e.get(), dq.get(), q1.get(), ctx.get()) != 1 || !BN_is_one(check.get()))
        malformed("RSA private exponent does not match the public exponent");

    ParamBldPtr bld(OSSL_PARAM_BLD_new());
    if (!bld || OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_RSA_N, n.get()) != 1 ||
        OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_RSA_E, e.get()) != 1 ||
        OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_RSA_D, d.get()) != 1 ||
        OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_RSA_FACTOR1, p.get()) != 1 ||
        OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_RSA_FACTOR2, q.get()) != 1 ||
        OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_RSA_EXPONENT1, dp.get()) != 1 ||
        OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_RSA_EXPONENT2, dq.get()) != 1 ||
        OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_RSA_COEFFICIENT1, iqmp.get()) != 1)
        throw Error(AJWT_ERR_OUT_OF_MEMORY, "OSSL_PARAM_BLD failed");
    OsslParamPtr params = to_params(bld.get());
    return pkey_from_params("RSA", EVP_PKEY_KEYPAIR, params.get(), "OpenSSH key: invalid RSA private key");
}

EvpPkeyPtr read_private_ecdsa(SshReader& reader, const SshType& type) {
    std::string_view curve = reader.string("curve name");
    if (curve != type.curve) malformed("curve does not match " + std::string(type.word));
    std::string_view point = reader.string("EC point");
    ec_public_pkey(type.type, point);  // validates the point
    SecretBignumPtr d = to_secret_bignum(reader.mpint("EC private scalar"));
    ParamBldPtr bld(OSSL_PARAM_BLD_new());
    if (!bld ||
        OSSL_PARAM_BLD_push_utf8_string(bld.get(), OSSL_PKEY_PARAM_GROUP_NAME, key_type_name(type.type), 0) != 1 ||
        OSSL_PARAM_BLD_push_octet_string(bld.get(), OSSL_PKEY_PARAM_PUB_KEY, point.data(), point.size()) != 1 ||
        OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_PRIV_KEY, d.get()) != 1)
        throw Error(AJWT_ERR_OUT_OF_MEMORY, "OSSL_PARAM_BLD failed");
    OsslParamPtr params = to_params(bld.get());
    EvpPkeyPtr pkey = pkey_from_params("EC", EVP_PKEY_KEYPAIR, params.get(), "OpenSSH key: invalid EC private key");
    EvpPkeyCtxPtr check(EVP_PKEY_CTX_new_from_pkey(nullptr, pkey.get(), nullptr));
    if (!check) throw_openssl("cannot check the EC key");
    if (EVP_PKEY_pairwise_check(check.get()) != 1) {
        clear_openssl_errors();
        malformed("EC public point does not belong to the private scalar");
    }
    return pkey;
}

// The body between the BEGIN and END lines, decoded.
WipedString decode_private_armor(std::string_view text) {
    if (text.size() < kPrivateBegin.size() + kPrivateEnd.size() ||
        text.substr(0, kPrivateBegin.size()) != kPrivateBegin ||
        text.substr(text.size() - kPrivateEnd.size()) != kPrivateEnd)
        malformed("expected one -----BEGIN/END OPENSSH PRIVATE KEY----- block");
    std::string_view body = text.substr(kPrivateBegin.size(), text.size() - kPrivateBegin.size() - kPrivateEnd.size());
    WipedString compact;
    compact.bytes.reserve(body.size());
    for (char c : body)
        if (kKeyTextWhitespace.find(c) == std::string_view::npos) compact.bytes += c;
    std::optional<std::string> decoded = base64_decode(compact.bytes);
    if (!decoded) malformed("body is not valid base64");
    WipedString out{std::move(*decoded)};
    return out;
}

const SshCipher& require_cipher(std::string_view name) {
    for (const auto& cipher : kSshCiphers)
        if (cipher.name == name) return cipher;
    throw KeyError(AJWT_ERR_ENCRYPTED_OPENSSH_KEY, "OpenSSH private key encrypted with cipher \"" +
                                                       std::string(name.substr(0, 64)) + "\"" + kCipherAdvice);
}

using CipherCtxPtr = OpenSslPtr<EVP_CIPHER_CTX, EVP_CIPHER_CTX_free>;

[[noreturn]] void wrong_password() {
    throw KeyError(AJWT_ERR_WRONG_PASSWORD, "wrong password for the encrypted OpenSSH private key");
}

// ChaCha20 (the original 64-bit counter, 64-bit nonce form OpenSSH uses) over `size` bytes from
// block `counter` with the nonce 0 (the sequence number of the one "packet").
void chacha20(const unsigned char* key, uint32_t counter, const unsigned char* in, unsigned char* out, size_t size) {
    // OpenSSL's IV is the 32-bit block counter (little-endian) and 96 bits of nonce; the high
    // counter word and OpenSSH's 64-bit nonce are zero here.
    unsigned char iv[16] = {static_cast<unsigned char>(counter)};
    CipherCtxPtr ctx(EVP_CIPHER_CTX_new());
    int written = 0;
    if (!ctx || EVP_EncryptInit_ex(ctx.get(), EVP_chacha20(), nullptr, key, iv) != 1 ||
        EVP_EncryptUpdate(ctx.get(), out, &written, in, static_cast<int>(size)) != 1 ||
        static_cast<size_t>(written) != size)
        throw_openssl("ChaCha20 failed");
}

using MacPtr = OpenSslPtr<EVP_MAC, EVP_MAC_free>;
using MacCtxPtr = OpenSslPtr<EVP_MAC_CTX, EVP_MAC_CTX_free>;

// chacha20-poly1305@openssh.com for one packet with sequence number 0 and no length header:
// the Poly1305 key is the first 32 bytes of keystream block 0, the tag covers the ciphertext,
// the payload is encrypted from block 1.
WipedString decrypt_chacha20_poly1305(const unsigned char* key, std::string_view section, std::string_view tag) {
    unsigned char poly_key[32] = {0};
    chacha20(key, 0, poly_key, poly_key, sizeof poly_key);
    MacPtr mac(EVP_MAC_fetch(nullptr, "POLY1305", nullptr));
    MacCtxPtr mac_ctx(mac ? EVP_MAC_CTX_new(mac.get()) : nullptr);
    unsigned char computed[16];
    size_t computed_size = 0;
    const bool ok =
        mac_ctx && EVP_MAC_init(mac_ctx.get(), poly_key, sizeof poly_key, nullptr) == 1 &&
        EVP_MAC_update(mac_ctx.get(), reinterpret_cast<const unsigned char*>(section.data()), section.size()) == 1 &&
        EVP_MAC_final(mac_ctx.get(), computed, &computed_size, sizeof computed) == 1;
    OPENSSL_cleanse(poly_key, sizeof poly_key);
    if (!ok || computed_size != sizeof computed) throw_openssl("Poly1305 failed");
    if (tag.size() != sizeof computed || CRYPTO_memcmp(computed, tag.data(), sizeof computed) != 0) wrong_password();
    WipedString plain;
    plain.bytes.resize(section.size());
    chacha20(key, 1, reinterpret_cast<const unsigned char*>(section.data()),
             reinterpret_cast<unsigned char*>(plain.bytes.data()), section.size());
    return plain;
}

// The private section in the clear; an AEAD tag that does not verify means a wrong password.
WipedString decrypt_section(const SshCipher& cipher, const unsigned char* key_iv, std::string_view section,
                            std::string_view tag) {
    if (!cipher.evp) return decrypt_chacha20_poly1305(key_iv, section, tag);
    CipherCtxPtr ctx(EVP_CIPHER_CTX_new());
    if (!ctx) throw Error(AJWT_ERR_OUT_OF_MEMORY, "EVP_CIPHER_CTX_new failed");
    if (EVP_DecryptInit_ex(ctx.get(), cipher.evp(), nullptr, nullptr, nullptr) != 1 ||
        (cipher.tag_size &&
         EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_IVLEN, static_cast<int>(cipher.iv_size), nullptr) != 1) ||
        EVP_DecryptInit_ex(ctx.get(), nullptr, nullptr, key_iv, key_iv + cipher.key_size) != 1 ||
        EVP_CIPHER_CTX_set_padding(ctx.get(), 0) != 1)
        throw_openssl("cannot set up the OpenSSH key cipher");
    WipedString plain;
    plain.bytes.resize(section.size() + cipher.block_size);
    int written = 0, final_written = 0;
    if (EVP_DecryptUpdate(ctx.get(), reinterpret_cast<unsigned char*>(plain.bytes.data()), &written,
                          reinterpret_cast<const unsigned char*>(section.data()),
                          static_cast<int>(section.size())) != 1)
        throw_openssl("cannot decrypt the OpenSSH private key");
    if (cipher.tag_size && EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_TAG, static_cast<int>(tag.size()),
                                               const_cast<char*>(tag.data())) != 1)
        throw_openssl("cannot set the GCM tag");
    if (EVP_DecryptFinal_ex(ctx.get(), reinterpret_cast<unsigned char*>(plain.bytes.data()) + written,
                            &final_written) != 1) {
        clear_openssl_errors();
        wrong_password();
    }
    plain.bytes.resize(static_cast<size_t>(written + final_written));
    return plain;
}

struct BcryptOptions {
    std::string_view salt;
    uint32_t rounds;
};

BcryptOptions read_bcrypt_options(std::string_view kdf, std::string_view options) {
    if (kdf != "bcrypt")
        throw KeyError(AJWT_ERR_ENCRYPTED_OPENSSH_KEY, "OpenSSH private key encrypted with KDF \"" +
                                                           std::string(kdf.substr(0, 64)) + "\"" + kCipherAdvice);
    SshReader reader(options);
    BcryptOptions result{reader.string("bcrypt salt"), reader.u32("bcrypt rounds")};
    if (!reader.at_end()) malformed("bytes after the bcrypt options");
    if (result.salt.empty() || result.salt.size() > kMaxBcryptSalt) malformed("bcrypt salt of a bad size");
    if (result.rounds == 0) malformed("bcrypt with zero rounds");
    if (result.rounds > kMaxBcryptRounds)
        throw KeyError(AJWT_ERR_KEY_UNSUPPORTED,
                       "OpenSSH private key asks for " + std::to_string(result.rounds) +
                           " bcrypt rounds, more than the " + std::to_string(kMaxBcryptRounds) +
                           " accepted (ssh-keygen writes 16; re-encrypt with `ssh-keygen -p -a 100 -f KEY`)");
    return result;
}

// What is left of the file after the private section must be exactly the cipher's tag.
std::string_view read_tag(SshReader& outer, size_t tag_size) {
    std::string_view tag = outer.rest();
    if (tag.size() != tag_size)
        malformed(tag_size ? "missing or oversized authentication tag" : "bytes after the private section");
    return tag;
}

// Derives key and IV from the password and decrypts; the checks that need no password have
// been made, so only now is the (deliberately slow) KDF run.
WipedString decrypt_private_section(const SshCipher& cipher, const BcryptOptions& bcrypt, std::string_view section,
                                    std::string_view tag, std::optional<std::string_view> password) {
    if (!password)
        throw KeyError(AJWT_ERR_PASSWORD_REQUIRED, "the OpenSSH private key is encrypted; a password is required");
    // ssh-keygen writes a key without a passphrase unencrypted, so an empty one is never right.
    if (password->empty()) wrong_password();
    struct WipedKeyIv {
        std::array<unsigned char, kMaxCipherKeyIv> bytes{};
        ~WipedKeyIv() { OPENSSL_cleanse(bytes.data(), bytes.size()); }
    } key_iv;
    bcrypt_pbkdf(*password, bcrypt.salt, bcrypt.rounds, key_iv.bytes.data(), cipher.key_size + cipher.iv_size);
    return decrypt_section(cipher, key_iv.bytes.data(), section, tag);
}

}  // namespace

bool looks_like_openssh_public(std::string_view text) noexcept {
    const size_t start = text.find_first_not_of(kKeyTextWhitespace);
    if (start == std::string_view::npos) return false;
    text.remove_prefix(start);
    const size_t end = text.find_first_of(" \t");
    if (end == std::string_view::npos) return false;
    return find_ssh_type(text.substr(0, end)) != nullptr;
}

KeyPtr parse_openssh_public(std::string_view line) {
    line = prepare_key_text(line);
    const size_t word_end = next_space(line, 0);
    const std::string_view word = line.substr(0, word_end);
    // A type word that is not an SSH key type at all means the text is something else.
    if (word.substr(0, 4) != "ssh-" && word.substr(0, 6) != "ecdsa-" && word.substr(0, 3) != "sk-")
        malformed("not an OpenSSH public key line (\"ssh-ed25519 AAAA... comment\")");
    if (line.find_first_of("\r\n") != std::string_view::npos)
        malformed("a public key is a single line (\"ssh-ed25519 AAAA... comment\")");
    const SshType& type = require_ssh_type(word);
    const size_t blob_start = skip_spaces(line, word_end);
    const size_t blob_end = next_space(line, blob_start);
    if (blob_start == blob_end) malformed("missing base64 key after the type");
    std::optional<std::string> blob = base64_decode(line.substr(blob_start, blob_end - blob_start));
    if (!blob) malformed("key is not valid base64");
    std::string comment(line.substr(skip_spaces(line, blob_end)));
    return Key::from_pkey(parse_public_blob(*blob, type), false, std::move(comment));
}

std::string to_openssh_public(const Key& key) {
    const SshType& type = ssh_type_of(key.type());
    SshWriter writer;
    writer.string(type.word);
    switch (key.type()) {
        case AJWT_KEY_RSA:
            writer.mpint(pkey_bn_bytes(key.pkey(), OSSL_PKEY_PARAM_RSA_E));
            writer.mpint(pkey_bn_bytes(key.pkey(), OSSL_PKEY_PARAM_RSA_N));
            break;
        case AJWT_KEY_ED25519:
        case AJWT_KEY_ED448: {
            unsigned char raw[64];
            size_t size = sizeof raw;
            if (EVP_PKEY_get_raw_public_key(key.pkey(), raw, &size) != 1) throw_openssl("cannot read the public key");
            writer.string(std::string_view(reinterpret_cast<const char*>(raw), size));
            break;
        }
        default: {
            EcCoordinates point = ec_public_coordinates(key);
            writer.string(type.curve);
            writer.string("\x04" + point.x + point.y);
            break;
        }
    }
    std::string line = std::string(type.word) + " " + base64_encode(writer.bytes());
    if (!key.comment().empty()) line += " " + key.comment();
    return line;
}

bool looks_like_openssh_private(std::string_view text) noexcept {
    const size_t start = text.find_first_not_of(kKeyTextWhitespace);
    return start != std::string_view::npos && text.substr(start, kPrivateBegin.size()) == kPrivateBegin;
}

KeyPtr parse_openssh_private(std::string_view text, std::optional<std::string_view> password) {
    text = prepare_key_text(text);
    WipedString decoded = decode_private_armor(text);
    std::string_view data = decoded.bytes;
    if (data.substr(0, kPrivateMagic.size()) != kPrivateMagic) malformed("missing openssh-key-v1 header");
    SshReader outer(data.substr(kPrivateMagic.size()));
    std::string_view cipher_name = outer.string("cipher name");
    std::string_view kdf = outer.string("KDF name");
    std::string_view kdf_options = outer.string("KDF options");
    const bool encrypted = cipher_name != "none";
    const SshCipher* cipher = nullptr;
    BcryptOptions bcrypt{};
    if (encrypted) {
        cipher = &require_cipher(cipher_name);
        bcrypt = read_bcrypt_options(kdf, kdf_options);
    } else {
        if (kdf != "none") malformed("a KDF without a cipher");
        if (!kdf_options.empty()) malformed("KDF options without a KDF");
    }
    if (outer.u32("key count") != 1) malformed("exactly one key per file is supported");
    std::string_view public_blob = outer.string("public key");
    std::string_view section = outer.string("private section");
    std::string_view tag = read_tag(outer, encrypted ? cipher->tag_size : 0);
    if (section.size() % (encrypted ? cipher->block_size : 8) != 0)
        malformed("private section is not padded to the block size");
    if (encrypted && section.empty()) malformed("empty private section");

    WipedString plain;
    if (encrypted) {
        plain = decrypt_private_section(*cipher, bcrypt, section, tag, password);
        section = plain.bytes;
    }

    SshReader reader(section);
    const uint32_t check1 = reader.u32("check integer");
    const uint32_t check2 = reader.u32("check integer");
    if (check1 != check2) {
        if (encrypted) wrong_password();
        malformed("check integers differ (corrupt key)");
    }
    std::string_view word = reader.string("key type");
    const SshType& type = require_ssh_type(word);
    EvpPkeyPtr pkey;
    switch (type.type) {
        case AJWT_KEY_RSA: pkey = read_private_rsa(reader); break;
        case AJWT_KEY_ED25519: pkey = read_private_ed25519(reader); break;
        case AJWT_KEY_ED448: throw KeyError(AJWT_ERR_KEY_UNSUPPORTED, "OpenSSH Ed448 private keys are not supported");
        default: pkey = read_private_ecdsa(reader, type); break;
    }
    std::string comment(reader.string("comment"));
    std::string_view padding = reader.rest();
    for (size_t i = 0; i < padding.size(); ++i)
        if (static_cast<unsigned char>(padding[i]) != i + 1) malformed("bad padding after the private key");

    EvpPkeyPtr outer_public = parse_public_blob(public_blob, type);
    if (EVP_PKEY_eq(outer_public.get(), pkey.get()) != 1) {
        clear_openssl_errors();
        malformed("the public key does not match the private key");
    }
    return Key::from_pkey(std::move(pkey), true, std::move(comment));
}

}  // namespace ajwt
