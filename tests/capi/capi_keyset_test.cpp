// Key sets (JWKS) through the C ABI.
#include <string>

#include "capi_support.hpp"

using namespace capi_test;
using nlohmann::json;

namespace {

// A real RSA-1024 modulus: a well-formed JWK that is too small to use.
const char kRsa1024N[] =
    "qAXes9heh7-P7_qnpAgCvXerJLtYmjVFAHLzRe3bg-Ii43z6t9nWiLmDsGv504gbPMTuSBdtMoay7PnOtD9lsS7ERrK6MLvqNe77rVR3Yn21Cif1"
    "vk99mHjlgXsFlig6v0t0pV-HGsfeOSwtKwrVsXy6HTc955M5gNKGvw6bZdU";

json jwk_of(const ajwt_key* key) { return json::parse(export_key(key, AJWT_EXPORT_PUBLIC_JWK)); }

ajwt_status parse_jwks_status(const std::string& text, Keyset* out = nullptr) {
    ajwt_keyset* set = nullptr;
    Err err;
    ajwt_status status = ajwt_keyset_parse_jwks(text.data(), text.size(), &set, err.get());
    Keyset owner(set);
    EXPECT_EQ(err.e.status, status);
    if (status != AJWT_OK) EXPECT_EQ(set, nullptr);
    if (out) *out = std::move(owner);
    return status;
}

}  // namespace

TEST(CapiKeyset, NewIsEmpty) {
    Keyset set = new_keyset();
    EXPECT_EQ(ajwt_keyset_count(set.get()), 0u);
    EXPECT_EQ(ajwt_keyset_get(set.get(), 0), nullptr);
    EXPECT_EQ(ajwt_keyset_find(set.get(), "x", 1), nullptr);
    EXPECT_EQ(ajwt_keyset_skipped_count(set.get()), 0u);
    EXPECT_EQ(ajwt_keyset_skipped_reason(set.get(), 0), nullptr);
    char* out = nullptr;
    size_t len = 0;
    ASSERT_OK(ajwt_keyset_to_jwks(set.get(), &out, &len, nullptr));
    Bytes owner(out);
    EXPECT_EQ(json::parse(std::string(out, len)), json::parse(R"({"keys": []})"));
}

TEST(CapiKeyset, AddGetFindByFingerprint) {
    Keyset set = new_keyset();
    Key rsa = load_public(compat()["public_keys"]["rsa_pem"]["text"]);
    Key ed = load_public(compat()["public_keys"]["ed25519_pem"]["text"]);
    ASSERT_OK(ajwt_keyset_add(set.get(), rsa.get(), nullptr));
    ASSERT_OK(ajwt_keyset_add(set.get(), ed.get(), nullptr));
    ASSERT_EQ(ajwt_keyset_count(set.get()), 2u);
    const ajwt_key* first = ajwt_keyset_get(set.get(), 0);
    const ajwt_key* second = ajwt_keyset_get(set.get(), 1);
    ASSERT_NE(first, nullptr);
    ASSERT_NE(second, nullptr);
    EXPECT_EQ(ajwt_keyset_get(set.get(), 2), nullptr);
    EXPECT_EQ(ajwt_key_equal(first, rsa.get()), 1);
    EXPECT_EQ(ajwt_key_equal(second, ed.get()), 1);
    const std::string fp = compat()["public_keys"]["ed25519_pem"]["fingerprint"];
    EXPECT_EQ(ajwt_keyset_find(set.get(), fp.data(), fp.size()), second);
    EXPECT_EQ(ajwt_keyset_find(set.get(), fp.data(), fp.size() - 1), nullptr);
    EXPECT_EQ(ajwt_keyset_find(set.get(), nullptr, 0), nullptr);
    // Borrowed pointers stay valid after more members are added.
    Key p256 = generate(AJWT_KEY_EC_P256);
    ASSERT_OK(ajwt_keyset_add(set.get(), public_of(p256.get()).get(), nullptr));
    EXPECT_EQ(ajwt_keyset_get(set.get(), 0), first);
    EXPECT_EQ(ajwt_key_equal(first, rsa.get()), 1);
    // The set keeps its own references.
    rsa.reset();
    EXPECT_EQ(ajwt_key_get_type(first), AJWT_KEY_RSA);
}

TEST(CapiKeyset, AddRefusesPrivateKeys) {
    Keyset set = new_keyset();
    Key key = generate(AJWT_KEY_ED25519);
    Err err;
    EXPECT_STATUS(AJWT_ERR_PRIVATE_KEY_GIVEN, ajwt_keyset_add(set.get(), key.get(), err.get()));
    EXPECT_EQ(ajwt_keyset_count(set.get()), 0u);
    EXPECT_STATUS(AJWT_ERR_INVALID_ARGUMENT, ajwt_keyset_add(set.get(), nullptr, nullptr));
    EXPECT_STATUS(AJWT_ERR_INVALID_ARGUMENT, ajwt_keyset_add(nullptr, key.get(), nullptr));
}

TEST(CapiKeyset, AddTextInEveryFormat) {
    Keyset set = new_keyset();
    for (const char* name : {"rsa_pem", "ed25519_pem", "rsa_openssh", "ed25519_openssh"}) {
        const std::string text = compat()["public_keys"][name]["text"];
        ASSERT_OK(ajwt_keyset_add_text(set.get(), text.data(), text.size(), AJWT_FORMAT_ANY, nullptr));
    }
    const std::string jwk = compat()["public_keys"]["rsa_pem"]["jwk"].dump();
    ASSERT_OK(ajwt_keyset_add_text(set.get(), jwk.data(), jwk.size(), AJWT_FORMAT_JWK, nullptr));
    EXPECT_EQ(ajwt_keyset_count(set.get()), 5u);
    Err err;
    EXPECT_STATUS(AJWT_ERR_KEY_PARSE, ajwt_keyset_add_text(set.get(), "nope", 4, AJWT_FORMAT_ANY, err.get()));
    EXPECT_EQ(err.e.status, AJWT_ERR_KEY_PARSE);
    const std::string priv = compat()["private_keys"]["rsa_pkcs8_pem"]["text"];
    EXPECT_STATUS(AJWT_ERR_PRIVATE_KEY_GIVEN,
                  ajwt_keyset_add_text(set.get(), priv.data(), priv.size(), AJWT_FORMAT_ANY, nullptr));
    EXPECT_STATUS(AJWT_ERR_INVALID_ARGUMENT, ajwt_keyset_add_text(set.get(), nullptr, 3, AJWT_FORMAT_ANY, nullptr));
    EXPECT_EQ(ajwt_keyset_count(set.get()), 5u);
}

TEST(CapiKeyset, ParseJwksSkipsUnusableMembers) {
    Key ed = generate(AJWT_KEY_ED25519);
    Key p384 = generate(AJWT_KEY_EC_P384);
    json custom = jwk_of(ed.get());
    custom["kid"] = "my-key-1";
    json doc = {{"keys",
                 {compat()["public_keys"]["rsa_pem"]["jwk"],
                  custom,
                  jwk_of(p384.get()),
                  {{"kty", "oct"}, {"k", "c2VjcmV0"}},
                  {{"kty", "RSA"}, {"n", kRsa1024N}, {"e", "AQAB"}},
                  {{"kty", "OKP"},
                   {"crv", "Ed25519"},
                   {"x", "hRk96LXVjEtq8yI1I5LiRiv0OHiGvgJKfU0a4SweOe0"},
                   {"d", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"}},
                  "not an object"}}};
    Keyset set;
    ASSERT_OK(parse_jwks_status(doc.dump(), &set));
    EXPECT_EQ(ajwt_keyset_count(set.get()), 3u);
    EXPECT_EQ(ajwt_keyset_skipped_count(set.get()), 4u);
    for (size_t i = 0; i < ajwt_keyset_skipped_count(set.get()); ++i) {
        const char* reason = ajwt_keyset_skipped_reason(set.get(), i);
        ASSERT_NE(reason, nullptr);
        EXPECT_GT(std::strlen(reason), 0u);
    }
    EXPECT_EQ(ajwt_keyset_skipped_reason(set.get(), 4), nullptr);

    const ajwt_key* by_kid = ajwt_keyset_find(set.get(), "my-key-1", 8);
    ASSERT_NE(by_kid, nullptr);
    EXPECT_EQ(ajwt_key_equal(by_kid, ed.get()), 1);
    const std::string rsa_kid = compat()["public_keys"]["rsa_pem"]["fingerprint"];
    const ajwt_key* rsa = ajwt_keyset_find(set.get(), rsa_kid.data(), rsa_kid.size());
    ASSERT_NE(rsa, nullptr);
    EXPECT_EQ(ajwt_key_get_type(rsa), AJWT_KEY_RSA);
    std::string p384_fp = fingerprint(p384.get());
    EXPECT_NE(ajwt_keyset_find(set.get(), p384_fp.data(), p384_fp.size()), nullptr);
}

TEST(CapiKeyset, UnusableDocumentsFailWithJwksParse) {
    for (const std::string text : {"", "garbage", "[]", "{}", R"({"keys": 5})", R"({"keys": {}})", R"({"keys": [)",
                                   R"({"keys": [], "keys": []})"}) {
        SCOPED_TRACE(text);
        EXPECT_STATUS(AJWT_ERR_JWKS_PARSE, parse_jwks_status(text));
    }
}

TEST(CapiKeyset, MemberCapIsEnforced) {
    json member = compat()["public_keys"]["rsa_pem"]["jwk"];
    json doc = {{"keys", json::array()}};
    for (int i = 0; i < 101; ++i) doc["keys"].push_back(member);
    EXPECT_STATUS(AJWT_ERR_JWKS_PARSE, parse_jwks_status(doc.dump()));
    doc["keys"].erase(doc["keys"].begin());
    Keyset set;
    EXPECT_OK(parse_jwks_status(doc.dump(), &set));
    EXPECT_EQ(ajwt_keyset_count(set.get()), 100u);
}

TEST(CapiKeyset, AddJwksAppendsAndToJwksRoundTrips) {
    Keyset set = new_keyset();
    Key ed = load_public(compat()["public_keys"]["ed25519_pem"]["text"]);
    ASSERT_OK(ajwt_keyset_add(set.get(), ed.get(), nullptr));
    const std::string doc = json{{"keys", {compat()["public_keys"]["rsa_pem"]["jwk"]}}}.dump();
    ASSERT_OK(ajwt_keyset_add_jwks(set.get(), doc.data(), doc.size(), nullptr));
    EXPECT_EQ(ajwt_keyset_count(set.get()), 2u);
    EXPECT_STATUS(AJWT_ERR_JWKS_PARSE, ajwt_keyset_add_jwks(set.get(), "{", 1, nullptr));
    // (NULL, 0) is the empty document, refused as such; NULL with a length is an argument error.
    EXPECT_STATUS(AJWT_ERR_JWKS_PARSE, ajwt_keyset_add_jwks(set.get(), nullptr, 0, nullptr));
    EXPECT_STATUS(AJWT_ERR_INVALID_ARGUMENT, ajwt_keyset_add_jwks(set.get(), nullptr, 3, nullptr));
    EXPECT_EQ(ajwt_keyset_count(set.get()), 2u);

    char* out = nullptr;
    size_t len = 0;
    ASSERT_OK(ajwt_keyset_to_jwks(set.get(), &out, &len, nullptr));
    Bytes owner(out);
    EXPECT_EQ(std::strlen(out), len);
    json jwks = json::parse(std::string(out, len));
    ASSERT_EQ(jwks["keys"].size(), 2u);
    EXPECT_EQ(jwks["keys"][1], compat()["public_keys"]["rsa_pem"]["jwk"]);
    Keyset again;
    ASSERT_OK(parse_jwks_status(jwks.dump(), &again));
    ASSERT_EQ(ajwt_keyset_count(again.get()), 2u);
    EXPECT_EQ(ajwt_key_equal(ajwt_keyset_get(again.get(), 0), ed.get()), 1);
}

TEST(CapiKeyset, NullArguments) {
    EXPECT_EQ(ajwt_keyset_count(nullptr), 0u);
    EXPECT_EQ(ajwt_keyset_get(nullptr, 0), nullptr);
    EXPECT_EQ(ajwt_keyset_find(nullptr, "a", 1), nullptr);
    EXPECT_EQ(ajwt_keyset_skipped_count(nullptr), 0u);
    EXPECT_EQ(ajwt_keyset_skipped_reason(nullptr, 0), nullptr);
    EXPECT_STATUS(AJWT_ERR_INVALID_ARGUMENT, ajwt_keyset_new(nullptr, nullptr));
    ajwt_keyset* set = nullptr;
    EXPECT_STATUS(AJWT_ERR_JWKS_PARSE, ajwt_keyset_parse_jwks(nullptr, 0, &set, nullptr));
    EXPECT_STATUS(AJWT_ERR_INVALID_ARGUMENT, ajwt_keyset_parse_jwks(nullptr, 2, &set, nullptr));
    EXPECT_STATUS(AJWT_ERR_INVALID_ARGUMENT, ajwt_keyset_parse_jwks("{}", 2, nullptr, nullptr));
    char* out = nullptr;
    EXPECT_STATUS(AJWT_ERR_INVALID_ARGUMENT, ajwt_keyset_to_jwks(nullptr, &out, nullptr, nullptr));
    EXPECT_EQ(out, nullptr);
}
