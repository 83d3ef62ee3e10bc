// Keys through the C ABI: compat vectors of asymmetric-jwt-auth 1.x, generation, export.
#include <cstring>
#include <string>
#include <vector>

#include "capi_support.hpp"

using namespace capi_test;
using nlohmann::json;

namespace {

std::vector<ajwt_alg> algorithms_of(const ajwt_key* key) {
    size_t count = ajwt_key_algorithms(key, nullptr, 0);
    std::vector<ajwt_alg> algs(count);
    EXPECT_EQ(ajwt_key_algorithms(key, algs.data(), algs.size()), count);
    return algs;
}

std::vector<std::string> alg_names(const std::vector<ajwt_alg>& algs) {
    std::vector<std::string> names;
    for (ajwt_alg alg : algs) names.push_back(ajwt_alg_name(alg));
    return names;
}

ajwt_key_type type_named(const std::string& name) {
    if (name == "RSA") return AJWT_KEY_RSA;
    if (name == "Ed25519") return AJWT_KEY_ED25519;
    throw std::runtime_error("unexpected key type " + name);
}

ajwt_status load_public_status(const std::string& text, ajwt_key_format format = AJWT_FORMAT_ANY) {
    ajwt_key* key = nullptr;
    Err err;
    ajwt_status status = ajwt_key_load_public(text.data(), text.size(), format, &key, err.get());
    Key owner(key);
    EXPECT_EQ(err.e.status, status);
    EXPECT_LT(strnlen(err.e.message, sizeof err.e.message), sizeof err.e.message);
    if (status != AJWT_OK) EXPECT_EQ(key, nullptr);
    return status;
}

ajwt_status load_private_status(const std::string& text, const char* password, size_t password_len,
                                Key* out = nullptr) {
    ajwt_key* key = nullptr;
    Err err;
    ajwt_status status = ajwt_key_load_private(text.data(), text.size(), password, password_len, &key, err.get());
    Key owner(key);
    EXPECT_EQ(err.e.status, status);
    if (status != AJWT_OK) EXPECT_EQ(key, nullptr);
    if (out) *out = std::move(owner);
    return status;
}

}  // namespace

TEST(CapiKeysCompat, PemPublicKeysFingerprintAndAlgorithms) {
    for (const char* name : {"rsa_pem", "ed25519_pem"}) {
        SCOPED_TRACE(name);
        const json& vector = compat()["public_keys"][name];
        for (ajwt_key_format format : {AJWT_FORMAT_ANY, AJWT_FORMAT_PEM}) {
            Key key = load_public(vector["text"], format);
            EXPECT_EQ(ajwt_key_get_type(key.get()), type_named(vector["type"]));
            EXPECT_EQ(ajwt_key_is_private(key.get()), 0);
            EXPECT_EQ(fingerprint(key.get()), vector["fingerprint"].get<std::string>());
            EXPECT_EQ(alg_names(algorithms_of(key.get())),
                      vector["allowed_algorithms"].get<std::vector<std::string>>());
        }
    }
}

TEST(CapiKeysCompat, RsaJwkMembersExactly) {
    const json& vector = compat()["public_keys"]["rsa_pem"];
    Key key = load_public(vector["text"]);
    json jwk = json::parse(export_key(key.get(), AJWT_EXPORT_PUBLIC_JWK));
    EXPECT_EQ(jwk, vector["jwk"]);
    // And the JWK loads back to the same key with the same kid.
    Key again = load_public(jwk.dump(), AJWT_FORMAT_JWK);
    EXPECT_EQ(ajwt_key_equal(key.get(), again.get()), 1);
    EXPECT_EQ(fingerprint(again.get()), vector["fingerprint"].get<std::string>());
}

TEST(CapiKeysCompat, Ed25519JwkMembers) {
    const json& vector = compat()["public_keys"]["ed25519_pem"];
    Key key = load_public(vector["text"]);
    json jwk = json::parse(export_key(key.get(), AJWT_EXPORT_PUBLIC_JWK));
    EXPECT_EQ(jwk["kty"], "OKP");
    EXPECT_EQ(jwk["crv"], "Ed25519");
    EXPECT_EQ(jwk["x"], "hRk96LXVjEtq8yI1I5LiRiv0OHiGvgJKfU0a4SweOe0");
    EXPECT_FALSE(jwk.contains("d"));
    Key again = load_public(jwk.dump(), AJWT_FORMAT_JWK);
    EXPECT_EQ(ajwt_key_equal(key.get(), again.get()), 1);
}

TEST(CapiKeysCompat, OpenSshPublicKeysAndComments) {
    for (const char* name : {"rsa_openssh", "ed25519_openssh"}) {
        SCOPED_TRACE(name);
        const json& vector = compat()["public_keys"][name];
        for (ajwt_key_format format : {AJWT_FORMAT_ANY, AJWT_FORMAT_OPENSSH}) {
            Key key = load_public(vector["text"], format);
            EXPECT_EQ(ajwt_key_get_type(key.get()), type_named(vector["type"]));
            size_t len = 99;
            const char* comment = ajwt_key_comment(key.get(), &len);
            ASSERT_NE(comment, nullptr);
            EXPECT_EQ(std::string(comment, len), vector["comment"].get<std::string>());
            EXPECT_EQ(comment[len], '\0');
            EXPECT_EQ(export_key(key.get(), AJWT_EXPORT_PUBLIC_OPENSSH), vector["text"].get<std::string>());
        }
    }
    // An OpenSSH line is not PEM.
    EXPECT_NE(load_public_status(compat()["public_keys"]["ed25519_openssh"]["text"], AJWT_FORMAT_PEM), AJWT_OK);
}

TEST(CapiKeysCompat, InvalidPublicKeysFailWithKeyParse) {
    for (const auto& [name, text] : compat()["invalid_public_keys"].items()) {
        SCOPED_TRACE(name);
        EXPECT_STATUS(AJWT_ERR_KEY_PARSE, load_public_status(text));
    }
}

TEST(CapiKeysCompat, Pkcs8PrivateKeyAndItsPublicPem) {
    const json& vector = compat()["private_keys"]["rsa_pkcs8_pem"];
    Key key;
    ASSERT_OK(load_private_status(vector["text"], nullptr, 0, &key));
    EXPECT_EQ(ajwt_key_is_private(key.get()), 1);
    EXPECT_EQ(ajwt_key_get_type(key.get()), AJWT_KEY_RSA);
    EXPECT_EQ(ajwt_key_bits(key.get()), 2048u);
    EXPECT_EQ(export_key(key.get(), AJWT_EXPORT_PUBLIC_PEM), vector["public_pem"].get<std::string>());
    // It is the private half of the rsa_pem test key.
    Key pub = load_public(compat()["public_keys"]["rsa_pem"]["text"]);
    EXPECT_EQ(ajwt_key_equal(key.get(), pub.get()), 1);
    EXPECT_EQ(fingerprint(key.get()), fingerprint(pub.get()));
}

TEST(CapiKeysCompat, EncryptedTraditionalPem) {
    const json& vector = compat()["private_keys"]["rsa_traditional_encrypted_pem"];
    const std::string text = vector["text"];
    const std::string password = vector["password"];
    Key key;
    ASSERT_OK(load_private_status(text, password.data(), password.size(), &key));
    EXPECT_EQ(ajwt_key_is_private(key.get()), 1);
    // Upstream's line carries ssh-keygen's comment; a PEM key has none: compare type and key.
    const std::string expected = vector["public_openssh"];
    const std::string type_and_key = expected.substr(0, expected.find(' ', expected.find(' ') + 1));
    EXPECT_EQ(export_key(key.get(), AJWT_EXPORT_PUBLIC_OPENSSH), type_and_key);
    EXPECT_EQ(ajwt_key_equal(key.get(), load_public(expected).get()), 1);
    EXPECT_STATUS(AJWT_ERR_WRONG_PASSWORD, load_private_status(text, "passw0rd", 8));
    EXPECT_STATUS(AJWT_ERR_WRONG_PASSWORD, load_private_status(text, "password", 7));
    EXPECT_STATUS(AJWT_ERR_PASSWORD_REQUIRED, load_private_status(text, nullptr, 0));
    EXPECT_STATUS(AJWT_ERR_PASSWORD_REQUIRED, load_private_status(text, nullptr, 8));  // length ignored
}

TEST(CapiKeys, PrivateTextIsRefusedAsPublicKey) {
    EXPECT_STATUS(AJWT_ERR_PRIVATE_KEY_GIVEN, load_public_status(compat()["private_keys"]["rsa_pkcs8_pem"]["text"]));
}

TEST(CapiKeys, PublicTextIsNotAPrivateKey) {
    EXPECT_NE(load_private_status(compat()["public_keys"]["rsa_pem"]["text"], nullptr, 0), AJWT_OK);
    EXPECT_STATUS(AJWT_ERR_KEY_PARSE, load_private_status("hello", nullptr, 0));
}

TEST(CapiKeys, LoadPublicArguments) {
    const std::string text = compat()["public_keys"]["ed25519_pem"]["text"];
    ajwt_key* key = nullptr;
    EXPECT_STATUS(AJWT_ERR_INVALID_ARGUMENT, ajwt_key_load_public(nullptr, 10, AJWT_FORMAT_ANY, &key, nullptr));
    EXPECT_STATUS(AJWT_ERR_INVALID_ARGUMENT,
                  ajwt_key_load_public(text.data(), text.size(), AJWT_FORMAT_ANY, nullptr, nullptr));
    // (Formats outside the enum's values are C-only: tests/c/c_program.c passes 99.)
    EXPECT_EQ(key, nullptr);
    EXPECT_STATUS(AJWT_ERR_KEY_PARSE, load_public_status(""));
    // The format is honoured: PEM text is not a JWK.
    EXPECT_NE(load_public_status(text, AJWT_FORMAT_JWK), AJWT_OK);
}

TEST(CapiKeys, LengthDelimitsTheText) {
    // The text is (pointer, length): trailing bytes beyond the length are not read.
    std::string text = compat()["public_keys"]["ed25519_openssh"]["text"];
    std::string padded = text + "GARBAGE";
    ajwt_key* key = nullptr;
    ASSERT_OK(ajwt_key_load_public(padded.data(), text.size(), AJWT_FORMAT_OPENSSH, &key, nullptr));
    Key owner(key);
    EXPECT_EQ(ajwt_key_get_type(key), AJWT_KEY_ED25519);
}

TEST(CapiKeys, EmbeddedNulIsRefused) {
    std::string text = compat()["public_keys"]["ed25519_pem"]["text"];
    text.insert(text.size() / 2, 1, '\0');
    EXPECT_NE(load_public_status(text), AJWT_OK);
}

TEST(CapiKeys, LoadingTheSameTextTwiceGivesTheSameKey) {
    const std::string text = compat()["public_keys"]["rsa_pem"]["text"];
    Key a = load_public(text);
    Key b = load_public(text);
    EXPECT_EQ(ajwt_key_equal(a.get(), b.get()), 1);
    EXPECT_EQ(fingerprint(a.get()), fingerprint(b.get()));
}

TEST(CapiKeys, GenerateEveryType) {
    struct Case {
        ajwt_key_type type;
        unsigned bits;
        std::vector<std::string> algs;
    };
    const Case cases[] = {
        {AJWT_KEY_RSA, 2048, {"RS512", "RS384", "RS256"}},
        {AJWT_KEY_ED25519, 256, {"EdDSA"}},
        {AJWT_KEY_ED448, 456, {"EdDSA"}},
        {AJWT_KEY_EC_P256, 256, {"ES256"}},
        {AJWT_KEY_EC_P384, 384, {"ES384"}},
        {AJWT_KEY_EC_P521, 521, {"ES512"}},
    };
    for (const Case& c : cases) {
        SCOPED_TRACE(static_cast<int>(c.type));
        Key key = generate(c.type);
        EXPECT_EQ(ajwt_key_get_type(key.get()), c.type);
        EXPECT_EQ(ajwt_key_is_private(key.get()), 1);
        EXPECT_EQ(ajwt_key_bits(key.get()), c.bits);
        EXPECT_EQ(alg_names(algorithms_of(key.get())), c.algs);
        Key pub = public_of(key.get());
        EXPECT_EQ(ajwt_key_is_private(pub.get()), 0);
        EXPECT_EQ(ajwt_key_get_type(pub.get()), c.type);
        EXPECT_EQ(ajwt_key_equal(key.get(), pub.get()), 1);
        std::string fp = fingerprint(key.get());
        EXPECT_EQ(fp.size(), 64u);
        EXPECT_EQ(fp.find_first_not_of("0123456789abcdef"), std::string::npos);
        EXPECT_EQ(fp, fingerprint(pub.get()));
        // Two generated keys differ.
        Key other = generate(c.type);
        EXPECT_EQ(ajwt_key_equal(key.get(), other.get()), 0);
    }
}

TEST(CapiKeys, GenerateRsaOptions) {
    Key key;
    ajwt_key* raw = nullptr;
    ASSERT_OK(ajwt_key_generate(AJWT_KEY_RSA, 3072, 3, &raw, nullptr));
    key.reset(raw);
    EXPECT_EQ(ajwt_key_bits(key.get()), 3072u);
    json jwk = json::parse(export_key(key.get(), AJWT_EXPORT_PUBLIC_JWK));
    EXPECT_EQ(jwk["e"], "Aw");  // exponent 3
    raw = nullptr;
    EXPECT_NE(ajwt_key_generate(AJWT_KEY_RSA, 1024, 0, &raw, nullptr), AJWT_OK);
    EXPECT_EQ(raw, nullptr);
    EXPECT_NE(ajwt_key_generate(AJWT_KEY_RSA, 16384, 0, &raw, nullptr), AJWT_OK);
    EXPECT_NE(ajwt_key_generate(AJWT_KEY_RSA, 2048, 4, &raw, nullptr), AJWT_OK);  // even exponent
    EXPECT_STATUS(AJWT_ERR_INVALID_ARGUMENT, ajwt_key_generate(static_cast<ajwt_key_type>(0), 0, 0, &raw, nullptr));
    EXPECT_STATUS(AJWT_ERR_INVALID_ARGUMENT, ajwt_key_generate(static_cast<ajwt_key_type>(7), 0, 0, &raw, nullptr));
    EXPECT_STATUS(AJWT_ERR_INVALID_ARGUMENT, ajwt_key_generate(AJWT_KEY_ED25519, 0, 0, nullptr, nullptr));
    EXPECT_EQ(raw, nullptr);
}

TEST(CapiKeys, PublicOfPublicIsTheSameKey) {
    Key pub = load_public(compat()["public_keys"]["rsa_pem"]["text"]);
    Key again = public_of(pub.get());
    EXPECT_EQ(ajwt_key_equal(pub.get(), again.get()), 1);
    EXPECT_EQ(ajwt_key_is_private(again.get()), 0);
    ajwt_key* out = nullptr;
    EXPECT_STATUS(AJWT_ERR_INVALID_ARGUMENT, ajwt_key_public(nullptr, &out, nullptr));
    EXPECT_STATUS(AJWT_ERR_INVALID_ARGUMENT, ajwt_key_public(pub.get(), nullptr, nullptr));
}

TEST(CapiKeys, AccessorsOnNull) {
    EXPECT_EQ(ajwt_key_is_private(nullptr), 0);
    EXPECT_EQ(ajwt_key_bits(nullptr), 0u);
    EXPECT_EQ(ajwt_key_algorithms(nullptr, nullptr, 0), 0u);
    EXPECT_EQ(ajwt_key_supports_alg(nullptr, AJWT_ALG_RS256), 0);
    EXPECT_EQ(ajwt_key_equal(nullptr, nullptr), 0);
    size_t len = 7;
    const char* comment = ajwt_key_comment(nullptr, &len);
    ASSERT_NE(comment, nullptr);
    EXPECT_EQ(len, 0u);
    char out[AJWT_FINGERPRINT_SIZE];
    EXPECT_STATUS(AJWT_ERR_INVALID_ARGUMENT, ajwt_key_fingerprint(nullptr, out, nullptr));
    Key key = generate(AJWT_KEY_ED25519);
    EXPECT_STATUS(AJWT_ERR_INVALID_ARGUMENT, ajwt_key_fingerprint(key.get(), nullptr, nullptr));
}

TEST(CapiKeys, CommentIsEmptyForPem) {
    Key key = load_public(compat()["public_keys"]["rsa_pem"]["text"]);
    size_t len = 9;
    const char* comment = ajwt_key_comment(key.get(), &len);
    ASSERT_NE(comment, nullptr);
    EXPECT_EQ(len, 0u);
    EXPECT_STREQ(comment, "");
    EXPECT_NE(ajwt_key_comment(key.get(), nullptr), nullptr);  // len may be NULL
}

TEST(CapiKeys, AlgorithmsWithSmallCapacity) {
    Key key = load_public(compat()["public_keys"]["rsa_pem"]["text"]);
    ajwt_alg algs[2] = {AJWT_ALG_UNKNOWN, AJWT_ALG_UNKNOWN};
    EXPECT_EQ(ajwt_key_algorithms(key.get(), algs, 1), 3u);
    EXPECT_EQ(algs[0], AJWT_ALG_RS512);
    EXPECT_EQ(algs[1], AJWT_ALG_UNKNOWN);  // not written beyond capacity
}

TEST(CapiKeys, SupportsAlg) {
    Key rsa = load_public(compat()["public_keys"]["rsa_pem"]["text"]);
    Key ed = load_public(compat()["public_keys"]["ed25519_pem"]["text"]);
    Key p256 = generate(AJWT_KEY_EC_P256);
    for (ajwt_alg alg :
         {AJWT_ALG_RS256, AJWT_ALG_RS384, AJWT_ALG_RS512, AJWT_ALG_PS256, AJWT_ALG_PS384, AJWT_ALG_PS512}) {
        EXPECT_EQ(ajwt_key_supports_alg(rsa.get(), alg), 1);
        EXPECT_EQ(ajwt_key_supports_alg(ed.get(), alg), 0);
    }
    EXPECT_EQ(ajwt_key_supports_alg(ed.get(), AJWT_ALG_EDDSA), 1);
    EXPECT_EQ(ajwt_key_supports_alg(rsa.get(), AJWT_ALG_EDDSA), 0);
    EXPECT_EQ(ajwt_key_supports_alg(p256.get(), AJWT_ALG_ES256), 1);
    EXPECT_EQ(ajwt_key_supports_alg(p256.get(), AJWT_ALG_ES384), 0);
    EXPECT_EQ(ajwt_key_supports_alg(rsa.get(), AJWT_ALG_UNKNOWN), 0);
    EXPECT_EQ(ajwt_key_supports_alg(rsa.get(), static_cast<ajwt_alg>(15)), 0);
}

TEST(CapiKeys, ExportRoundTripsForEveryType) {
    for (ajwt_key_type type :
         {AJWT_KEY_RSA, AJWT_KEY_ED25519, AJWT_KEY_ED448, AJWT_KEY_EC_P256, AJWT_KEY_EC_P384, AJWT_KEY_EC_P521}) {
        SCOPED_TRACE(static_cast<int>(type));
        Key key = generate(type);
        std::string pem = export_key(key.get(), AJWT_EXPORT_PUBLIC_PEM);
        EXPECT_EQ(pem.rfind("-----BEGIN PUBLIC KEY-----\n", 0), 0u);
        EXPECT_EQ(pem.back(), '\n');
        Key from_pem = load_public(pem, AJWT_FORMAT_PEM);
        EXPECT_EQ(ajwt_key_equal(key.get(), from_pem.get()), 1);

        Key from_jwk = load_public(export_key(key.get(), AJWT_EXPORT_PUBLIC_JWK), AJWT_FORMAT_JWK);
        EXPECT_EQ(ajwt_key_equal(key.get(), from_jwk.get()), 1);

        std::string pkcs8 = export_key(key.get(), AJWT_EXPORT_PRIVATE_PKCS8);
        EXPECT_EQ(pkcs8.rfind("-----BEGIN PRIVATE KEY-----", 0), 0u);
        Key reloaded = load_private(pkcs8);
        EXPECT_EQ(ajwt_key_equal(key.get(), reloaded.get()), 1);
        EXPECT_EQ(ajwt_key_is_private(reloaded.get()), 1);

        std::string encrypted = export_key(key.get(), AJWT_EXPORT_PRIVATE_PKCS8, "s3cret");
        EXPECT_EQ(encrypted.rfind("-----BEGIN ENCRYPTED PRIVATE KEY-----", 0), 0u);
        EXPECT_EQ(ajwt_key_equal(key.get(), load_private(encrypted, "s3cret").get()), 1);
        EXPECT_STATUS(AJWT_ERR_WRONG_PASSWORD, load_private_status(encrypted, "secret", 6));
        EXPECT_STATUS(AJWT_ERR_PASSWORD_REQUIRED, load_private_status(encrypted, nullptr, 0));
    }
}

TEST(CapiKeys, OpenSshExportOfGeneratedKeys) {
    for (ajwt_key_type type : {AJWT_KEY_RSA, AJWT_KEY_ED25519}) {
        Key key = generate(type);
        std::string line = export_key(key.get(), AJWT_EXPORT_PUBLIC_OPENSSH);
        EXPECT_EQ(line.find('\n'), std::string::npos);
        EXPECT_EQ(line.rfind(type == AJWT_KEY_RSA ? "ssh-rsa AAAA" : "ssh-ed25519 AAAA", 0), 0u);
        Key back = load_public(line, AJWT_FORMAT_OPENSSH);
        EXPECT_EQ(ajwt_key_equal(key.get(), back.get()), 1);
    }
}

TEST(CapiKeys, ExportArgumentsAndPublicKeyHasNoPkcs8) {
    Key pub = load_public(compat()["public_keys"]["rsa_pem"]["text"]);
    char* out = reinterpret_cast<char*>(0x1);
    size_t len = 5;
    EXPECT_STATUS(AJWT_ERR_NOT_PRIVATE_KEY,
                  ajwt_key_export(pub.get(), AJWT_EXPORT_PRIVATE_PKCS8, nullptr, 0, &out, &len, nullptr));
    EXPECT_EQ(out, nullptr);
    EXPECT_STATUS(AJWT_ERR_INVALID_ARGUMENT,
                  ajwt_key_export(pub.get(), static_cast<ajwt_export_format>(0), nullptr, 0, &out, &len, nullptr));
    EXPECT_STATUS(AJWT_ERR_INVALID_ARGUMENT,
                  ajwt_key_export(nullptr, AJWT_EXPORT_PUBLIC_PEM, nullptr, 0, &out, &len, nullptr));
    EXPECT_STATUS(AJWT_ERR_INVALID_ARGUMENT,
                  ajwt_key_export(pub.get(), AJWT_EXPORT_PUBLIC_PEM, nullptr, 0, nullptr, &len, nullptr));
    // out_len may be NULL: the text is NUL-terminated.
    ASSERT_OK(ajwt_key_export(pub.get(), AJWT_EXPORT_PUBLIC_PEM, nullptr, 0, &out, nullptr, nullptr));
    Bytes owner(out);
    EXPECT_EQ(std::string(out), export_key(pub.get(), AJWT_EXPORT_PUBLIC_PEM));
}

TEST(CapiKeys, ExportedTextIsNulTerminatedAtItsLength) {
    Key key = generate(AJWT_KEY_EC_P256);
    for (ajwt_export_format format :
         {AJWT_EXPORT_PUBLIC_PEM, AJWT_EXPORT_PUBLIC_OPENSSH, AJWT_EXPORT_PUBLIC_JWK, AJWT_EXPORT_PRIVATE_PKCS8}) {
        char* out = nullptr;
        size_t len = 0;
        if (format == AJWT_EXPORT_PUBLIC_OPENSSH) {
            // EC keys have an OpenSSH form too (ecdsa-sha2-nistp256); either way no crash.
            ajwt_status status = ajwt_key_export(key.get(), format, nullptr, 0, &out, &len, nullptr);
            Bytes owner(out);
            if (status != AJWT_OK) continue;
            EXPECT_EQ(std::strlen(out), len);
            continue;
        }
        ASSERT_OK(ajwt_key_export(key.get(), format, nullptr, 0, &out, &len, nullptr));
        Bytes owner(out);
        EXPECT_EQ(std::strlen(out), len);
        EXPECT_GT(len, 0u);
    }
}

TEST(CapiKeys, UnencryptedOpenSshPrivateKey) {
    // What `ssh-keygen -t ed25519 -N ''` writes (a throwaway test key).
    const std::string text =
        "-----BEGIN OPENSSH PRIVATE KEY-----\n"
        "b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW\n"
        "QyNTUxOQAAACDqFZ853AeKJqoyfgCuouxglxhgEzeX7nI60sUYjKOckgAAAJgoWlLuKFpS\n"
        "7gAAAAtzc2gtZWQyNTUxOQAAACDqFZ853AeKJqoyfgCuouxglxhgEzeX7nI60sUYjKOckg\n"
        "AAAEDIKKPC+Fgawt26XxB1xb/oipGsTyK0Jw0qqPUJPUYzOeoVnzncB4omqjJ+AK6i7GCX\n"
        "GGATN5fucjrSxRiMo5ySAAAAEGFqd3RAZXhhbXBsZS5vcmcBAgMEBQ==\n"
        "-----END OPENSSH PRIVATE KEY-----\n";
    const std::string public_line =
        "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOoVnzncB4omqjJ+AK6i7GCXGGATN5fucjrSxRiMo5yS ajwt@example.org";
    Key key;
    ASSERT_OK(load_private_status(text, nullptr, 0, &key));
    EXPECT_EQ(ajwt_key_get_type(key.get()), AJWT_KEY_ED25519);
    EXPECT_EQ(ajwt_key_is_private(key.get()), 1);
    EXPECT_EQ(ajwt_key_equal(key.get(), load_public(public_line).get()), 1);
    // It signs, and its public half verifies.
    std::string token = sign(key.get(), "alice", 1000, "n");
    Verifier verifier = new_verifier();
    Key pub = public_of(key.get());
    EXPECT_OK(parse_and_verify(verifier.get(), token, pub.get(), 1000));
}

TEST(CapiKeys, EncryptedOpenSshPrivateKeyLoadsWithItsPassphrase) {
    // `ssh-keygen -t ed25519 -N "pass phrase"` (a throwaway test key).
    const std::string text =
        "-----BEGIN OPENSSH PRIVATE KEY-----\n"
        "b3BlbnNzaC1rZXktdjEAAAAACmFlczI1Ni1jdHIAAAAGYmNyeXB0AAAAGAAAABBz+4/3Hy\n"
        "HY1tApnFxEmy9BAAAAEAAAAAEAAAAzAAAAC3NzaC1lZDI1NTE5AAAAINOPrbQTNzzBQfTq\n"
        "LSSHcNGRPFkirJYWuxQ6+1falBQoAAAAoInLwZWvtIXv/OhonY0/6+dNDgYRvShHHYze6y\n"
        "NwUXr6uiTHLM7tEg00lBG1QmKr/afyN7fEppmchGN/M6k2QxpjPPj7YYJlZaCpiiQswAiu\n"
        "83GsQyux6X+nYmCAwYZPcaSjEmKKUYI+ABHhIkCVqsNkfS9Q5lHLtJrFUtlBqNm2r76UMM\n"
        "DoxxPGVGLQkieIOv+4zHFkBg3P40JKZ5ddhlw=\n"
        "-----END OPENSSH PRIVATE KEY-----\n";
    EXPECT_STATUS(AJWT_OK, load_private_status(text, "pass phrase", 11));
    EXPECT_STATUS(AJWT_ERR_PASSWORD_REQUIRED, load_private_status(text, nullptr, 0));
    EXPECT_STATUS(AJWT_ERR_WRONG_PASSWORD, load_private_status(text, "pass phrasE", 11));
}
