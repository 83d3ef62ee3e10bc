// Key sets: adding keys, JWK Set documents with usable and unusable members, caps, lookup by
// kid, and writing the set back out.
#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

#include "error.hpp"
#include "jwk.hpp"
#include "key.hpp"
#include "key_io.hpp"
#include "keyset.hpp"
#include "status_of.hpp"
#include "test_vectors.hpp"

namespace {

using ajwt::KeyPtr;
using ajwt::KeySet;
using nlohmann::json;

using ajwt_test::status_of;

const json& compat_rsa_jwk() { return ajwt_test::compat_vectors()["public_keys"]["rsa_pem"]["jwk"]; }

const json kEd25519 = {{"kty", "OKP"}, {"crv", "Ed25519"}, {"x", "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"}};

json jwks(const std::vector<json>& members) { return json{{"keys", members}}; }

TEST(KeySet, AddTakesPublicKeysOnly) {
    KeySet set;
    KeyPtr key = ajwt::generate_key(AJWT_KEY_EC_P256, 0, 0);
    EXPECT_EQ(status_of([&] { set.add(key); }), AJWT_ERR_PRIVATE_KEY_GIVEN);
    EXPECT_TRUE(set.keys().empty());
    KeyPtr pub = key->public_key(key);
    set.add(pub);
    ASSERT_EQ(set.keys().size(), 1u);
    EXPECT_EQ(set.keys()[0].get(), pub.get());  // a public key is shared, not copied
    EXPECT_EQ(status_of([&] { set.add(nullptr); }), AJWT_ERR_INVALID_ARGUMENT);
    EXPECT_EQ(set.keys().size(), 1u);
    EXPECT_TRUE(set.skipped().empty());
}

TEST(KeySet, GoodJwksAndFind) {
    KeyPtr ec = ajwt::generate_key(AJWT_KEY_EC_P384, 0, 0);
    json with_kid = kEd25519;
    with_kid["kid"] = "ed-1";
    KeySet set;
    set.add_jwks(jwks({compat_rsa_jwk(), with_kid, ajwt::to_jwk(*ec)}).dump());
    ASSERT_EQ(set.keys().size(), 3u);
    EXPECT_TRUE(set.skipped().empty());
    EXPECT_EQ(set.keys()[0]->type(), AJWT_KEY_RSA);
    EXPECT_EQ(set.keys()[1]->type(), AJWT_KEY_ED25519);
    EXPECT_EQ(set.keys()[2]->type(), AJWT_KEY_EC_P384);

    const std::string rsa_fingerprint = ajwt_test::compat_vectors()["public_keys"]["rsa_pem"]["fingerprint"];
    ASSERT_NE(set.find(rsa_fingerprint), nullptr);
    EXPECT_EQ(set.find(rsa_fingerprint), &set.keys()[0]);
    EXPECT_EQ(set.find("ed-1"), &set.keys()[1]);
    // A JWK's own kid replaces the fingerprint as its id.
    EXPECT_EQ(set.find(set.keys()[1]->fingerprint()), nullptr);
    EXPECT_EQ(set.find(ec->fingerprint()), &set.keys()[2]);
    EXPECT_EQ(set.find("nope"), nullptr);
    EXPECT_EQ(set.find(""), nullptr);
}

TEST(KeySet, FindReturnsTheFirstMatch) {
    json first = kEd25519;
    first["kid"] = "same";
    json second = ajwt::to_jwk(*ajwt::generate_key(AJWT_KEY_ED25519, 0, 0));
    second["kid"] = "same";
    KeySet set;
    set.add_jwks(jwks({first, second}).dump());
    ASSERT_EQ(set.keys().size(), 2u);
    EXPECT_EQ(set.find("same"), &set.keys()[0]);
}

TEST(KeySet, UnusableMembersAreSkippedWithReasons) {
    json private_rsa = compat_rsa_jwk();
    private_rsa["d"] = "AQAB";
    json bad_base64 = kEd25519;
    bad_base64["x"] = "11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=";
    json small_rsa = compat_rsa_jwk();
    small_rsa["n"] = small_rsa["n"].get<std::string>().substr(0, 172);  // 1032 bits
    json enc = kEd25519;
    enc["use"] = "enc";
    json wrong_alg = kEd25519;
    wrong_alg["alg"] = "RS256";
    const std::vector<json> members = {
        kEd25519,                             // 0 good
        42,                                   // 1 not an object
        {{"kty", "oct"}, {"k", "c2VjcmV0"}},  // 2 symmetric
        private_rsa,                          // 3 private
        {{"kty", "foo"}},                     // 4 unknown kty
        bad_base64,                           // 5 encoding
        small_rsa,                            // 6 too small
        enc,                                  // 7 use
        wrong_alg,                            // 8 alg
        compat_rsa_jwk(),                     // 9 good
    };
    KeySet set;
    set.add_jwks(jwks(members).dump());
    ASSERT_EQ(set.keys().size(), 2u);
    EXPECT_EQ(set.keys()[0]->type(), AJWT_KEY_ED25519);
    EXPECT_EQ(set.keys()[1]->type(), AJWT_KEY_RSA);
    ASSERT_EQ(set.skipped().size(), 8u);
    const std::vector<std::pair<std::string, std::string>> expected = {
        {"member 1: ", "not a JSON object"}, {"member 2: ", "\"k\""},     {"member 3: ", "private member \"d\""},
        {"member 4: ", "\"foo\""},           {"member 5: ", "base64url"}, {"member 6: ", "at least 2048"},
        {"member 7: ", "\"enc\""},           {"member 8: ", "\"RS256\""}};
    for (size_t i = 0; i < expected.size(); ++i) {
        const std::string& reason = set.skipped()[i];
        EXPECT_EQ(reason.rfind(expected[i].first, 0), 0u) << reason;
        EXPECT_NE(reason.find(expected[i].second), std::string::npos) << reason;
    }
}

TEST(KeySet, DocumentLevelFailures) {
    auto parse = [](const std::string& text) {
        KeySet set;
        KeyPtr key = ajwt::generate_key(AJWT_KEY_ED25519, 0, 0);
        set.add(key->public_key(key));
        ajwt_status status = status_of([&] { set.add_jwks(text); });
        EXPECT_EQ(set.keys().size(), 1u) << "the set is unchanged";
        EXPECT_TRUE(set.skipped().empty());
        return status;
    };
    EXPECT_EQ(parse(""), AJWT_ERR_JWKS_PARSE);
    EXPECT_EQ(parse("not json"), AJWT_ERR_JWKS_PARSE);
    EXPECT_EQ(parse("[]"), AJWT_ERR_JWKS_PARSE);
    EXPECT_EQ(parse("{}"), AJWT_ERR_JWKS_PARSE);
    EXPECT_EQ(parse(R"({"keys": {}})"), AJWT_ERR_JWKS_PARSE);
    EXPECT_EQ(parse(R"({"keys": "x"})"), AJWT_ERR_JWKS_PARSE);
    EXPECT_EQ(parse(R"({"keys": [], "keys": []})"), AJWT_ERR_JWKS_PARSE);  // duplicate member
    EXPECT_EQ(parse(jwks({kEd25519}).dump() + "x"), AJWT_ERR_JWKS_PARSE);
    EXPECT_EQ(parse(kEd25519.dump()), AJWT_ERR_JWKS_PARSE);  // a single JWK
    // Caps: members and size.
    EXPECT_EQ(parse(jwks(std::vector<json>(ajwt::kMaxJwksMembers + 1, kEd25519)).dump()), AJWT_ERR_JWKS_PARSE);
    json padded = jwks({kEd25519});
    padded["padding"] = std::string(ajwt::kMaxJwksSize, 'x');
    EXPECT_EQ(parse(padded.dump()), AJWT_ERR_JWKS_PARSE);
    try {
        KeySet set;
        set.add_jwks("[]");
        FAIL() << "no error";
    } catch (const ajwt::KeyError& error) {  // a KeyError, as keyset.hpp promises
        EXPECT_EQ(error.status(), AJWT_ERR_JWKS_PARSE);
    }
}

TEST(KeySet, MemberCapIsInclusive) {
    KeySet set;
    set.add_jwks(jwks(std::vector<json>(ajwt::kMaxJwksMembers, kEd25519)).dump());
    EXPECT_EQ(set.keys().size(), ajwt::kMaxJwksMembers);
    KeySet empty;
    empty.add_jwks(R"({"keys": []})");
    EXPECT_TRUE(empty.keys().empty());
    EXPECT_EQ(empty.to_jwks(), R"({"keys":[]})");
}

TEST(KeySet, AddsAccumulate) {
    KeySet set;
    set.add_jwks(jwks({kEd25519, 1}).dump());
    set.add_jwks(jwks({2, compat_rsa_jwk()}).dump());
    EXPECT_EQ(set.keys().size(), 2u);
    ASSERT_EQ(set.skipped().size(), 2u);
    EXPECT_EQ(set.skipped()[0].rfind("member 1: ", 0), 0u);
    EXPECT_EQ(set.skipped()[1].rfind("member 0: ", 0), 0u);
}

TEST(KeySet, ToJwksRoundTrips) {
    KeySet set;
    for (ajwt_key_type type :
         {AJWT_KEY_RSA, AJWT_KEY_ED25519, AJWT_KEY_ED448, AJWT_KEY_EC_P256, AJWT_KEY_EC_P384, AJWT_KEY_EC_P521}) {
        KeyPtr key = ajwt::generate_key(type, 0, 0);
        set.add(key->public_key(key));
    }
    json with_kid = kEd25519;
    with_kid["kid"] = "custom";
    set.add_jwks(jwks({with_kid}).dump());
    const std::string text = set.to_jwks();
    json document = json::parse(text);
    ASSERT_TRUE(document["keys"].is_array());
    ASSERT_EQ(document["keys"].size(), set.keys().size());
    EXPECT_EQ(document["keys"][0], ajwt::to_jwk(*set.keys()[0]));
    EXPECT_EQ(text, document.dump());  // compact

    KeySet again;
    again.add_jwks(text);
    ASSERT_EQ(again.keys().size(), set.keys().size());
    EXPECT_TRUE(again.skipped().empty());
    for (size_t i = 0; i < set.keys().size(); ++i) {
        EXPECT_EQ(again.keys()[i]->fingerprint(), set.keys()[i]->fingerprint());
        EXPECT_EQ(again.keys()[i]->kid(), set.keys()[i]->kid());
    }
    EXPECT_EQ(again.find("custom"), &again.keys().back());
    EXPECT_EQ(again.to_jwks(), text);
}

TEST(KeySet, WycheproofKeysets) {
    // Usable members of each public keyset, by group comment.
    const std::map<std::string, size_t> usable = {{"rs256", 1},
                                                  {"jws_rsa_roca_key", 0 /* ROCA, refused */},
                                                  {"keysize_too_small", 0},
                                                  {"exponentOne", 0},
                                                  {"wrong_algorithm", 0},
                                                  {"invalid_algorithm", 0},
                                                  {"invalid_use", 0},
                                                  {"invalid_point", 0},
                                                  {"wrong_curve", 0},
                                                  {"wrong_kty", 0}};
    const json vectors = ajwt_test::wycheproof("json_web_key_test.json");
    size_t sets = 0;
    for (const auto& group : vectors["testGroups"]) {
        const std::string comment = group["comment"].get<std::string>();
        if (group.contains("private")) {
            // Private and symmetric members are never used; only public-looking ones are.
            KeySet set;
            set.add_jwks(group["private"].dump());
            for (const auto& key : set.keys()) EXPECT_FALSE(key->is_private());
            EXPECT_EQ(set.keys().size() + set.skipped().size(), group["private"]["keys"].size());
        }
        if (!group.contains("public")) continue;
        SCOPED_TRACE(comment);
        KeySet set;
        set.add_jwks(group["public"].dump());
        size_t expected = comment == "rs256" && group["public"]["keys"][0]["use"] != "sig" ? 0 : usable.at(comment);
        EXPECT_EQ(set.keys().size(), expected);
        EXPECT_EQ(set.skipped().size(), group["public"]["keys"].size() - expected);
        if (expected == 1) {
            EXPECT_NE(set.find(group["public"]["keys"][0]["kid"].get<std::string>()), nullptr);
        }
        ++sets;
    }
    EXPECT_GE(sets, 10u);
}

TEST(KeySet, GarbageDocumentsNeverCrash) {
    const std::string text = jwks({compat_rsa_jwk(), kEd25519}).dump();
    for (size_t cut = 0; cut < text.size(); ++cut) {
        KeySet set;
        ajwt_status status = status_of([&] { set.add_jwks(text.substr(0, cut)); });
        EXPECT_EQ(status, AJWT_ERR_JWKS_PARSE) << cut;
    }
    for (size_t i = 0; i < text.size(); i += 3) {
        std::string mutated = text;
        mutated[i] = '\x01';
        KeySet set;
        ajwt_status status = status_of([&] { set.add_jwks(mutated); });
        EXPECT_TRUE(status == AJWT_OK || status == AJWT_ERR_JWKS_PARSE) << status;
    }
}

}  // namespace
