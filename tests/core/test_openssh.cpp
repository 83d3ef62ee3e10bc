// OpenSSH public key lines and "OPENSSH PRIVATE KEY" files: compat keys, hand-built wire
// format edge cases, and keys written by the real ssh-keygen.
#include <gtest/gtest.h>

#include <sys/stat.h>
#include <unistd.h>

#include <cctype>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include <openssl/core_names.h>
#include <openssl/evp.h>

#include "base64url.hpp"
#include "bcrypt_pbkdf.hpp"
#include "error.hpp"
#include "key.hpp"
#include "key_io.hpp"
#include "openssh.hpp"
#include "status_of.hpp"
#include "test_vectors.hpp"

namespace {

using ajwt::KeyPtr;

using ajwt_test::status_of;

template <typename F>
std::string message_of(F&& f) {
    try {
        f();
    } catch (const ajwt::Error& error) {
        return error.what();
    }
    return {};
}

// Builds SSH wire format (RFC 4251 §5) by hand, independently of the code under test.
struct Wire {
    std::string bytes;
    Wire& u32(uint32_t value) {
        for (int shift = 24; shift >= 0; shift -= 8) bytes += static_cast<char>((value >> shift) & 0xff);
        return *this;
    }
    Wire& str(std::string_view value) {
        u32(static_cast<uint32_t>(value.size()));
        bytes += value;
        return *this;
    }
    Wire& raw(std::string_view value) {
        bytes += value;
        return *this;
    }
};

std::string line_of(std::string_view word, const std::string& blob, std::string_view comment = "") {
    std::string line = std::string(word) + " " + ajwt::base64_encode(blob);
    if (!comment.empty()) line += " " + std::string(comment);
    return line;
}

std::string raw_public(const ajwt::Key& key) {
    unsigned char raw[64];
    size_t size = sizeof raw;
    EXPECT_EQ(EVP_PKEY_get_raw_public_key(key.pkey(), raw, &size), 1);
    return std::string(reinterpret_cast<char*>(raw), size);
}

std::string raw_private(const ajwt::Key& key) {
    unsigned char raw[64];
    size_t size = sizeof raw;
    EXPECT_EQ(EVP_PKEY_get_raw_private_key(key.pkey(), raw, &size), 1);
    return std::string(reinterpret_cast<char*>(raw), size);
}

std::string bn_param(const ajwt::Key& key, const char* name) { return ajwt::pkey_bn_bytes(key.pkey(), name); }

// mpint of a positive magnitude.
std::string mpint(const std::string& magnitude) {
    std::string value = magnitude;
    if (!value.empty() && (static_cast<unsigned char>(value[0]) & 0x80)) value.insert(value.begin(), '\0');
    return Wire().str(value).bytes;
}

std::string ec_point(const ajwt::Key& key) {
    ajwt::EcCoordinates xy = ajwt::ec_public_coordinates(key);
    return "\x04" + xy.x + xy.y;
}

const KeyPtr& ed25519_key() {
    static const KeyPtr key = ajwt::generate_key(AJWT_KEY_ED25519, 0, 0);
    return key;
}

const KeyPtr& p256_key() {
    static const KeyPtr key = ajwt::generate_key(AJWT_KEY_EC_P256, 0, 0);
    return key;
}

std::string ed25519_blob(const ajwt::Key& key) { return Wire().str("ssh-ed25519").str(raw_public(key)).bytes; }

// "-----BEGIN OPENSSH PRIVATE KEY-----" around a body, 70 base64 characters a line like ssh-keygen.
std::string armor(const std::string& body) {
    const std::string b64 = ajwt::base64_encode(body);
    std::string out = "-----BEGIN OPENSSH PRIVATE KEY-----\n";
    for (size_t i = 0; i < b64.size(); i += 70) out += b64.substr(i, 70) + "\n";
    return out + "-----END OPENSSH PRIVATE KEY-----\n";
}

struct PrivateFile {
    std::string cipher = "none";
    std::string kdf = "none";
    std::string kdf_options;
    uint32_t count = 1;
    std::string public_blob;
    std::string section;
    std::string trailer;

    std::string text() const {
        Wire wire;
        wire.raw(std::string_view("openssh-key-v1\0", 15)).str(cipher).str(kdf).str(kdf_options).u32(count);
        wire.str(public_blob).str(section).raw(trailer);
        return armor(wire.bytes);
    }
};

// The private section of an Ed25519 key, padded to 8 bytes with 1, 2, 3, ...
std::string ed25519_section(const ajwt::Key& key, uint32_t check1, uint32_t check2, const std::string& comment,
                            bool good_padding = true) {
    Wire wire;
    wire.u32(check1).u32(check2).str("ssh-ed25519").str(raw_public(key)).str(raw_private(key) + raw_public(key));
    wire.str(comment);
    for (char pad = 1; wire.bytes.size() % 8 != 0; ++pad) wire.bytes += good_padding ? pad : '\0';
    return wire.bytes;
}

PrivateFile ed25519_file(const ajwt::Key& key, const std::string& comment = "me@host") {
    PrivateFile file;
    file.public_blob = ed25519_blob(key);
    file.section = ed25519_section(key, 0x01020304, 0x01020304, comment);
    return file;
}

// ---- compat -------------------------------------------------------------------------

TEST(OpenSshCompat, PublicLinesLoadWithComment) {
    for (const char* name : {"rsa_openssh", "ed25519_openssh"}) {
        SCOPED_TRACE(name);
        const auto& entry = ajwt_test::compat_vectors()["public_keys"][name];
        const std::string text = entry["text"].get<std::string>();
        for (ajwt_key_format format : {AJWT_FORMAT_ANY, AJWT_FORMAT_OPENSSH}) {
            KeyPtr key = ajwt::load_public_key(text, format);
            EXPECT_EQ(key->comment(), entry["comment"].get<std::string>());
            EXPECT_EQ(ajwt::key_type_name(key->type()), entry["type"].get<std::string>());
            EXPECT_FALSE(key->is_private());
            // Written back byte for byte, comment included.
            EXPECT_EQ(ajwt::to_openssh_public(*key), text);
        }
        EXPECT_EQ(ajwt::parse_openssh_public(text)->comment(), "crgwbr@foo");
    }
    EXPECT_EQ(ajwt::load_public_key(
                  ajwt_test::compat_vectors()["public_keys"]["rsa_openssh"]["text"].get<std::string>(), AJWT_FORMAT_ANY)
                  ->bits(),
              4096u);
}

TEST(OpenSshCompat, InvalidLinesFail) {
    for (const char* name : {"rsa_openssh", "ed25519_openssh"}) {
        const std::string text = ajwt_test::compat_vectors()["invalid_public_keys"][name].get<std::string>();
        EXPECT_EQ(status_of([&] { ajwt::parse_openssh_public(text); }), AJWT_ERR_KEY_PARSE) << name;
    }
}

// ---- public lines -------------------------------------------------------------------

TEST(OpenSshPublic, LooksLike) {
    EXPECT_TRUE(ajwt::looks_like_openssh_public("ssh-ed25519 AAAA"));
    EXPECT_TRUE(ajwt::looks_like_openssh_public("  ecdsa-sha2-nistp521\tAAAA"));
    EXPECT_FALSE(ajwt::looks_like_openssh_public("ssh-ed25519"));
    EXPECT_FALSE(ajwt::looks_like_openssh_public("ssh-dss AAAA"));
    EXPECT_FALSE(ajwt::looks_like_openssh_public("-----BEGIN PUBLIC KEY-----"));
    EXPECT_FALSE(ajwt::looks_like_openssh_public(""));
}

TEST(OpenSshPublic, CommentHandling) {
    const KeyPtr& key = ed25519_key();
    const std::string blob = ed25519_blob(*key);
    KeyPtr bare = ajwt::parse_openssh_public(line_of("ssh-ed25519", blob));
    EXPECT_EQ(bare->comment(), "");
    EXPECT_EQ(ajwt::to_openssh_public(*bare), line_of("ssh-ed25519", blob));
    KeyPtr spaced = ajwt::parse_openssh_public("ssh-ed25519\t" + ajwt::base64_encode(blob) + "   my key  here  \n");
    EXPECT_EQ(spaced->comment(), "my key  here");
    EXPECT_EQ(spaced->fingerprint(), key->fingerprint());
    EXPECT_EQ(ajwt::to_openssh_public(*spaced), line_of("ssh-ed25519", blob, "my key  here"));
}

TEST(OpenSshPublic, EveryTypeRoundTrips) {
    for (ajwt_key_type type :
         {AJWT_KEY_RSA, AJWT_KEY_ED25519, AJWT_KEY_ED448, AJWT_KEY_EC_P256, AJWT_KEY_EC_P384, AJWT_KEY_EC_P521}) {
        SCOPED_TRACE(ajwt::key_type_name(type));
        KeyPtr key = type == AJWT_KEY_ED25519 ? ed25519_key() : ajwt::generate_key(type, 0, 0);
        const std::string line = ajwt::to_openssh_public(*key);
        EXPECT_EQ(line.find('\n'), std::string::npos);
        KeyPtr loaded = ajwt::parse_openssh_public(line + " comment");
        EXPECT_EQ(loaded->type(), type);
        EXPECT_EQ(loaded->fingerprint(), key->fingerprint());
        EXPECT_EQ(ajwt::to_openssh_public(*loaded), line + " comment");
    }
}

TEST(OpenSshPublic, HandBuiltBlobsMatchTheExport) {
    const KeyPtr& ed = ed25519_key();
    EXPECT_EQ(ajwt::to_openssh_public(*ed), line_of("ssh-ed25519", ed25519_blob(*ed)));
    const KeyPtr& ec = p256_key();
    EXPECT_EQ(
        ajwt::to_openssh_public(*ec),
        line_of("ecdsa-sha2-nistp256", Wire().str("ecdsa-sha2-nistp256").str("nistp256").str(ec_point(*ec)).bytes));
}

TEST(OpenSshPublic, StrictWireFormat) {
    const KeyPtr& ed = ed25519_key();
    const std::string pub = raw_public(*ed);
    auto parse = [](const std::string& line) { return status_of([&] { ajwt::parse_openssh_public(line); }); };
    // Type inside the blob must match the word.
    EXPECT_EQ(parse(line_of("ssh-rsa", ed25519_blob(*ed))), AJWT_ERR_KEY_PARSE);
    // No trailing bytes, no truncation, lengths that stay inside the blob.
    EXPECT_EQ(parse(line_of("ssh-ed25519", ed25519_blob(*ed) + "x")), AJWT_ERR_KEY_PARSE);
    EXPECT_EQ(parse(line_of("ssh-ed25519", ed25519_blob(*ed).substr(0, 40))), AJWT_ERR_KEY_PARSE);
    EXPECT_EQ(parse(line_of("ssh-ed25519", Wire().str("ssh-ed25519").u32(0xffffffff).raw(pub).bytes)),
              AJWT_ERR_KEY_PARSE);
    EXPECT_EQ(parse(line_of("ssh-ed25519", Wire().u32(0x7fffffff).bytes)), AJWT_ERR_KEY_PARSE);
    EXPECT_EQ(parse(line_of("ssh-ed25519", "")), AJWT_ERR_KEY_PARSE);
    EXPECT_EQ(parse(line_of("ssh-ed25519", Wire().str("ssh-ed25519").str(pub.substr(1)).bytes)), AJWT_ERR_KEY_PARSE);
    // Base64 and layout.
    EXPECT_EQ(parse("ssh-ed25519 AAAA!!!!"), AJWT_ERR_KEY_PARSE);
    EXPECT_EQ(parse("ssh-ed25519 " + ajwt::base64_encode(ed25519_blob(*ed)).substr(1)), AJWT_ERR_KEY_PARSE);
    EXPECT_EQ(parse("ssh-ed25519"), AJWT_ERR_KEY_PARSE);
    EXPECT_EQ(parse("ssh-ed25519   "), AJWT_ERR_KEY_PARSE);
    EXPECT_EQ(parse(line_of("ssh-ed25519", ed25519_blob(*ed)) + "\n" + line_of("ssh-ed25519", ed25519_blob(*ed))),
              AJWT_ERR_KEY_PARSE);
    EXPECT_EQ(parse("-----BEGIN PUBLIC KEY-----"), AJWT_ERR_KEY_PARSE);
    EXPECT_EQ(parse("from=\"10.0.0.1\" " + line_of("ssh-ed25519", ed25519_blob(*ed))), AJWT_ERR_KEY_PARSE);
    // Unsupported types are told apart from garbage.
    EXPECT_EQ(parse("ssh-dss AAAAB3NzaC1kc3MAAACBAP"), AJWT_ERR_KEY_UNSUPPORTED);
    EXPECT_EQ(parse("sk-ssh-ed25519@openssh.com AAAA"), AJWT_ERR_KEY_UNSUPPORTED);
    EXPECT_EQ(parse("ecdsa-sha2-nistp192 AAAA"), AJWT_ERR_KEY_UNSUPPORTED);
}

TEST(OpenSshPublic, RsaMpints) {
    KeyPtr rsa = ajwt::generate_key(AJWT_KEY_RSA, 2048, 0);
    const std::string n = bn_param(*rsa, OSSL_PKEY_PARAM_RSA_N);
    const std::string e = bn_param(*rsa, OSSL_PKEY_PARAM_RSA_E);
    auto blob = [](const std::string& e_field, const std::string& n_field) {
        return Wire().str("ssh-rsa").raw(e_field).raw(n_field).bytes;
    };
    auto parse = [](const std::string& b) {
        return status_of([&] { ajwt::parse_openssh_public(line_of("ssh-rsa", b)); });
    };
    EXPECT_EQ(ajwt::parse_openssh_public(line_of("ssh-rsa", blob(mpint(e), mpint(n))))->fingerprint(),
              rsa->fingerprint());
    EXPECT_EQ(parse(blob(mpint(e), Wire().str(n).bytes)), AJWT_ERR_KEY_PARSE);  // n reads as negative
    EXPECT_EQ(parse(blob(Wire().str(std::string(1, '\0') + e).bytes, mpint(n))), AJWT_ERR_KEY_PARSE);  // non-minimal e
    EXPECT_EQ(parse(blob(Wire().str(std::string("\0", 1)).bytes, mpint(n))), AJWT_ERR_KEY_PARSE);      // zero as 00
    EXPECT_EQ(parse(blob(Wire().str("").bytes, mpint(n))), AJWT_ERR_KEY_PARSE);                        // e = 0
    EXPECT_EQ(parse(blob(mpint(std::string("\x01", 1)), mpint(n))), AJWT_ERR_KEY_PARSE);               // e = 1
    EXPECT_EQ(parse(blob(mpint(e), mpint(n).substr(0, 100))), AJWT_ERR_KEY_PARSE);
    // A 1024-bit modulus is refused for its size.
    KeyPtr reference = rsa;
    ajwt::EvpPkeyPtr small(EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", static_cast<size_t>(1024)));
    std::string small_n = ajwt::pkey_bn_bytes(small.get(), OSSL_PKEY_PARAM_RSA_N);
    EXPECT_EQ(parse(blob(mpint(e), mpint(small_n))), AJWT_ERR_KEY_TOO_SMALL);
}

TEST(OpenSshPublic, EcdsaPointAndCurve) {
    const KeyPtr& ec = p256_key();
    std::string point = ec_point(*ec);
    auto blob = [](std::string_view word, std::string_view curve, const std::string& q) {
        return Wire().str(word).str(curve).str(q).bytes;
    };
    auto parse = [](std::string_view word, const std::string& b) {
        return status_of([&] { ajwt::parse_openssh_public(line_of(word, b)); });
    };
    EXPECT_EQ(parse("ecdsa-sha2-nistp256", blob("ecdsa-sha2-nistp256", "nistp256", point)), AJWT_OK);
    EXPECT_EQ(parse("ecdsa-sha2-nistp256", blob("ecdsa-sha2-nistp256", "nistp384", point)), AJWT_ERR_KEY_PARSE);
    EXPECT_EQ(parse("ecdsa-sha2-nistp384", blob("ecdsa-sha2-nistp384", "nistp384", point)), AJWT_ERR_KEY_PARSE);
    std::string off_curve = point;
    off_curve.back() = static_cast<char>(off_curve.back() ^ 1);
    EXPECT_EQ(parse("ecdsa-sha2-nistp256", blob("ecdsa-sha2-nistp256", "nistp256", off_curve)), AJWT_ERR_KEY_PARSE);
    std::string compressed = std::string(1, static_cast<char>(0x02 + (point.back() & 1))) + point.substr(1, 32);
    EXPECT_EQ(parse("ecdsa-sha2-nistp256", blob("ecdsa-sha2-nistp256", "nistp256", compressed)), AJWT_ERR_KEY_PARSE);
    EXPECT_EQ(parse("ecdsa-sha2-nistp256", blob("ecdsa-sha2-nistp256", "nistp256", std::string(65, '\0'))),
              AJWT_ERR_KEY_PARSE);
}

TEST(OpenSshPublic, Ed448UsesRfc8709Name) {
    KeyPtr key = ajwt::generate_key(AJWT_KEY_ED448, 0, 0);
    EXPECT_EQ(ajwt::to_openssh_public(*key), line_of("ssh-ed448", Wire().str("ssh-ed448").str(raw_public(*key)).bytes));
}

// ---- private files, hand-built ------------------------------------------------------

TEST(OpenSshPrivate, HandBuiltEd25519Loads) {
    const KeyPtr& key = ed25519_key();
    const std::string text = ed25519_file(*key).text();
    EXPECT_TRUE(ajwt::looks_like_openssh_private("\n" + text));
    KeyPtr loaded = ajwt::load_private_key("\n" + text, std::nullopt);
    EXPECT_TRUE(loaded->is_private());
    EXPECT_EQ(loaded->type(), AJWT_KEY_ED25519);
    EXPECT_EQ(loaded->comment(), "me@host");
    EXPECT_EQ(loaded->fingerprint(), key->fingerprint());
    EXPECT_EQ(raw_private(*loaded), raw_private(*key));
    // It is a private key: public loaders refuse it.
    EXPECT_EQ(status_of([&] { ajwt::load_public_key(text, AJWT_FORMAT_ANY); }), AJWT_ERR_PRIVATE_KEY_GIVEN);
    EXPECT_EQ(status_of([&] { ajwt::load_public_key(text, AJWT_FORMAT_PEM); }), AJWT_ERR_PRIVATE_KEY_GIVEN);
}

TEST(OpenSshPrivate, TamperedFilesAreRefused) {
    const KeyPtr& key = ed25519_key();
    auto load = [](const PrivateFile& file) { return status_of([&] { ajwt::parse_openssh_private(file.text()); }); };
    {
        PrivateFile file = ed25519_file(*key);
        file.section = ed25519_section(*key, 1, 2, "c");
        EXPECT_EQ(load(file), AJWT_ERR_KEY_PARSE) << "check integers differ";
        EXPECT_NE(message_of([&] { ajwt::parse_openssh_private(file.text()); }).find("check"), std::string::npos);
    }
    {
        PrivateFile file = ed25519_file(*key);
        file.section = ed25519_section(*key, 7, 7, "comment!", false);
        EXPECT_EQ(load(file), AJWT_ERR_KEY_PARSE) << "bad padding";
    }
    {
        PrivateFile file = ed25519_file(*key);
        file.public_blob = ed25519_blob(*ajwt::generate_key(AJWT_KEY_ED25519, 0, 0));
        EXPECT_EQ(load(file), AJWT_ERR_KEY_PARSE) << "public blob of another key";
    }
    {
        PrivateFile file = ed25519_file(*key);
        file.count = 2;
        EXPECT_EQ(load(file), AJWT_ERR_KEY_PARSE) << "two keys";
    }
    {
        PrivateFile file = ed25519_file(*key);
        file.trailer = "junk";
        EXPECT_EQ(load(file), AJWT_ERR_KEY_PARSE) << "trailing bytes";
    }
    {
        PrivateFile file = ed25519_file(*key);
        file.section += "x";
        EXPECT_EQ(load(file), AJWT_ERR_KEY_PARSE) << "not block aligned";
    }
    {
        PrivateFile file = ed25519_file(*key);
        file.kdf_options = "xx";
        EXPECT_EQ(load(file), AJWT_ERR_KEY_PARSE) << "kdf options without kdf";
    }
    {
        // The seed's public half must be the stated public key.
        Wire wire;
        std::string other = raw_public(*ajwt::generate_key(AJWT_KEY_ED25519, 0, 0));
        wire.u32(5).u32(5).str("ssh-ed25519").str(raw_public(*key)).str(raw_private(*key) + other).str("c");
        for (char pad = 1; wire.bytes.size() % 8 != 0; ++pad) wire.bytes += pad;
        PrivateFile file = ed25519_file(*key);
        file.section = wire.bytes;
        EXPECT_EQ(load(file), AJWT_ERR_KEY_PARSE) << "inconsistent Ed25519 halves";
    }
    {
        PrivateFile file = ed25519_file(*key);
        std::string text = file.text();
        EXPECT_EQ(status_of([&] { ajwt::parse_openssh_private(text.substr(0, text.size() / 2)); }), AJWT_ERR_KEY_PARSE);
        std::string no_magic = armor("openssh-key-v2");
        EXPECT_EQ(status_of([&] { ajwt::parse_openssh_private(no_magic); }), AJWT_ERR_KEY_PARSE);
        EXPECT_EQ(status_of([&] { ajwt::parse_openssh_private(armor("")); }), AJWT_ERR_KEY_PARSE);
    }
}

// ---- encrypted private keys (made here; ssh-keygen's own further down) -----------------

// The Ed25519 section padded to the AES block, encrypted as ssh-keygen does: bcrypt_pbkdf gives
// key then IV; GCM appends its tag after the section.
PrivateFile encrypted_ed25519_file(const ajwt::Key& key, const std::string& password, const std::string& cipher_name,
                                   uint32_t rounds, uint32_t check1 = 7, uint32_t check2 = 7) {
    struct Mode {
        const char* name;
        const EVP_CIPHER* cipher;
        size_t key_size, iv_size, tag_size;
    };
    const Mode modes[] = {{"aes256-ctr", EVP_aes_256_ctr(), 32, 16, 0},
                          {"aes128-ctr", EVP_aes_128_ctr(), 16, 16, 0},
                          {"aes256-cbc", EVP_aes_256_cbc(), 32, 16, 0},
                          {"aes256-gcm@openssh.com", EVP_aes_256_gcm(), 32, 12, 16}};
    const Mode* mode = nullptr;
    for (const Mode& m : modes)
        if (cipher_name == m.name) mode = &m;
    EXPECT_NE(mode, nullptr) << cipher_name;
    PrivateFile file = ed25519_file(key);
    Wire section;
    section.u32(check1).u32(check2).str("ssh-ed25519").str(raw_public(key)).str(raw_private(key) + raw_public(key));
    section.str("me@host");
    for (char pad = 1; section.bytes.size() % 16 != 0; ++pad) section.bytes += pad;
    const std::string salt = "0123456789abcdef";
    unsigned char key_iv[48];
    ajwt::bcrypt_pbkdf(password, salt, rounds, key_iv, mode->key_size + mode->iv_size);
    ajwt::OpenSslPtr<EVP_CIPHER_CTX, EVP_CIPHER_CTX_free> ctx(EVP_CIPHER_CTX_new());
    std::string encrypted(section.bytes.size() + 16, '\0');
    int written = 0, final_written = 0;
    EXPECT_EQ(EVP_EncryptInit_ex(ctx.get(), mode->cipher, nullptr, nullptr, nullptr), 1);
    if (mode->tag_size)
        EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_IVLEN, static_cast<int>(mode->iv_size), nullptr);
    EXPECT_EQ(EVP_EncryptInit_ex(ctx.get(), nullptr, nullptr, key_iv, key_iv + mode->key_size), 1);
    EVP_CIPHER_CTX_set_padding(ctx.get(), 0);
    EXPECT_EQ(EVP_EncryptUpdate(ctx.get(), reinterpret_cast<unsigned char*>(encrypted.data()), &written,
                                reinterpret_cast<const unsigned char*>(section.bytes.data()),
                                static_cast<int>(section.bytes.size())),
              1);
    EXPECT_EQ(
        EVP_EncryptFinal_ex(ctx.get(), reinterpret_cast<unsigned char*>(encrypted.data()) + written, &final_written),
        1);
    encrypted.resize(static_cast<size_t>(written + final_written));
    file.cipher = cipher_name;
    file.kdf = "bcrypt";
    file.kdf_options = Wire().str(salt).u32(rounds).bytes;
    file.section = encrypted;
    if (mode->tag_size) {
        file.trailer.assign(mode->tag_size, '\0');
        EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_GET_TAG, static_cast<int>(mode->tag_size), file.trailer.data());
    }
    return file;
}

ajwt_status load_status(const std::string& text, std::optional<std::string_view> password) {
    return status_of([&] { ajwt::load_private_key(text, password); });
}

TEST(OpenSshPrivate, EncryptedLoadsWithItsPassword) {
    const KeyPtr key = ed25519_key();
    for (const char* cipher : {"aes256-ctr", "aes128-ctr", "aes256-cbc", "aes256-gcm@openssh.com"}) {
        SCOPED_TRACE(cipher);
        const std::string text = encrypted_ed25519_file(*key, "pass phrase", cipher, 2).text();
        const KeyPtr loaded = ajwt::load_private_key(text, std::string_view("pass phrase"));
        EXPECT_TRUE(loaded->is_private());
        EXPECT_EQ(loaded->fingerprint(), key->fingerprint());
        EXPECT_EQ(loaded->comment(), "me@host");
        EXPECT_EQ(load_status(text, std::nullopt), AJWT_ERR_PASSWORD_REQUIRED);
        EXPECT_EQ(load_status(text, std::string_view("pass phrasf")), AJWT_ERR_WRONG_PASSWORD);
        EXPECT_EQ(load_status(text, std::string_view("")), AJWT_ERR_WRONG_PASSWORD);
    }
}

TEST(OpenSshPrivate, DifferingCheckIntegersAfterDecryptionAreAWrongPassword) {
    const std::string text = encrypted_ed25519_file(*ed25519_key(), "pw", "aes256-ctr", 1, 7, 8).text();
    EXPECT_EQ(load_status(text, std::string_view("pw")), AJWT_ERR_WRONG_PASSWORD);
}

TEST(OpenSshPrivate, UnsupportedCipherOrKdfIsRefusedWithAdvice) {
    PrivateFile file = encrypted_ed25519_file(*ed25519_key(), "pw", "aes256-ctr", 1);
    file.cipher = "3des-cbc";
    EXPECT_EQ(load_status(file.text(), std::string_view("pw")), AJWT_ERR_ENCRYPTED_OPENSSH_KEY);
    const std::string message = message_of([&] { ajwt::load_private_key(file.text(), std::nullopt); });
    EXPECT_NE(message.find("3des-cbc"), std::string::npos) << message;
    EXPECT_NE(message.find("ssh-keygen -p -Z aes256-ctr -f KEY"), std::string::npos) << message;
    file.cipher = "aes256-ctr";
    file.kdf = "scrypt";
    EXPECT_EQ(load_status(file.text(), std::string_view("pw")), AJWT_ERR_ENCRYPTED_OPENSSH_KEY);
    file.kdf = "none";  // a cipher without a KDF
    EXPECT_EQ(load_status(file.text(), std::string_view("pw")), AJWT_ERR_ENCRYPTED_OPENSSH_KEY);
    file.cipher = "none";
    file.kdf = "bcrypt";  // a KDF without a cipher
    EXPECT_EQ(load_status(file.text(), std::string_view("pw")), AJWT_ERR_KEY_PARSE);
}

TEST(OpenSshPrivate, BcryptRoundsAreCapped) {
    PrivateFile file = encrypted_ed25519_file(*ed25519_key(), "pw", "aes256-ctr", 1);
    for (uint32_t rounds : {ajwt::kMaxBcryptRounds + 1, uint32_t{0xffffffff}}) {
        file.kdf_options = Wire().str("0123456789abcdef").u32(rounds).bytes;
        // Refused before any work: with or without a password, a wrong one included.
        EXPECT_EQ(load_status(file.text(), std::string_view("pw")), AJWT_ERR_KEY_UNSUPPORTED) << rounds;
        EXPECT_EQ(load_status(file.text(), std::nullopt), AJWT_ERR_KEY_UNSUPPORTED) << rounds;
        const std::string message = message_of([&] { ajwt::load_private_key(file.text(), std::string_view("x")); });
        EXPECT_NE(message.find("bcrypt rounds"), std::string::npos) << message;
    }
    file.kdf_options = Wire().str("0123456789abcdef").u32(0).bytes;
    EXPECT_EQ(load_status(file.text(), std::string_view("pw")), AJWT_ERR_KEY_PARSE);
}

TEST(OpenSshPrivate, MalformedEncryptedStructure) {
    const PrivateFile good = encrypted_ed25519_file(*ed25519_key(), "pw", "aes256-gcm@openssh.com", 1);
    ASSERT_EQ(load_status(good.text(), std::string_view("pw")), AJWT_OK);
    const std::vector<std::pair<const char*, std::function<void(PrivateFile&)>>> cases = {
        {"empty salt", [](PrivateFile& f) { f.kdf_options = Wire().str("").u32(1).bytes; }},
        {"no rounds", [](PrivateFile& f) { f.kdf_options = Wire().str("salt").bytes; }},
        {"bytes after the options", [](PrivateFile& f) { f.kdf_options += "x"; }},
        {"empty options", [](PrivateFile& f) { f.kdf_options.clear(); }},
        {"missing tag", [](PrivateFile& f) { f.trailer.clear(); }},
        {"short tag", [](PrivateFile& f) { f.trailer.pop_back(); }},
        {"long tag", [](PrivateFile& f) { f.trailer += "x"; }},
        {"section off the block size", [](PrivateFile& f) { f.section.resize(f.section.size() - 8); }},
        {"empty section", [](PrivateFile& f) { f.section.clear(); }},
    };
    for (const auto& [name, mutate] : cases) {
        PrivateFile file = good;
        mutate(file);
        EXPECT_EQ(load_status(file.text(), std::string_view("pw")), AJWT_ERR_KEY_PARSE) << name;
    }
    // A tampered section or tag fails GCM's check: told as a wrong password, as OpenSSH does.
    PrivateFile tampered = good;
    tampered.section[3] ^= 1;
    EXPECT_EQ(load_status(tampered.text(), std::string_view("pw")), AJWT_ERR_WRONG_PASSWORD);
    tampered = good;
    tampered.trailer[0] ^= 1;
    EXPECT_EQ(load_status(tampered.text(), std::string_view("pw")), AJWT_ERR_WRONG_PASSWORD);
}

// Every truncation and every flipped byte (sampled in the sections) of an encrypted file gets a status, never a
// crash or a wrong key; with the right password CTR has no integrity, so a flipped byte in the
// section may still decode (to a key that then fails its own consistency checks).
TEST(OpenSshPrivate, EncryptedMutationsNeverCrash) {
    const KeyPtr key = ed25519_key();
    for (const char* cipher : {"aes256-ctr", "aes256-gcm@openssh.com"}) {
        SCOPED_TRACE(cipher);
        const PrivateFile file = encrypted_ed25519_file(*key, "pw", cipher, 1);
        const std::string text = file.text();
        for (size_t cut = 0; cut + 1 < text.size(); cut += 3) {
            const ajwt_status status = load_status(text.substr(0, cut), std::string_view("pw"));
            EXPECT_EQ(status, AJWT_ERR_KEY_PARSE) << "cut " << cut;
        }
        Wire wire;
        wire.raw(std::string_view("openssh-key-v1\0", 15)).str(file.cipher).str(file.kdf).str(file.kdf_options).u32(1);
        wire.str(file.public_blob).str(file.section).raw(file.trailer);
        // Every byte up to the sections (magic, cipher, KDF and its options: what decides the
        // work done), then every third byte (each decryption runs the KDF, slow under the sanitizers).
        const size_t sections_start =
            wire.bytes.size() - file.public_blob.size() - file.section.size() - file.trailer.size() - 8;
        for (size_t i = 0; i < wire.bytes.size(); i += (i < sections_start ? 1 : 3)) {
            std::string body = wire.bytes;
            body[i] = static_cast<char>(body[i] ^ 0x41);
            KeyPtr loaded;
            const ajwt_status status = status_of([&] { loaded = ajwt::parse_openssh_private(armor(body), "pw"); });
            EXPECT_TRUE(status == AJWT_OK || status == AJWT_ERR_KEY_PARSE || status == AJWT_ERR_KEY_UNSUPPORTED ||
                        status == AJWT_ERR_ENCRYPTED_OPENSSH_KEY || status == AJWT_ERR_WRONG_PASSWORD)
                << status << " at " << i;
            if (status == AJWT_OK) EXPECT_EQ(loaded->fingerprint(), key->fingerprint()) << "at " << i;
        }
    }
}

TEST(OpenSshPrivate, TruncationsNeverCrash) {
    const std::string text = ed25519_file(*ed25519_key()).text();
    for (size_t cut = 0; cut + 1 < text.size(); ++cut) {  // the full text minus its final newline still loads
        ajwt_status status = status_of([&] { ajwt::load_private_key(text.substr(0, cut), std::nullopt); });
        EXPECT_EQ(status, AJWT_ERR_KEY_PARSE) << "cut " << cut;
    }
    // Every single decoded byte changed: refused or (padding/comment/check-int values) still the same key.
    PrivateFile file = ed25519_file(*ed25519_key());
    Wire wire;
    wire.raw(std::string_view("openssh-key-v1\0", 15)).str(file.cipher).str(file.kdf).str("").u32(1);
    wire.str(file.public_blob).str(file.section);
    for (size_t i = 0; i < wire.bytes.size(); ++i) {
        std::string body = wire.bytes;
        body[i] = static_cast<char>(body[i] ^ 0x41);
        ajwt_status status = status_of([&] { ajwt::parse_openssh_private(armor(body)); });
        EXPECT_TRUE(status == AJWT_OK || status == AJWT_ERR_KEY_PARSE || status == AJWT_ERR_KEY_UNSUPPORTED ||
                    status == AJWT_ERR_ENCRYPTED_OPENSSH_KEY)
            << status << " at " << i;
    }
}

// ---- the real ssh-keygen ------------------------------------------------------------

class TempDir {
public:
    TempDir() {
        char pattern[] = "/tmp/ajwt-ssh-XXXXXX";
        const char* made = mkdtemp(pattern);
        if (made) path_ = made;
    }
    ~TempDir() {
        if (!path_.empty()) std::filesystem::remove_all(path_);
    }
    const std::string& path() const { return path_; }

private:
    std::string path_;
};

std::string read_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

void write_file(const std::string& path, const std::string& text) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << text;
    out.close();
    chmod(path.c_str(), 0600);
}

int run(const std::string& command) { return std::system((command + " >/dev/null 2>&1").c_str()); }

std::string run_output(const std::string& command, const std::string& output_file) {
    if (std::system((command + " >" + output_file + " 2>/dev/null").c_str()) != 0) return {};
    return read_file(output_file);
}

std::string trim(std::string text) {
    while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) text.pop_back();
    return text;
}

// Signs with OpenSSL directly (SHA-256, or none for EdDSA) and verifies with the other key.
bool signs_for(const ajwt::Key& private_key, const ajwt::Key& public_key) {
    const bool eddsa = private_key.type() == AJWT_KEY_ED25519 || private_key.type() == AJWT_KEY_ED448;
    const EVP_MD* md = eddsa ? nullptr : EVP_sha256();
    const std::string message = "libajwt";
    ajwt::EvpMdCtxPtr sign(EVP_MD_CTX_new());
    size_t size = 0;
    if (EVP_DigestSignInit(sign.get(), nullptr, md, nullptr, private_key.pkey()) != 1 ||
        EVP_DigestSign(sign.get(), nullptr, &size, reinterpret_cast<const unsigned char*>(message.data()),
                       message.size()) != 1)
        return false;
    std::vector<unsigned char> signature(size);
    if (EVP_DigestSign(sign.get(), signature.data(), &size, reinterpret_cast<const unsigned char*>(message.data()),
                       message.size()) != 1)
        return false;
    ajwt::EvpMdCtxPtr verify(EVP_MD_CTX_new());
    return EVP_DigestVerifyInit(verify.get(), nullptr, md, nullptr, public_key.pkey()) == 1 &&
           EVP_DigestVerify(verify.get(), signature.data(), size,
                            reinterpret_cast<const unsigned char*>(message.data()), message.size()) == 1;
}

constexpr const char* kSshKeygen = "/usr/bin/ssh-keygen";

class SshKeygen : public ::testing::Test {
protected:
    void SetUp() override {
        if (access(kSshKeygen, X_OK) != 0) GTEST_SKIP() << "ssh-keygen is not installed";
        ASSERT_FALSE(dir_.path().empty());
    }
    std::string file(const std::string& name) const { return dir_.path() + "/" + name; }
    std::string keygen(const std::string& args, const std::string& name, const std::string& passphrase = "") {
        const std::string path = file(name);
        const int status =
            run(std::string(kSshKeygen) + " -q " + args + " -N '" + passphrase + "' -C test@host -f " + path);
        EXPECT_EQ(status, 0) << args;
        return path;
    }

    TempDir dir_;
};

struct KeygenCase {
    const char* args;
    ajwt_key_type type;
};

const KeygenCase kKeygenCases[] = {{"-t ed25519", AJWT_KEY_ED25519},
                                   {"-t rsa -b 2048", AJWT_KEY_RSA},
                                   {"-t ecdsa -b 256", AJWT_KEY_EC_P256},
                                   {"-t ecdsa -b 384", AJWT_KEY_EC_P384},
                                   {"-t ecdsa -b 521", AJWT_KEY_EC_P521}};

TEST_F(SshKeygen, UnencryptedPrivateKeysLoad) {
    int index = 0;
    for (const auto& c : kKeygenCases) {
        SCOPED_TRACE(c.args);
        const std::string path = keygen(c.args, "key" + std::to_string(index++));
        const std::string private_text = read_file(path);
        ASSERT_EQ(private_text.rfind("-----BEGIN OPENSSH PRIVATE KEY-----", 0), 0u);
        KeyPtr key = ajwt::load_private_key(private_text, std::nullopt);
        EXPECT_TRUE(key->is_private());
        EXPECT_EQ(key->type(), c.type);
        EXPECT_EQ(key->comment(), "test@host");

        // Its .pub line loads to the same key, and our export of it is what ssh-keygen wrote.
        const std::string public_line = trim(read_file(path + ".pub"));
        KeyPtr pub = ajwt::load_public_key(public_line, AJWT_FORMAT_ANY);
        EXPECT_EQ(pub->fingerprint(), key->fingerprint());
        EXPECT_EQ(pub->fingerprint(), key->public_key(key)->fingerprint());
        EXPECT_EQ(pub->comment(), "test@host");
        EXPECT_EQ(ajwt::to_openssh_public(*key), public_line);

        // The assembled private key signs what the .pub key verifies (RSA: derived CRT values).
        EXPECT_TRUE(signs_for(*key, *pub));

        if (c.type == AJWT_KEY_ED25519) continue;  // ssh-keygen -e -m PKCS8 handles RSA and ECDSA only
        // ssh-keygen's own SPKI export has our fingerprint.
        const std::string spki = run_output(std::string(kSshKeygen) + " -e -m PKCS8 -f " + path + ".pub", file("spki"));
        ASSERT_FALSE(spki.empty());
        EXPECT_EQ(ajwt::load_public_key(spki, AJWT_FORMAT_PEM)->fingerprint(), key->fingerprint());
        if (c.type == AJWT_KEY_RSA) {
            const std::string pkcs1 =
                run_output(std::string(kSshKeygen) + " -e -m PEM -f " + path + ".pub", file("pkcs1"));
            ASSERT_EQ(pkcs1.rfind("-----BEGIN RSA PUBLIC KEY-----", 0), 0u);
            EXPECT_EQ(ajwt::load_public_key(pkcs1, AJWT_FORMAT_ANY)->fingerprint(), key->fingerprint());
        }
    }
}

TEST_F(SshKeygen, ReadsWhatWeWrite) {
    int index = 0;
    for (const auto& c : kKeygenCases) {
        SCOPED_TRACE(c.args);
        const std::string path = keygen(c.args, "mine" + std::to_string(index++));
        KeyPtr key = ajwt::load_private_key(read_file(path), std::nullopt);
        write_file(file("ours.pub"), ajwt::to_openssh_public(*key) + "\n");
        const std::string theirs = run_output(std::string(kSshKeygen) + " -l -f " + path + ".pub", file("l1"));
        const std::string ours = run_output(std::string(kSshKeygen) + " -l -f " + file("ours.pub"), file("l2"));
        ASSERT_FALSE(theirs.empty());
        EXPECT_EQ(ours, theirs);
        if (c.type != AJWT_KEY_ED25519) {  // ssh-keygen reads PKCS#8 only for RSA and ECDSA
            write_file(file("ours.pem"), ajwt::export_pkcs8(*key, std::nullopt));
            const std::string derived = run_output(std::string(kSshKeygen) + " -y -f " + file("ours.pem"), file("y"));
            const std::string line = ajwt::to_openssh_public(*key);
            EXPECT_EQ(trim(derived), line.substr(0, line.rfind(' ')));  // ssh-keygen -y prints no comment
        }
    }
}

// What ssh-keygen writes with a passphrase: its default (aes256-ctr today, 16 KDF rounds) for every
// key type it makes, and each other cipher it offers (the cipher does not depend on the key type,
// so one type each, with few rounds: every load runs bcrypt_pbkdf, which is slow under the sanitizers).
TEST_F(SshKeygen, EncryptedPrivateKeysLoad) {
    struct Case {
        std::string args;
        ajwt_key_type type;
    };
    std::vector<Case> cases;
    for (const auto& c : kKeygenCases) cases.push_back({c.args, c.type});
    for (const char* cipher : {"aes256-ctr", "aes128-ctr", "aes256-gcm@openssh.com", "aes128-gcm@openssh.com",
                               "aes256-cbc", "chacha20-poly1305@openssh.com"})
        cases.push_back({std::string("-t ed25519 -a 2 -Z ") + cipher, AJWT_KEY_ED25519});
    int index = 0;
    for (const auto& c : cases) {
        SCOPED_TRACE(c.args);
        const std::string path = keygen(c.args, "enc" + std::to_string(index++), "secret words");
        const std::string text = read_file(path);
        ASSERT_EQ(text.rfind("-----BEGIN OPENSSH PRIVATE KEY-----", 0), 0u);
        const KeyPtr key = ajwt::load_private_key(text, std::string_view("secret words"));
        EXPECT_TRUE(key->is_private());
        EXPECT_EQ(key->type(), c.type);
        EXPECT_EQ(key->comment(), "test@host");
        const KeyPtr pub = ajwt::load_public_key(read_file(path + ".pub"), AJWT_FORMAT_ANY);
        EXPECT_EQ(key->fingerprint(), pub->fingerprint());
        EXPECT_TRUE(signs_for(*key, *pub));
        EXPECT_EQ(load_status(text, std::nullopt), AJWT_ERR_PASSWORD_REQUIRED);
        EXPECT_EQ(load_status(text, std::string_view("secret word")), AJWT_ERR_WRONG_PASSWORD);
    }
}

TEST_F(SshKeygen, EncryptedKeyWithMoreRoundsAndConversions) {
    const std::string ed = keygen("-t ed25519 -a 64", "enc_ed", "secret");
    const std::string ec = keygen("-t ecdsa -b 256", "enc_ec", "secret");
    const KeyPtr expected_ed = ajwt::load_public_key(read_file(ed + ".pub"), AJWT_FORMAT_ANY);
    const KeyPtr expected_ec = ajwt::load_public_key(read_file(ec + ".pub"), AJWT_FORMAT_ANY);
    EXPECT_EQ(ajwt::load_private_key(read_file(ed), std::string_view("secret"))->fingerprint(),
              expected_ed->fingerprint());
    // A changed passphrase (ssh-keygen -p) is read with the new one only.
    ASSERT_EQ(run(std::string(kSshKeygen) + " -p -P secret -N secret3 -f " + ed), 0);
    EXPECT_EQ(ajwt::load_private_key(read_file(ed), std::string_view("secret3"))->fingerprint(),
              expected_ed->fingerprint());
    EXPECT_EQ(load_status(read_file(ed), std::string_view("secret")), AJWT_ERR_WRONG_PASSWORD);
    // "ssh-keygen -p -m PKCS8": an encrypted PKCS#8 file, loaded with its passphrase.
    ASSERT_EQ(run(std::string(kSshKeygen) + " -p -m PKCS8 -P secret -N secret2 -f " + ec), 0);
    const std::string converted = read_file(ec);
    ASSERT_EQ(converted.rfind("-----BEGIN ENCRYPTED PRIVATE KEY-----", 0), 0u);
    EXPECT_EQ(ajwt::load_private_key(converted, std::string_view("secret2"))->fingerprint(),
              expected_ec->fingerprint());
    EXPECT_EQ(status_of([&] { ajwt::load_private_key(converted, std::string_view("secret")); }),
              AJWT_ERR_WRONG_PASSWORD);
    EXPECT_EQ(status_of([&] { ajwt::load_private_key(converted, std::nullopt); }), AJWT_ERR_PASSWORD_REQUIRED);
    // "ssh-keygen -p -N ''": the unencrypted OpenSSH format.
    ASSERT_EQ(run(std::string(kSshKeygen) + " -p -P secret3 -N '' -f " + ed), 0);
    EXPECT_EQ(ajwt::load_private_key(read_file(ed), std::nullopt)->fingerprint(), expected_ed->fingerprint());
}

}  // namespace
