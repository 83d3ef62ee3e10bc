// Loading, generating and exporting keys: PEM (SPKI, PKCS#1), PKCS#8, traditional PEM,
// format dispatch, the public key cache, and the compat facts of asymmetric-jwt-auth 1.x.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include <openssl/core_names.h>
#include <openssl/objects.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include "algorithm.hpp"
#include "base64url.hpp"
#include "error.hpp"
#include "jwk.hpp"
#include "key.hpp"
#include "key_io.hpp"
#include "openssh.hpp"
#include "pbe_cost.hpp"
#include "status_of.hpp"
#include "test_vectors.hpp"

namespace {

using ajwt::KeyPtr;

using ajwt_test::status_of;

const nlohmann::json& compat() { return ajwt_test::compat_vectors(); }

std::string compat_text(const char* section, const char* name) {
    const auto& entry = compat()[section][name];
    return entry.is_string() ? entry.get<std::string>() : entry["text"].get<std::string>();
}

std::vector<std::string> alg_names(const ajwt::Key& key) {
    std::vector<std::string> names;
    for (ajwt_alg alg : key.algorithms()) names.emplace_back(ajwt::alg_name(alg));
    return names;
}

std::string first_fields(const std::string& line, int count) {
    size_t pos = 0;
    for (int i = 0; i < count && pos != std::string::npos; ++i) {
        pos = line.find(' ', pos);
        if (pos != std::string::npos && i + 1 < count) ++pos;
    }
    return line.substr(0, pos);
}

// One generated private key per type, shared by the tests (RSA generation is slow).
const KeyPtr& generated(ajwt_key_type type) {
    static std::map<ajwt_key_type, KeyPtr> keys;
    static std::mutex mutex;
    std::lock_guard<std::mutex> lock(mutex);
    KeyPtr& key = keys[type];
    if (!key) key = ajwt::generate_key(type, 0, 0);
    return key;
}

const std::vector<ajwt_key_type> kAllTypes = {AJWT_KEY_RSA,     AJWT_KEY_ED25519, AJWT_KEY_ED448,
                                              AJWT_KEY_EC_P256, AJWT_KEY_EC_P384, AJWT_KEY_EC_P521};

std::string pem_of(const char* label, const std::string& der) {
    ajwt::BioPtr bio(BIO_new(BIO_s_mem()));
    PEM_write_bio(bio.get(), label, "", reinterpret_cast<const unsigned char*>(der.data()),
                  static_cast<long>(der.size()));
    return ajwt::bio_contents(bio.get());
}

std::string rsa_spki_der(const ajwt::Key& key) {
    unsigned char* der = nullptr;
    int size = i2d_PUBKEY(key.pkey(), &der);
    std::string out(reinterpret_cast<char*>(der), size > 0 ? static_cast<size_t>(size) : 0);
    OPENSSL_free(der);
    return out;
}

std::string spki_pem(EVP_PKEY* pkey) {
    ajwt::BioPtr bio(BIO_new(BIO_s_mem()));
    EXPECT_EQ(PEM_write_bio_PUBKEY(bio.get(), pkey), 1);
    return ajwt::bio_contents(bio.get());
}

std::string pkcs8_pem(EVP_PKEY* pkey) {
    ajwt::BioPtr bio(BIO_new(BIO_s_mem()));
    EXPECT_EQ(PEM_write_bio_PrivateKey(bio.get(), pkey, nullptr, nullptr, 0, nullptr, nullptr), 1);
    return ajwt::bio_contents(bio.get());
}

ajwt::EvpPkeyPtr rsa_with_exponent(const ajwt::Key& base, unsigned long exponent) {
    BIGNUM* n = nullptr;
    EVP_PKEY_get_bn_param(base.pkey(), OSSL_PKEY_PARAM_RSA_N, &n);
    ajwt::BignumPtr owned_n(n);
    ajwt::BignumPtr e(BN_new());
    BN_set_word(e.get(), exponent);
    ajwt::ParamBldPtr bld(OSSL_PARAM_BLD_new());
    OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_RSA_N, n);
    OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_RSA_E, e.get());
    ajwt::OsslParamPtr params(OSSL_PARAM_BLD_to_param(bld.get()));
    ajwt::EvpPkeyCtxPtr ctx(EVP_PKEY_CTX_new_from_name(nullptr, "RSA", nullptr));
    EVP_PKEY* raw = nullptr;
    EVP_PKEY_fromdata_init(ctx.get());
    EVP_PKEY_fromdata(ctx.get(), &raw, EVP_PKEY_PUBLIC_KEY, params.get());
    return ajwt::EvpPkeyPtr(raw);
}

// ---- compat facts -------------------------------------------------------------------

TEST(CompatKeys, PublicPemFingerprintsAndAlgorithms) {
    for (const char* name : {"rsa_pem", "ed25519_pem"}) {
        SCOPED_TRACE(name);
        const auto& entry = compat()["public_keys"][name];
        for (ajwt_key_format format : {AJWT_FORMAT_ANY, AJWT_FORMAT_PEM}) {
            KeyPtr key = ajwt::load_public_key(entry["text"].get<std::string>(), format);
            EXPECT_FALSE(key->is_private());
            EXPECT_EQ(key->fingerprint(), entry["fingerprint"].get<std::string>());
            EXPECT_EQ(key->kid(), key->fingerprint());
            EXPECT_EQ(alg_names(*key), entry["allowed_algorithms"].get<std::vector<std::string>>());
            EXPECT_EQ(ajwt::key_type_name(key->type()), entry["type"].get<std::string>());
            EXPECT_EQ(ajwt::sha256_hex(key->public_pem()), key->fingerprint());
        }
    }
}

TEST(CompatKeys, RsaPemIs2048Bits) {
    KeyPtr key = ajwt::load_public_key(compat_text("public_keys", "rsa_pem"), AJWT_FORMAT_ANY);
    EXPECT_EQ(key->type(), AJWT_KEY_RSA);
    EXPECT_EQ(key->bits(), 2048u);
}

TEST(CompatKeys, InvalidPublicKeysFailWithKeyParse) {
    for (const auto& [name, text] : compat()["invalid_public_keys"].items()) {
        SCOPED_TRACE(name);
        EXPECT_EQ(status_of([&] { ajwt::load_public_key(text.get<std::string>(), AJWT_FORMAT_ANY); }),
                  AJWT_ERR_KEY_PARSE);
        EXPECT_EQ(status_of([&] { ajwt::load_public_key_cached(text.get<std::string>(), AJWT_FORMAT_ANY); }),
                  AJWT_ERR_KEY_PARSE);
        const ajwt_key_format specific =
            name.find("openssh") != std::string::npos ? AJWT_FORMAT_OPENSSH : AJWT_FORMAT_PEM;
        EXPECT_EQ(status_of([&] { ajwt::load_public_key(text.get<std::string>(), specific); }), AJWT_ERR_KEY_PARSE);
    }
}

TEST(CompatKeys, Pkcs8PrivateKeyPublicHalfMatches) {
    const auto& entry = compat()["private_keys"]["rsa_pkcs8_pem"];
    ASSERT_TRUE(entry["password"].is_null());
    KeyPtr key = ajwt::load_private_key(entry["text"].get<std::string>(), std::nullopt);
    EXPECT_TRUE(key->is_private());
    EXPECT_EQ(key->type(), AJWT_KEY_RSA);
    KeyPtr pub = key->public_key(key);
    EXPECT_FALSE(pub->is_private());
    EXPECT_EQ(pub->public_pem(), entry["public_pem"].get<std::string>());
    EXPECT_EQ(key->public_pem(), entry["public_pem"].get<std::string>());
    // A password given for an unencrypted key is not needed and does no harm.
    EXPECT_EQ(ajwt::load_private_key(entry["text"].get<std::string>(), "unused")->fingerprint(), key->fingerprint());
}

TEST(CompatKeys, EncryptedTraditionalPrivateKey) {
    const auto& entry = compat()["private_keys"]["rsa_traditional_encrypted_pem"];
    const std::string text = entry["text"].get<std::string>();
    KeyPtr key = ajwt::load_private_key(text, entry["password"].get<std::string>());
    EXPECT_TRUE(key->is_private());
    const std::string expected = entry["public_openssh"].get<std::string>();
    EXPECT_EQ(first_fields(ajwt::to_openssh_public(*key), 2), first_fields(expected, 2));
    EXPECT_EQ(ajwt::load_public_key(expected, AJWT_FORMAT_ANY)->fingerprint(), key->fingerprint());

    EXPECT_EQ(status_of([&] { ajwt::load_private_key(text, std::string_view("wrong")); }), AJWT_ERR_WRONG_PASSWORD);
    EXPECT_EQ(status_of([&] { ajwt::load_private_key(text, std::string_view("")); }), AJWT_ERR_WRONG_PASSWORD);
    EXPECT_EQ(status_of([&] { ajwt::load_private_key(text, std::nullopt); }), AJWT_ERR_PASSWORD_REQUIRED);
}

// ---- public PEM ---------------------------------------------------------------------

TEST(PublicPem, PrivateKeyTextIsRefused) {
    std::vector<std::string> private_texts = {compat_text("private_keys", "rsa_pkcs8_pem"),
                                              compat_text("private_keys", "rsa_traditional_encrypted_pem"),
                                              ajwt::export_pkcs8(*generated(AJWT_KEY_ED25519), "pw")};
    for (const auto& text : private_texts) {
        for (ajwt_key_format format : {AJWT_FORMAT_ANY, AJWT_FORMAT_PEM}) {
            EXPECT_EQ(status_of([&] { ajwt::load_public_key(text, format); }), AJWT_ERR_PRIVATE_KEY_GIVEN);
            EXPECT_EQ(status_of([&] { ajwt::load_public_key_cached(text, format); }), AJWT_ERR_PRIVATE_KEY_GIVEN);
        }
    }
}

TEST(PublicPem, Pkcs1RsaPublicKey) {
    const KeyPtr& rsa = generated(AJWT_KEY_RSA);
    unsigned char* der = nullptr;
    int size = i2d_PublicKey(rsa->pkey(), &der);  // RSA: PKCS#1 RSAPublicKey
    ASSERT_GT(size, 0);
    std::string pem = pem_of("RSA PUBLIC KEY", std::string(reinterpret_cast<char*>(der), static_cast<size_t>(size)));
    OPENSSL_free(der);
    for (ajwt_key_format format : {AJWT_FORMAT_ANY, AJWT_FORMAT_PEM}) {
        KeyPtr key = ajwt::load_public_key(pem, format);
        EXPECT_EQ(key->fingerprint(), rsa->fingerprint());
        EXPECT_FALSE(key->is_private());
    }
    const std::string bytes = *ajwt::base64_decode([&] {
        std::string body;
        for (char c : pem.substr(pem.find('\n'), pem.find("-----END") - pem.find('\n')))
            if (c != '\n') body += c;
        return body;
    }());
    EXPECT_EQ(status_of([&] { ajwt::load_public_key(pem_of("RSA PUBLIC KEY", bytes + "\x05\x00"), AJWT_FORMAT_PEM); }),
              AJWT_ERR_KEY_PARSE);
    EXPECT_EQ(
        status_of([&] { ajwt::load_public_key(pem_of("RSA PUBLIC KEY", bytes.substr(0, 200)), AJWT_FORMAT_PEM); }),
        AJWT_ERR_KEY_PARSE);
    // An SPKI under the PKCS#1 label (and the reverse) is refused.
    EXPECT_EQ(status_of([&] { ajwt::load_public_key(pem_of("RSA PUBLIC KEY", rsa_spki_der(*rsa)), AJWT_FORMAT_PEM); }),
              AJWT_ERR_KEY_PARSE);
    EXPECT_EQ(status_of([&] { ajwt::load_public_key(pem_of("PUBLIC KEY", bytes), AJWT_FORMAT_PEM); }),
              AJWT_ERR_KEY_PARSE);
}

TEST(PublicPem, WhitespaceAroundAndCrlfAreFine) {
    const std::string text = compat()["public_keys"]["ed25519_pem"]["text"].get<std::string>();
    const std::string fingerprint = compat()["public_keys"]["ed25519_pem"]["fingerprint"].get<std::string>();
    std::string crlf;
    for (char c : text) {
        if (c == '\n') crlf += '\r';
        crlf += c;
    }
    for (const std::string& variant : {"  \n\t" + text + "\n\n  ", crlf}) {
        EXPECT_EQ(ajwt::load_public_key(variant, AJWT_FORMAT_ANY)->fingerprint(), fingerprint);
    }
}

TEST(PublicPem, TextAroundOrSecondBlockIsRefused) {
    const std::string text = compat()["public_keys"]["ed25519_pem"]["text"].get<std::string>();
    EXPECT_EQ(status_of([&] { ajwt::load_public_key("garbage\n" + text, AJWT_FORMAT_PEM); }), AJWT_ERR_KEY_PARSE);
    EXPECT_EQ(status_of([&] { ajwt::load_public_key(text + "garbage", AJWT_FORMAT_PEM); }), AJWT_ERR_KEY_PARSE);
    EXPECT_EQ(status_of([&] { ajwt::load_public_key(text + text, AJWT_FORMAT_PEM); }), AJWT_ERR_KEY_PARSE);
    std::string unclosed = text.substr(0, text.find("-----END"));
    EXPECT_EQ(status_of([&] { ajwt::load_public_key(unclosed, AJWT_FORMAT_PEM); }), AJWT_ERR_KEY_PARSE);
}

TEST(PublicPem, TrailingDerBytesAreRefused) {
    const KeyPtr& key = generated(AJWT_KEY_ED25519);
    unsigned char* der = nullptr;
    int size = i2d_PUBKEY(key->pkey(), &der);
    ASSERT_GT(size, 0);
    std::string bytes(reinterpret_cast<char*>(der), static_cast<size_t>(size));
    OPENSSL_free(der);
    EXPECT_EQ(ajwt::load_public_key(pem_of("PUBLIC KEY", bytes), AJWT_FORMAT_PEM)->fingerprint(), key->fingerprint());
    EXPECT_EQ(
        status_of([&] { ajwt::load_public_key(pem_of("PUBLIC KEY", bytes + std::string(2, '\0')), AJWT_FORMAT_PEM); }),
        AJWT_ERR_KEY_PARSE);
}

TEST(PublicPem, OtherPemLabelsAreNotKeys) {
    const std::string der = "\x30\x03\x02\x01\x01";
    EXPECT_EQ(status_of([&] { ajwt::load_public_key(pem_of("CERTIFICATE", der), AJWT_FORMAT_ANY); }),
              AJWT_ERR_KEY_PARSE);
    EXPECT_EQ(status_of([&] { ajwt::load_public_key(pem_of("PUBLIC KEY", der), AJWT_FORMAT_ANY); }),
              AJWT_ERR_KEY_PARSE);
}

TEST(PublicPem, CompressedEcPointHasTheCanonicalFingerprint) {
    const KeyPtr& key = generated(AJWT_KEY_EC_P256);
    ajwt::EvpPkeyPtr copy(EVP_PKEY_dup(key->pkey()));
    ASSERT_EQ(EVP_PKEY_set_utf8_string_param(copy.get(), OSSL_PKEY_PARAM_EC_POINT_CONVERSION_FORMAT, "compressed"), 1);
    const std::string compressed = spki_pem(copy.get());
    ASSERT_NE(compressed, key->public_pem());
    KeyPtr loaded = ajwt::load_public_key(compressed, AJWT_FORMAT_ANY);
    EXPECT_EQ(loaded->public_pem(), key->public_pem());
    EXPECT_EQ(loaded->fingerprint(), key->fingerprint());
}

TEST(PublicPem, UnsupportedKeyTypesAndCurves) {
    ajwt::EvpPkeyPtr x25519(EVP_PKEY_Q_keygen(nullptr, nullptr, "X25519"));
    ajwt::EvpPkeyPtr k256(EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "secp256k1"));
    ASSERT_TRUE(x25519 && k256);
    EXPECT_EQ(status_of([&] { ajwt::load_public_key(spki_pem(x25519.get()), AJWT_FORMAT_ANY); }),
              AJWT_ERR_KEY_UNSUPPORTED);
    EXPECT_EQ(status_of([&] { ajwt::load_public_key(spki_pem(k256.get()), AJWT_FORMAT_ANY); }),
              AJWT_ERR_KEY_UNSUPPORTED);
    EXPECT_EQ(status_of([&] { ajwt::load_private_key(pkcs8_pem(x25519.get()), std::nullopt); }),
              AJWT_ERR_KEY_UNSUPPORTED);
}

TEST(PublicPem, RsaExponentSanity) {
    const KeyPtr& rsa = generated(AJWT_KEY_RSA);
    EXPECT_EQ(ajwt::load_public_key(spki_pem(rsa_with_exponent(*rsa, 3).get()), AJWT_FORMAT_PEM)->type(), AJWT_KEY_RSA);
    for (unsigned long bad : {1ul, 2ul, 65536ul}) {
        SCOPED_TRACE(bad);
        ajwt::EvpPkeyPtr pkey = rsa_with_exponent(*rsa, bad);
        ASSERT_TRUE(pkey);
        EXPECT_EQ(status_of([&] { ajwt::load_public_key(spki_pem(pkey.get()), AJWT_FORMAT_PEM); }), AJWT_ERR_KEY_PARSE);
    }
}

TEST(PublicPem, Rsa1024IsTooSmall) {
    ajwt::EvpPkeyPtr small(EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", static_cast<size_t>(1024)));
    ASSERT_TRUE(small);
    EXPECT_EQ(status_of([&] { ajwt::load_public_key(spki_pem(small.get()), AJWT_FORMAT_ANY); }),
              AJWT_ERR_KEY_TOO_SMALL);
    EXPECT_EQ(status_of([&] { ajwt::load_private_key(pkcs8_pem(small.get()), std::nullopt); }), AJWT_ERR_KEY_TOO_SMALL);
}

// ---- input limits and dispatch ------------------------------------------------------

TEST(KeyText, SizeNulAndEmpty) {
    const std::string text = compat()["public_keys"]["ed25519_pem"]["text"].get<std::string>();
    std::string huge = text + std::string(ajwt::kMaxKeyTextSize, ' ');
    for (ajwt_key_format format : {AJWT_FORMAT_ANY, AJWT_FORMAT_PEM, AJWT_FORMAT_OPENSSH, AJWT_FORMAT_JWK}) {
        EXPECT_EQ(status_of([&] { ajwt::load_public_key(huge, format); }), AJWT_ERR_KEY_TOO_LARGE);
        EXPECT_EQ(status_of([&] { ajwt::load_public_key_cached(huge, format); }), AJWT_ERR_KEY_TOO_LARGE);
        EXPECT_EQ(status_of([&] { ajwt::load_public_key(std::string("\0", 1) + text, format); }), AJWT_ERR_KEY_PARSE);
        EXPECT_EQ(status_of([&] { ajwt::load_public_key(text + std::string("\0", 1), format); }), AJWT_ERR_KEY_PARSE);
        EXPECT_EQ(status_of([&] { ajwt::load_public_key("", format); }), AJWT_ERR_KEY_PARSE);
        EXPECT_EQ(status_of([&] { ajwt::load_public_key(" \n\t ", format); }), AJWT_ERR_KEY_PARSE);
    }
    EXPECT_EQ(status_of([&] { ajwt::load_private_key(huge, std::nullopt); }), AJWT_ERR_KEY_TOO_LARGE);
    EXPECT_EQ(status_of([&] { ajwt::load_private_key(std::string("\0", 1), std::nullopt); }), AJWT_ERR_KEY_PARSE);
    // Exactly at the limit is accepted.
    std::string at_limit = text + std::string(ajwt::kMaxKeyTextSize - text.size(), '\n');
    EXPECT_EQ(ajwt::load_public_key(at_limit, AJWT_FORMAT_ANY)->type(), AJWT_KEY_ED25519);
}

TEST(KeyText, UnknownFormatIsInvalidArgument) {
    const std::string text = compat()["public_keys"]["ed25519_pem"]["text"].get<std::string>();
    EXPECT_EQ(status_of([&] { ajwt::load_public_key(text, static_cast<ajwt_key_format>(42)); }),
              AJWT_ERR_INVALID_ARGUMENT);
}

TEST(KeyText, AnyReportsTheSpecificReason) {
    EXPECT_EQ(status_of([] { ajwt::load_public_key("hello world", AJWT_FORMAT_ANY); }), AJWT_ERR_KEY_PARSE);
    EXPECT_EQ(status_of([] { ajwt::load_public_key("ssh-dss AAAAB3NzaC1kc3MAAACBAP", AJWT_FORMAT_ANY); }),
              AJWT_ERR_KEY_UNSUPPORTED);
    EXPECT_EQ(
        status_of([] { ajwt::load_public_key(R"({"kty":"RSA","n":"AQAB","e":"AQAB","d":"AQ"})", AJWT_FORMAT_ANY); }),
        AJWT_ERR_PRIVATE_KEY_GIVEN);
    EXPECT_EQ(status_of([] { ajwt::load_public_key(R"({"kty":"oct"})", AJWT_FORMAT_ANY); }), AJWT_ERR_KEY_UNSUPPORTED);
    try {
        ajwt::load_public_key("hello", AJWT_FORMAT_ANY);
        FAIL() << "no error";
    } catch (const ajwt::KeyError& error) {
        EXPECT_NE(std::string(error.what()).find("PEM"), std::string::npos) << error.what();
    }
    // Every format through ANY.
    for (ajwt_key_type type : kAllTypes) {
        const KeyPtr& key = generated(type);
        for (ajwt_export_format format : {AJWT_EXPORT_PUBLIC_PEM, AJWT_EXPORT_PUBLIC_OPENSSH, AJWT_EXPORT_PUBLIC_JWK}) {
            EXPECT_EQ(
                ajwt::load_public_key(ajwt::export_key(*key, format, std::nullopt), AJWT_FORMAT_ANY)->fingerprint(),
                key->fingerprint());
        }
    }
}

TEST(KeyText, WrongSpecificFormatFails) {
    const KeyPtr& key = generated(AJWT_KEY_ED25519);
    EXPECT_EQ(status_of([&] { ajwt::load_public_key(key->public_pem(), AJWT_FORMAT_OPENSSH); }), AJWT_ERR_KEY_PARSE);
    EXPECT_EQ(status_of([&] { ajwt::load_public_key(key->public_pem(), AJWT_FORMAT_JWK); }), AJWT_ERR_KEY_PARSE);
    EXPECT_EQ(status_of([&] { ajwt::load_public_key(ajwt::to_jwk_text(*key), AJWT_FORMAT_PEM); }), AJWT_ERR_KEY_PARSE);
    EXPECT_EQ(status_of([&] { ajwt::load_public_key(ajwt::to_openssh_public(*key), AJWT_FORMAT_PEM); }),
              AJWT_ERR_KEY_PARSE);
}

// ---- generation ---------------------------------------------------------------------

TEST(KeyGenerate, EveryType) {
    const std::map<ajwt_key_type, unsigned> bits = {{AJWT_KEY_RSA, 2048},    {AJWT_KEY_ED25519, 256},
                                                    {AJWT_KEY_ED448, 456},   {AJWT_KEY_EC_P256, 256},
                                                    {AJWT_KEY_EC_P384, 384}, {AJWT_KEY_EC_P521, 521}};
    std::set<std::string> fingerprints;
    for (ajwt_key_type type : kAllTypes) {
        SCOPED_TRACE(ajwt::key_type_name(type));
        KeyPtr key = type == AJWT_KEY_RSA ? generated(type) : ajwt::generate_key(type, 0, 0);
        EXPECT_EQ(key->type(), type);
        EXPECT_TRUE(key->is_private());
        EXPECT_EQ(key->bits(), bits.at(type));
        EXPECT_EQ(key->algorithms(), ajwt::default_algorithms(type));
        EXPECT_TRUE(key->comment().empty());
        EXPECT_EQ(key->fingerprint().size(), 64u);
        fingerprints.insert(key->fingerprint());
        KeyPtr pub = key->public_key(key);
        EXPECT_FALSE(pub->is_private());
        EXPECT_EQ(pub->fingerprint(), key->fingerprint());
        EXPECT_EQ(pub->public_key(pub), pub);
        EXPECT_EQ(status_of([&] { ajwt::export_pkcs8(*pub, std::nullopt); }), AJWT_ERR_NOT_PRIVATE_KEY);
    }
    EXPECT_EQ(fingerprints.size(), kAllTypes.size());
    EXPECT_NE(ajwt::generate_key(AJWT_KEY_ED25519, 0, 0)->fingerprint(),
              ajwt::generate_key(AJWT_KEY_ED25519, 0, 0)->fingerprint());
}

TEST(KeyGenerate, RsaSizeAndExponent) {
    KeyPtr key = ajwt::generate_key(AJWT_KEY_RSA, 2056, 3);
    EXPECT_EQ(key->bits(), 2056u);
    EXPECT_EQ(ajwt::to_jwk(*key)["e"], "Aw");
    EXPECT_EQ(ajwt::to_jwk(*generated(AJWT_KEY_RSA))["e"], "AQAB");
    EXPECT_EQ(status_of([] { ajwt::generate_key(AJWT_KEY_RSA, 1024, 0); }), AJWT_ERR_KEY_TOO_SMALL);
    EXPECT_EQ(status_of([] { ajwt::generate_key(AJWT_KEY_RSA, 2047, 0); }), AJWT_ERR_KEY_TOO_SMALL);
    EXPECT_EQ(status_of([] { ajwt::generate_key(AJWT_KEY_RSA, 8193, 0); }), AJWT_ERR_KEY_TOO_LARGE);
    for (uint64_t bad : {uint64_t{1}, uint64_t{2}, uint64_t{4}, uint64_t{65536}})
        EXPECT_EQ(status_of([&] { ajwt::generate_key(AJWT_KEY_RSA, 2048, bad); }), AJWT_ERR_INVALID_ARGUMENT) << bad;
    EXPECT_EQ(status_of([] { ajwt::generate_key(static_cast<ajwt_key_type>(99), 0, 0); }), AJWT_ERR_INVALID_ARGUMENT);
}

// ---- round trips --------------------------------------------------------------------

TEST(KeyRoundTrip, EveryTypeThroughEveryFormat) {
    for (ajwt_key_type type : kAllTypes) {
        SCOPED_TRACE(ajwt::key_type_name(type));
        const KeyPtr& key = generated(type);
        const std::string pem = ajwt::export_key(*key, AJWT_EXPORT_PUBLIC_PEM, std::nullopt);
        EXPECT_EQ(pem, key->public_pem());
        KeyPtr from_pem = ajwt::load_public_key(pem, AJWT_FORMAT_PEM);
        EXPECT_EQ(from_pem->public_pem(), key->public_pem());

        const std::string ssh = ajwt::export_key(*key, AJWT_EXPORT_PUBLIC_OPENSSH, std::nullopt);
        KeyPtr from_ssh = ajwt::load_public_key(ssh, AJWT_FORMAT_OPENSSH);
        EXPECT_EQ(from_ssh->fingerprint(), key->fingerprint());
        EXPECT_EQ(ajwt::to_openssh_public(*from_ssh), ssh);

        const std::string jwk = ajwt::export_key(*key, AJWT_EXPORT_PUBLIC_JWK, std::nullopt);
        KeyPtr from_jwk = ajwt::load_public_key(jwk, AJWT_FORMAT_JWK);
        EXPECT_EQ(from_jwk->fingerprint(), key->fingerprint());
        EXPECT_EQ(ajwt::to_jwk_text(*from_jwk), jwk);

        const std::string plain = ajwt::export_key(*key, AJWT_EXPORT_PRIVATE_PKCS8, std::nullopt);
        EXPECT_EQ(plain.rfind("-----BEGIN PRIVATE KEY-----", 0), 0u);
        KeyPtr from_plain = ajwt::load_private_key(plain, std::nullopt);
        EXPECT_TRUE(from_plain->is_private());
        EXPECT_EQ(from_plain->fingerprint(), key->fingerprint());
        EXPECT_EQ(ajwt::export_pkcs8(*from_plain, std::nullopt), plain);

        const std::string encrypted = ajwt::export_key(*key, AJWT_EXPORT_PRIVATE_PKCS8, std::string_view("s3cret"));
        EXPECT_EQ(encrypted.rfind("-----BEGIN ENCRYPTED PRIVATE KEY-----", 0), 0u);
        KeyPtr from_encrypted = ajwt::load_private_key(encrypted, std::string_view("s3cret"));
        EXPECT_TRUE(from_encrypted->is_private());
        EXPECT_EQ(from_encrypted->fingerprint(), key->fingerprint());
        EXPECT_EQ(status_of([&] { ajwt::load_private_key(encrypted, std::string_view("s3cret!")); }),
                  AJWT_ERR_WRONG_PASSWORD);
        EXPECT_EQ(status_of([&] { ajwt::load_private_key(encrypted, std::nullopt); }), AJWT_ERR_PASSWORD_REQUIRED);
        EXPECT_EQ(status_of([&] { ajwt::load_public_key(encrypted, AJWT_FORMAT_ANY); }), AJWT_ERR_PRIVATE_KEY_GIVEN);
        EXPECT_EQ(status_of([&] { ajwt::load_private_key(pem, std::nullopt); }), AJWT_ERR_NOT_PRIVATE_KEY);
        EXPECT_EQ(status_of([&] { ajwt::load_private_key(ssh, std::nullopt); }), AJWT_ERR_NOT_PRIVATE_KEY);
    }
}

TEST(KeyRoundTrip, EncryptedPkcs8UsesPbkdf2AndAes256Cbc) {
    const std::string pem = ajwt::export_pkcs8(*generated(AJWT_KEY_EC_P256), std::string_view("pw"));
    ajwt::BioPtr bio = ajwt::memory_bio(pem.data(), pem.size());
    X509_SIG* sig = PEM_read_bio_PKCS8(bio.get(), nullptr, nullptr, nullptr);
    ASSERT_NE(sig, nullptr);
    const X509_ALGOR* algor = nullptr;
    X509_SIG_get0(sig, &algor, nullptr);
    const ASN1_OBJECT* oid = nullptr;
    int param_type = 0;
    const void* param = nullptr;
    X509_ALGOR_get0(&oid, &param_type, &param, algor);
    EXPECT_EQ(OBJ_obj2nid(oid), NID_pbes2);
    ASSERT_EQ(param_type, V_ASN1_SEQUENCE);
    const auto* seq = static_cast<const ASN1_STRING*>(param);
    const unsigned char* cursor = ASN1_STRING_get0_data(seq);
    PBE2PARAM* pbe2 = d2i_PBE2PARAM(nullptr, &cursor, ASN1_STRING_length(seq));
    ASSERT_NE(pbe2, nullptr);
    EXPECT_EQ(OBJ_obj2nid(pbe2->keyfunc->algorithm), NID_id_pbkdf2);
    EXPECT_EQ(OBJ_obj2nid(pbe2->encryption->algorithm), NID_aes_256_cbc);
    PBE2PARAM_free(pbe2);
    X509_SIG_free(sig);
}

TEST(KeyRoundTrip, PasswordEdgeCases) {
    const KeyPtr& key = generated(AJWT_KEY_ED25519);
    EXPECT_EQ(status_of([&] { ajwt::export_pkcs8(*key, std::string_view("")); }), AJWT_ERR_INVALID_ARGUMENT);
    EXPECT_EQ(status_of([&] { ajwt::export_pkcs8(*key, std::string(2000, 'x')); }), AJWT_ERR_INVALID_ARGUMENT);
    // Passwords are bytes: a NUL inside is part of it.
    const std::string password("a\0b", 3);
    const std::string pem = ajwt::export_pkcs8(*key, password);
    EXPECT_EQ(ajwt::load_private_key(pem, password)->fingerprint(), key->fingerprint());
    EXPECT_EQ(status_of([&] { ajwt::load_private_key(pem, std::string_view("a")); }), AJWT_ERR_WRONG_PASSWORD);
    EXPECT_EQ(status_of([&] { ajwt::load_private_key(pem, std::string(2000, 'x')); }), AJWT_ERR_INVALID_ARGUMENT);
    // A long password for a key that needs none is not looked at.
    EXPECT_TRUE(ajwt::load_private_key(ajwt::export_pkcs8(*key, std::nullopt), std::string(2000, 'x'))->is_private());
    EXPECT_EQ(status_of([&] { ajwt::export_key(*key, static_cast<ajwt_export_format>(0), std::nullopt); }),
              AJWT_ERR_INVALID_ARGUMENT);
}

TEST(KeyRoundTrip, TraditionalPemPlainAndEncrypted) {
    for (ajwt_key_type type : {AJWT_KEY_RSA, AJWT_KEY_EC_P256, AJWT_KEY_EC_P384, AJWT_KEY_EC_P521}) {
        SCOPED_TRACE(ajwt::key_type_name(type));
        const KeyPtr& key = generated(type);
        const char* label = type == AJWT_KEY_RSA ? "-----BEGIN RSA PRIVATE KEY-----" : "-----BEGIN EC PRIVATE KEY-----";
        ajwt::BioPtr plain(BIO_new(BIO_s_mem()));
        ASSERT_EQ(PEM_write_bio_PrivateKey_traditional(plain.get(), key->pkey(), nullptr, nullptr, 0, nullptr, nullptr),
                  1);
        const std::string plain_text = ajwt::bio_contents(plain.get());
        ASSERT_EQ(plain_text.rfind(label, 0), 0u);
        EXPECT_EQ(ajwt::load_private_key(plain_text, std::nullopt)->fingerprint(), key->fingerprint());

        ajwt::BioPtr encrypted(BIO_new(BIO_s_mem()));
        unsigned char password[] = "tradpass";
        ASSERT_EQ(PEM_write_bio_PrivateKey_traditional(encrypted.get(), key->pkey(), EVP_aes_128_cbc(), password, 8,
                                                       nullptr, nullptr),
                  1);
        const std::string encrypted_text = ajwt::bio_contents(encrypted.get());
        ASSERT_NE(encrypted_text.find("DEK-Info: AES-128-CBC"), std::string::npos);
        KeyPtr loaded = ajwt::load_private_key(encrypted_text, std::string_view("tradpass"));
        EXPECT_TRUE(loaded->is_private());
        EXPECT_EQ(loaded->fingerprint(), key->fingerprint());
        EXPECT_EQ(status_of([&] { ajwt::load_private_key(encrypted_text, std::string_view("nope")); }),
                  AJWT_ERR_WRONG_PASSWORD);
        EXPECT_EQ(status_of([&] { ajwt::load_private_key(encrypted_text, std::nullopt); }), AJWT_ERR_PASSWORD_REQUIRED);
        EXPECT_EQ(status_of([&] { ajwt::load_public_key(encrypted_text, AJWT_FORMAT_ANY); }),
                  AJWT_ERR_PRIVATE_KEY_GIVEN);
    }
}

TEST(PrivateKeyLoad, GarbageIsKeyParse) {
    const std::string pkcs8 = compat_text("private_keys", "rsa_pkcs8_pem");
    EXPECT_EQ(status_of([] { ajwt::load_private_key("not a key", std::nullopt); }), AJWT_ERR_KEY_PARSE);
    EXPECT_EQ(status_of([] { ajwt::load_private_key(R"({"kty":"OKP"})", std::nullopt); }), AJWT_ERR_KEY_PARSE);
    EXPECT_EQ(status_of([&] { ajwt::load_private_key(pem_of("CERTIFICATE", "\x30\x00"), std::nullopt); }),
              AJWT_ERR_KEY_PARSE);
    EXPECT_EQ(status_of([&] { ajwt::load_private_key(pem_of("PRIVATE KEY", "\x30\x00"), std::nullopt); }),
              AJWT_ERR_KEY_PARSE);
}

TEST(PrivateKeyLoad, CorruptedRsaKeyIsRefused) {
    // Any changed base64 character in the body either breaks the DER or changes a number;
    // the consistency check catches the latter (n = pq, ed = 1 mod p-1 and q-1, CRT values).
    const std::string pkcs8 = compat_text("private_keys", "rsa_pkcs8_pem");
    const size_t body_start = pkcs8.find('\n') + 1;
    const size_t body_end = pkcs8.rfind("\n", pkcs8.find("-----END") - 2);  // keep the last line (padding bits)
    size_t tried = 0;
    for (size_t i = body_start + 30; i < body_end; i += 11) {
        if (pkcs8[i] == '\n') continue;
        std::string corrupted = pkcs8;
        corrupted[i] = corrupted[i] == 'A' ? 'B' : 'A';
        EXPECT_EQ(status_of([&] { ajwt::load_private_key(corrupted, std::nullopt); }), AJWT_ERR_KEY_PARSE)
            << "at " << i;
        ++tried;
    }
    EXPECT_GT(tried, 100u);
}

// ---- cache --------------------------------------------------------------------------

TEST(KeyCache, SameTextSamePointer) {
    const std::string text = compat_text("public_keys", "rsa_pem");
    KeyPtr a = ajwt::load_public_key_cached(text, AJWT_FORMAT_ANY);
    KeyPtr b = ajwt::load_public_key_cached(text, AJWT_FORMAT_ANY);
    EXPECT_EQ(a.get(), b.get());
    KeyPtr other_format = ajwt::load_public_key_cached(text, AJWT_FORMAT_PEM);
    EXPECT_EQ(other_format->fingerprint(), a->fingerprint());
    EXPECT_EQ(ajwt::load_public_key_cached(text, AJWT_FORMAT_PEM).get(), other_format.get());
    // The uncached loader parses again.
    EXPECT_NE(ajwt::load_public_key(text, AJWT_FORMAT_ANY).get(), a.get());
    // A failure is not cached and fails again.
    const std::string bad = compat_text("invalid_public_keys", "rsa_pem");
    for (int i = 0; i < 2; ++i)
        EXPECT_EQ(status_of([&] { ajwt::load_public_key_cached(bad, AJWT_FORMAT_ANY); }), AJWT_ERR_KEY_PARSE);
}

TEST(KeyCache, ThreadsGetTheSameKey) {
    const std::string text = " " + ajwt::generate_key(AJWT_KEY_ED25519, 0, 0)->public_pem();
    std::vector<const ajwt::Key*> seen(8);
    std::vector<std::thread> threads;
    for (size_t i = 0; i < seen.size(); ++i)
        threads.emplace_back([&, i] {
            for (int j = 0; j < 50; ++j) seen[i] = ajwt::load_public_key_cached(text, AJWT_FORMAT_ANY).get();
        });
    for (auto& thread : threads) thread.join();
    for (const ajwt::Key* key : seen) EXPECT_EQ(key, seen[0]);
}

TEST(KeyCache, BoundedWithLeastRecentlyUsedEviction) {
    const std::string pem = ajwt::generate_key(AJWT_KEY_ED25519, 0, 0)->public_pem();
    // Distinct texts of one key: leading whitespace is part of the cache identity.
    auto variant = [&](size_t i) { return std::string(i % 7, ' ') + std::string(i / 7, '\n') + pem; };
    KeyPtr first = ajwt::load_public_key_cached(variant(0), AJWT_FORMAT_PEM);
    KeyPtr second = ajwt::load_public_key_cached(variant(1), AJWT_FORMAT_PEM);
    for (size_t i = 2; i < ajwt::kKeyCacheCapacity + 10; ++i) {
        if (i % 512 == 0) {
            EXPECT_EQ(ajwt::load_public_key_cached(variant(0), AJWT_FORMAT_PEM).get(), first.get());  // keep it recent
        }
        ajwt::load_public_key_cached(variant(i), AJWT_FORMAT_PEM);
    }
    EXPECT_EQ(ajwt::load_public_key_cached(variant(0), AJWT_FORMAT_PEM).get(), first.get());
    EXPECT_NE(ajwt::load_public_key_cached(variant(1), AJWT_FORMAT_PEM).get(), second.get());  // evicted
}

// ---- robustness ---------------------------------------------------------------------

bool is_key_failure(ajwt_status status) {
    return status == AJWT_ERR_KEY_PARSE || status == AJWT_ERR_KEY_UNSUPPORTED || status == AJWT_ERR_KEY_TOO_SMALL ||
           status == AJWT_ERR_KEY_TOO_LARGE || status == AJWT_ERR_PRIVATE_KEY_GIVEN;
}

TEST(KeyRobustness, TruncatedAndMutatedPublicKeysNeverCrash) {
    std::vector<std::string> texts;
    for (const char* name : {"rsa_pem", "ed25519_pem", "rsa_openssh", "ed25519_openssh"})
        texts.push_back(compat_text("public_keys", name));
    for (ajwt_key_type type : {AJWT_KEY_EC_P384, AJWT_KEY_ED448})
        for (ajwt_export_format format : {AJWT_EXPORT_PUBLIC_PEM, AJWT_EXPORT_PUBLIC_OPENSSH, AJWT_EXPORT_PUBLIC_JWK})
            texts.push_back(ajwt::export_key(*generated(type), format, std::nullopt));
    size_t loaded = 0;
    for (const std::string& text : texts) {
        for (size_t cut = 0; cut < text.size(); cut += 3) {
            ajwt_status status = status_of([&] { ajwt::load_public_key(text.substr(0, cut), AJWT_FORMAT_ANY); });
            // A cut inside trailing whitespace or an OpenSSH comment may still be the whole key.
            if (status == AJWT_OK)
                ++loaded;
            else
                EXPECT_TRUE(is_key_failure(status)) << status << " for cut " << cut << " of " << text;
        }
        for (size_t i = 0; i < text.size(); i += 5) {
            for (char replacement : {'\0', '\xff', 'A', '"', '-', ' '}) {
                std::string mutated = text;
                mutated[i] = replacement;
                ajwt_status status = status_of([&] { ajwt::load_public_key(mutated, AJWT_FORMAT_ANY); });
                EXPECT_TRUE(status == AJWT_OK || is_key_failure(status)) << status;
            }
        }
    }
    EXPECT_LT(loaded, 200u);
}

TEST(KeyRobustness, TruncatedPrivateKeysNeverCrash) {
    std::vector<std::string> texts = {compat_text("private_keys", "rsa_pkcs8_pem"),
                                      ajwt::export_pkcs8(*generated(AJWT_KEY_EC_P256), std::string_view("pw"))};
    for (const std::string& text : texts) {
        for (size_t cut = 0; cut < text.size(); cut += 7) {
            ajwt_status status =
                status_of([&] { ajwt::load_private_key(text.substr(0, cut), std::string_view("pw")); });
            EXPECT_TRUE(status == AJWT_ERR_KEY_PARSE || status == AJWT_ERR_WRONG_PASSWORD) << status << " at " << cut;
        }
    }
}

}  // namespace

// ---- the cap on an encrypted key's password-hashing work --------------------------------

namespace {

// An ENCRYPTED PRIVATE KEY block with `scheme` and a ciphertext that is no key at all: only the
// scheme's parameters matter, and building it runs no key derivation.
std::string encrypted_pem_with(X509_ALGOR* scheme) {
    X509_SIG* info = X509_SIG_new();
    X509_ALGOR* algorithm = nullptr;
    ASN1_OCTET_STRING* ciphertext = nullptr;
    X509_SIG_getm(info, &algorithm, &ciphertext);
    const unsigned char junk[64] = {1, 2, 3};
    EXPECT_EQ(X509_ALGOR_copy(algorithm, scheme), 1);
    EXPECT_EQ(ASN1_OCTET_STRING_set(ciphertext, junk, sizeof junk), 1);
    ajwt::BioPtr bio(BIO_new(BIO_s_mem()));
    EXPECT_EQ(PEM_write_bio_PKCS8(bio.get(), info), 1);
    X509_SIG_free(info);
    X509_ALGOR_free(scheme);
    return ajwt::bio_contents(bio.get());
}

std::string pbkdf2_pem(int iterations) {
    unsigned char salt[16] = {7};
    return encrypted_pem_with(
        PKCS5_pbe2_set_iv_ex(EVP_aes_256_cbc(), iterations, salt, sizeof salt, nullptr, NID_hmacWithSHA256, nullptr));
}

// The parameters `algorithm` carries, decoded as `T`.
template <typename T>
T* unpacked(const X509_ALGOR* algorithm, const ASN1_ITEM* item) {
    int type = 0;
    const void* value = nullptr;
    X509_ALGOR_get0(nullptr, &type, &value, algorithm);
    return static_cast<T*>(ASN1_item_unpack(static_cast<const ASN1_STRING*>(value), item));
}

std::string scrypt_pem(uint64_t n, uint64_t r, uint64_t p) {
    // OpenSSL refuses to build a scheme beyond its own scrypt memory cap, so build a small one and
    // rewrite its parameters.
    unsigned char salt[16] = {7};
    X509_ALGOR* scheme = PKCS5_pbe2_set_scrypt(EVP_aes_256_cbc(), salt, sizeof salt, nullptr, 1024, 8, 1);
    PBE2PARAM* pbes2 = unpacked<PBE2PARAM>(scheme, ASN1_ITEM_rptr(PBE2PARAM));
    SCRYPT_PARAMS* params = unpacked<SCRYPT_PARAMS>(pbes2->keyfunc, ASN1_ITEM_rptr(SCRYPT_PARAMS));
    EXPECT_TRUE(ASN1_INTEGER_set_uint64(params->costParameter, n) == 1 &&
                ASN1_INTEGER_set_uint64(params->blockSize, r) == 1 &&
                ASN1_INTEGER_set_uint64(params->parallelizationParameter, p) == 1);
    X509_ALGOR_set0(pbes2->keyfunc, OBJ_nid2obj(NID_id_scrypt), V_ASN1_SEQUENCE,
                    ASN1_item_pack(params, ASN1_ITEM_rptr(SCRYPT_PARAMS), nullptr));
    X509_ALGOR_set0(scheme, OBJ_nid2obj(NID_pbes2), V_ASN1_SEQUENCE,
                    ASN1_item_pack(pbes2, ASN1_ITEM_rptr(PBE2PARAM), nullptr));
    SCRYPT_PARAMS_free(params);
    PBE2PARAM_free(pbes2);
    return encrypted_pem_with(scheme);
}

}  // namespace

TEST(EncryptedKeyCost, Pbkdf2IterationsAreCapped) {
    const std::string over = pbkdf2_pem(static_cast<int>(ajwt::kMaxPbeIterations) + 1);
    try {
        ajwt::load_private_key(over, std::string_view("pw"));
        FAIL() << "a key asking for more iterations than the cap was loaded";
    } catch (const ajwt::KeyError& e) {
        EXPECT_EQ(e.status(), AJWT_ERR_KEY_UNSUPPORTED);
        EXPECT_NE(std::string(e.what()).find("10000001 PBKDF2 iterations"), std::string::npos) << e.what();
    }
    // Without a password too: the cap is checked before anything asks for one.
    EXPECT_EQ(status_of([&] { ajwt::load_private_key(over, std::nullopt); }), AJWT_ERR_KEY_UNSUPPORTED);
    EXPECT_EQ(status_of([&] { ajwt::load_private_key(pbkdf2_pem(INT32_MAX), std::string_view("pw")); }),
              AJWT_ERR_KEY_UNSUPPORTED);
    // Within the cap the same structure gets as far as decrypting (this ciphertext is junk).
    EXPECT_EQ(status_of([&] { ajwt::load_private_key(pbkdf2_pem(2048), std::string_view("pw")); }),
              AJWT_ERR_WRONG_PASSWORD);
}

TEST(EncryptedKeyCost, ScryptWorkIsCapped) {
    EXPECT_EQ(status_of([&] { ajwt::load_private_key(scrypt_pem(1 << 14, 8, 1 << 20), std::string_view("pw")); }),
              AJWT_ERR_KEY_UNSUPPORTED);
    EXPECT_EQ(status_of([&] { ajwt::load_private_key(scrypt_pem(uint64_t{1} << 40, 8, 1), std::string_view("pw")); }),
              AJWT_ERR_KEY_UNSUPPORTED);
    EXPECT_EQ(status_of([&] {
                  ajwt::load_private_key(scrypt_pem(UINT64_MAX, UINT64_MAX, UINT64_MAX), std::string_view("pw"));
              }),
              AJWT_ERR_KEY_UNSUPPORTED);
    EXPECT_EQ(status_of([&] { ajwt::load_private_key(scrypt_pem(1 << 10, 8, 1), std::string_view("pw")); }),
              AJWT_ERR_WRONG_PASSWORD);
}

TEST(EncryptedKeyCost, Pkcs12SchemeIterationsAreCapped) {
    unsigned char salt[8] = {7};
    const auto pem = [&](int iterations) {
        return encrypted_pem_with(PKCS5_pbe_set(NID_pbe_WithSHA1And3_Key_TripleDES_CBC, iterations, salt, sizeof salt));
    };
    EXPECT_EQ(status_of([&] { ajwt::load_private_key(pem(INT32_MAX), std::string_view("pw")); }),
              AJWT_ERR_KEY_UNSUPPORTED);
    const ajwt_status within = status_of([&] { ajwt::load_private_key(pem(2048), std::string_view("pw")); });
    EXPECT_NE(within, AJWT_ERR_KEY_UNSUPPORTED);  // wrong password, or 3DES unavailable without the legacy provider
}

TEST(EncryptedKeyCost, RealEncryptedKeysStillLoad) {
    for (ajwt_key_type type : {AJWT_KEY_RSA, AJWT_KEY_ED25519, AJWT_KEY_EC_P256}) {
        const KeyPtr key = generated(type);
        const std::string pem = ajwt::export_pkcs8(*key, std::string_view("pw"));
        EXPECT_EQ(ajwt::load_private_key(pem, std::string_view("pw"))->fingerprint(), key->fingerprint());
    }
}

TEST(EncryptedKeyCost, BrokenSchemeParametersAreAParseError) {
    X509_ALGOR* scheme = X509_ALGOR_new();
    ASSERT_EQ(X509_ALGOR_set0(scheme, OBJ_nid2obj(NID_pbes2), V_ASN1_NULL, nullptr), 1);
    EXPECT_EQ(status_of([&] { ajwt::load_private_key(encrypted_pem_with(scheme), std::string_view("pw")); }),
              AJWT_ERR_KEY_PARSE);
}
