// JSON Web Keys: the compat JWK of asymmetric-jwt-auth 1.x, every key type, strict member
// checks, and Wycheproof's json_web_key_test public keys.
#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

#include <openssl/core_names.h>

#include "base64url.hpp"
#include "error.hpp"
#include "jwk.hpp"
#include "key.hpp"
#include "key_io.hpp"
#include "status_of.hpp"
#include "test_vectors.hpp"

namespace {

using ajwt::KeyPtr;
using nlohmann::json;

using ajwt_test::status_of;

ajwt_status jwk_status(const json& jwk) {
    return status_of([&] { ajwt::parse_jwk(jwk); });
}

const json& compat() { return ajwt_test::compat_vectors(); }

KeyPtr compat_rsa() {
    return ajwt::load_public_key(compat()["public_keys"]["rsa_pem"]["text"].get<std::string>(), AJWT_FORMAT_PEM);
}

const KeyPtr& key_of(ajwt_key_type type) {
    static std::map<ajwt_key_type, KeyPtr> keys;
    KeyPtr& key = keys[type];
    if (!key) key = ajwt::generate_key(type, 0, 0);
    return key;
}

// RFC 8037 §A.2: an Ed25519 public key.
const json kRfc8037Ed25519 = {{"kty", "OKP"}, {"crv", "Ed25519"}, {"x", "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"}};

// ---- export -------------------------------------------------------------------------

TEST(JwkCompat, RsaMembersAreExactlyUpstreams) {
    KeyPtr key = compat_rsa();
    const json& expected = compat()["public_keys"]["rsa_pem"]["jwk"];
    EXPECT_EQ(ajwt::to_jwk(*key), expected);
    EXPECT_EQ(ajwt::to_jwk_text(*key), expected.dump());  // compact, sorted member names
    EXPECT_EQ(ajwt::to_jwk_text(*key).rfind("{\"alg\":\"RS512\",\"e\":\"AQAB\",\"kid\":\"", 0), 0u);
    // Private and public halves give the same JWK.
    const auto& priv = compat()["private_keys"]["rsa_pkcs8_pem"];
    KeyPtr private_key = ajwt::load_private_key(priv["text"].get<std::string>(), std::nullopt);
    EXPECT_EQ(ajwt::to_jwk(*private_key), ajwt::to_jwk(*private_key->public_key(private_key)));
    EXPECT_FALSE(ajwt::to_jwk(*private_key).contains("d"));
}

TEST(JwkCompat, CompatJwkLoadsBack) {
    const auto& entry = compat()["public_keys"]["rsa_pem"];
    KeyPtr key = ajwt::parse_jwk(entry["jwk"]);
    EXPECT_EQ(key->fingerprint(), entry["fingerprint"].get<std::string>());
    EXPECT_EQ(key->kid(), entry["fingerprint"].get<std::string>());
    EXPECT_EQ(ajwt::load_public_key(entry["jwk"].dump(), AJWT_FORMAT_ANY)->fingerprint(), key->fingerprint());
}

TEST(JwkExport, Ed25519Members) {
    const auto& entry = compat()["public_keys"]["ed25519_pem"];
    KeyPtr key = ajwt::load_public_key(entry["text"].get<std::string>(), AJWT_FORMAT_PEM);
    json jwk = ajwt::to_jwk(*key);
    // The raw key is the last 32 bytes of this SPKI.
    std::string der = *ajwt::base64_decode("MCowBQYDK2VwAyEAhRk96LXVjEtq8yI1I5LiRiv0OHiGvgJKfU0a4SweOe0=");
    const json expected = {{"kty", "OKP"}, {"crv", "Ed25519"}, {"x", ajwt::base64url_encode(der.substr(12))},
                           {"use", "sig"}, {"alg", "EdDSA"},   {"kid", entry["fingerprint"]}};
    EXPECT_EQ(jwk, expected);
}

TEST(JwkExport, EveryTypeHasTheRightMembersAndRoundTrips) {
    const std::map<ajwt_key_type, std::vector<std::string>> members = {
        {AJWT_KEY_RSA, {"alg", "e", "kid", "kty", "n", "use"}},
        {AJWT_KEY_ED25519, {"alg", "crv", "kid", "kty", "use", "x"}},
        {AJWT_KEY_ED448, {"alg", "crv", "kid", "kty", "use", "x"}},
        {AJWT_KEY_EC_P256, {"alg", "crv", "kid", "kty", "use", "x", "y"}},
        {AJWT_KEY_EC_P384, {"alg", "crv", "kid", "kty", "use", "x", "y"}},
        {AJWT_KEY_EC_P521, {"alg", "crv", "kid", "kty", "use", "x", "y"}}};
    const std::map<ajwt_key_type, std::string> alg = {{AJWT_KEY_RSA, "RS512"},     {AJWT_KEY_ED25519, "EdDSA"},
                                                      {AJWT_KEY_ED448, "EdDSA"},   {AJWT_KEY_EC_P256, "ES256"},
                                                      {AJWT_KEY_EC_P384, "ES384"}, {AJWT_KEY_EC_P521, "ES512"}};
    for (const auto& [type, names] : members) {
        SCOPED_TRACE(ajwt::key_type_name(type));
        const KeyPtr& key = key_of(type);
        json jwk = ajwt::to_jwk(*key);
        std::vector<std::string> got;
        for (const auto& item : jwk.items()) got.push_back(item.key());
        EXPECT_EQ(got, names);
        EXPECT_EQ(jwk["alg"], alg.at(type));
        EXPECT_EQ(jwk["kid"], key->fingerprint());
        EXPECT_EQ(jwk["use"], "sig");
        KeyPtr back = ajwt::parse_jwk(jwk);
        EXPECT_FALSE(back->is_private());
        EXPECT_EQ(back->fingerprint(), key->fingerprint());
        EXPECT_EQ(ajwt::to_jwk(*back), jwk);
    }
    EXPECT_EQ(ajwt::to_jwk(*key_of(AJWT_KEY_ED448))["crv"], "Ed448");
    EXPECT_EQ(ajwt::to_jwk(*key_of(AJWT_KEY_EC_P384))["crv"], "P-384");
}

TEST(JwkExport, EcCoordinatesAreFixedLength) {
    // About half of all P-521 coordinates have a zero top byte; all must still be 66 bytes.
    for (int i = 0; i < 16; ++i) {
        KeyPtr key = ajwt::generate_key(AJWT_KEY_EC_P521, 0, 0);
        json jwk = ajwt::to_jwk(*key);
        EXPECT_EQ(ajwt::base64url_decode(jwk["x"].get<std::string>())->size(), 66u);
        EXPECT_EQ(ajwt::base64url_decode(jwk["y"].get<std::string>())->size(), 66u);
    }
    json jwk = ajwt::to_jwk(*key_of(AJWT_KEY_EC_P256));
    EXPECT_EQ(ajwt::base64url_decode(jwk["x"].get<std::string>())->size(), 32u);
}

TEST(JwkExport, RsaValuesHaveNoLeadingZeros) {
    json jwk = ajwt::to_jwk(*key_of(AJWT_KEY_RSA));
    std::string n = *ajwt::base64url_decode(jwk["n"].get<std::string>());
    EXPECT_EQ(n.size(), 256u);
    EXPECT_NE(n[0], '\0');
    EXPECT_EQ(jwk["e"], "AQAB");
}

// ---- parsing ------------------------------------------------------------------------

TEST(JwkParse, Rfc8037Ed25519) {
    KeyPtr key = ajwt::parse_jwk(kRfc8037Ed25519);
    EXPECT_EQ(key->type(), AJWT_KEY_ED25519);
    EXPECT_EQ(key->kid(), key->fingerprint());
    EXPECT_EQ(ajwt::to_jwk(*key)["x"], kRfc8037Ed25519["x"]);
}

TEST(JwkParse, KidIsKept) {
    json jwk = kRfc8037Ed25519;
    jwk["kid"] = "my key 1";
    KeyPtr key = ajwt::parse_jwk(jwk);
    EXPECT_EQ(key->kid(), "my key 1");
    EXPECT_NE(key->fingerprint(), "my key 1");
    EXPECT_EQ(key->fingerprint(), ajwt::parse_jwk(kRfc8037Ed25519)->fingerprint());
    EXPECT_EQ(ajwt::to_jwk(*key)["kid"], "my key 1");
    EXPECT_EQ(key->public_key(key)->kid(), "my key 1");
    jwk["kid"] = 5;
    EXPECT_EQ(jwk_status(jwk), AJWT_ERR_KEY_PARSE);
    jwk["kid"] = std::string(2000, 'k');
    EXPECT_EQ(jwk_status(jwk), AJWT_ERR_KEY_PARSE);
}

TEST(JwkParse, PrivateMembersAreRefused) {
    for (const char* member : {"d", "p", "q", "dp", "dq", "qi", "oth", "k"}) {
        json jwk = ajwt::to_jwk(*key_of(AJWT_KEY_RSA));
        jwk[member] = "AQAB";
        EXPECT_EQ(jwk_status(jwk), AJWT_ERR_PRIVATE_KEY_GIVEN) << member;
    }
    json okp = kRfc8037Ed25519;
    okp["d"] = "nWGxne_9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A";
    EXPECT_EQ(jwk_status(okp), AJWT_ERR_PRIVATE_KEY_GIVEN);
    EXPECT_EQ(status_of([&] { ajwt::load_public_key(okp.dump(), AJWT_FORMAT_JWK); }), AJWT_ERR_PRIVATE_KEY_GIVEN);
}

TEST(JwkParse, KtyAndCurve) {
    EXPECT_EQ(jwk_status(json::array()), AJWT_ERR_KEY_PARSE);
    EXPECT_EQ(jwk_status({{"x", "AA"}}), AJWT_ERR_KEY_PARSE);
    EXPECT_EQ(jwk_status({{"kty", 1}}), AJWT_ERR_KEY_PARSE);
    EXPECT_EQ(jwk_status({{"kty", "oct"}}), AJWT_ERR_KEY_UNSUPPORTED);
    EXPECT_EQ(jwk_status({{"kty", "DSA"}}), AJWT_ERR_KEY_UNSUPPORTED);
    EXPECT_EQ(jwk_status({{"kty", "rsa"}}), AJWT_ERR_KEY_UNSUPPORTED);  // case-sensitive
    json okp = kRfc8037Ed25519;
    okp["crv"] = "X25519";
    EXPECT_EQ(jwk_status(okp), AJWT_ERR_KEY_UNSUPPORTED);
    okp.erase("crv");
    EXPECT_EQ(jwk_status(okp), AJWT_ERR_KEY_PARSE);
    json ec = ajwt::to_jwk(*key_of(AJWT_KEY_EC_P256));
    ec["crv"] = "secp256k1";
    EXPECT_EQ(jwk_status(ec), AJWT_ERR_KEY_UNSUPPORTED);
}

TEST(JwkParse, UseKeyOpsAndAlg) {
    json ec = ajwt::to_jwk(*key_of(AJWT_KEY_EC_P256));
    auto with = [](json jwk, const char* name, json value) {
        jwk[name] = std::move(value);
        return jwk;
    };
    EXPECT_EQ(jwk_status(with(ec, "use", "enc")), AJWT_ERR_KEY_UNSUPPORTED);
    EXPECT_EQ(jwk_status(with(ec, "use", 1)), AJWT_ERR_KEY_PARSE);
    EXPECT_EQ(jwk_status(with(ec, "key_ops", json::array({"verify"}))), AJWT_OK);
    EXPECT_EQ(jwk_status(with(ec, "key_ops", json::array({"encrypt"}))), AJWT_ERR_KEY_UNSUPPORTED);
    EXPECT_EQ(jwk_status(with(ec, "key_ops", "verify")), AJWT_ERR_KEY_PARSE);
    EXPECT_EQ(jwk_status(with(ec, "alg", "ES512")), AJWT_ERR_KEY_UNSUPPORTED);
    EXPECT_EQ(jwk_status(with(ec, "alg", "RS256")), AJWT_ERR_KEY_UNSUPPORTED);
    EXPECT_EQ(jwk_status(with(ec, "alg", "HS256")), AJWT_ERR_KEY_UNSUPPORTED);
    EXPECT_EQ(jwk_status(with(ec, "alg", "none")), AJWT_ERR_KEY_UNSUPPORTED);
    EXPECT_EQ(jwk_status(with(ec, "alg", 7)), AJWT_ERR_KEY_PARSE);
    json without = ec;
    without.erase("alg");
    without.erase("use");
    without.erase("kid");
    EXPECT_EQ(jwk_status(without), AJWT_OK);
    json rsa = ajwt::to_jwk(*key_of(AJWT_KEY_RSA));
    EXPECT_EQ(jwk_status(with(rsa, "alg", "PS256")), AJWT_OK);  // fits RSA, though not a default
    EXPECT_EQ(jwk_status(with(rsa, "alg", "EdDSA")), AJWT_ERR_KEY_UNSUPPORTED);
    EXPECT_EQ(jwk_status(with(kRfc8037Ed25519, "alg", "EdDSA")), AJWT_OK);
    EXPECT_EQ(jwk_status(with(kRfc8037Ed25519, "alg", "ES256")), AJWT_ERR_KEY_UNSUPPORTED);
}

TEST(JwkParse, RsaMembers) {
    json rsa = ajwt::to_jwk(*key_of(AJWT_KEY_RSA));
    const std::string n = *ajwt::base64url_decode(rsa["n"].get<std::string>());
    auto with = [&](const char* name, json value) {
        json jwk = rsa;
        jwk[name] = std::move(value);
        return jwk;
    };
    // Leading zero padding is tolerated and means the same key.
    EXPECT_EQ(ajwt::parse_jwk(with("n", ajwt::base64url_encode(std::string(2, '\0') + n)))->fingerprint(),
              key_of(AJWT_KEY_RSA)->fingerprint());
    EXPECT_EQ(ajwt::parse_jwk(with("e", "AAEAAQ"))->fingerprint(), key_of(AJWT_KEY_RSA)->fingerprint());
    EXPECT_EQ(jwk_status(with("n", rsa["n"].get<std::string>() + "=")), AJWT_ERR_KEY_PARSE);  // padded
    EXPECT_EQ(jwk_status(with("n", ajwt::base64_encode(n))), AJWT_ERR_KEY_PARSE);             // not url alphabet
    EXPECT_EQ(jwk_status(with("n", "")), AJWT_ERR_KEY_PARSE);
    EXPECT_EQ(jwk_status(with("n", 12345)), AJWT_ERR_KEY_PARSE);
    EXPECT_EQ(jwk_status(with("e", "AQ")), AJWT_ERR_KEY_PARSE);    // e = 1
    EXPECT_EQ(jwk_status(with("e", "Ag")), AJWT_ERR_KEY_PARSE);    // even
    EXPECT_EQ(jwk_status(with("e", "AAAA")), AJWT_ERR_KEY_PARSE);  // zero
    EXPECT_EQ(jwk_status(with("e", ajwt::base64url_encode(std::string(9, '\x01')))), AJWT_ERR_KEY_UNSUPPORTED);
    EXPECT_EQ(jwk_status(with("e", ajwt::base64url_encode(std::string(100, '\x01')))), AJWT_ERR_KEY_UNSUPPORTED);
    EXPECT_EQ(jwk_status(with("n", ajwt::base64url_encode(n.substr(0, 128)))), AJWT_ERR_KEY_TOO_SMALL);
    EXPECT_EQ(jwk_status(with("n", ajwt::base64url_encode(n + n + n + n + n))), AJWT_ERR_KEY_TOO_LARGE);
    EXPECT_EQ(jwk_status(with("n", ajwt::base64url_encode(n + n + n + n + "\x01"))), AJWT_ERR_KEY_TOO_LARGE);
    json missing = rsa;
    missing.erase("e");
    EXPECT_EQ(jwk_status(missing), AJWT_ERR_KEY_PARSE);
}

TEST(JwkParse, OkpMembers) {
    json okp = kRfc8037Ed25519;
    const std::string x = *ajwt::base64url_decode(okp["x"].get<std::string>());
    okp["x"] = ajwt::base64url_encode(x.substr(1));
    EXPECT_EQ(jwk_status(okp), AJWT_ERR_KEY_PARSE);
    okp["x"] = ajwt::base64url_encode(x + "x");
    EXPECT_EQ(jwk_status(okp), AJWT_ERR_KEY_PARSE);
    okp["crv"] = "Ed448";
    okp["x"] = kRfc8037Ed25519["x"];
    EXPECT_EQ(jwk_status(okp), AJWT_ERR_KEY_PARSE);  // 32 bytes for a 57-byte curve
    EXPECT_EQ(ajwt::parse_jwk(ajwt::to_jwk(*key_of(AJWT_KEY_ED448)))->type(), AJWT_KEY_ED448);
}

TEST(JwkParse, EcPointValidation) {
    for (ajwt_key_type type : {AJWT_KEY_EC_P256, AJWT_KEY_EC_P384, AJWT_KEY_EC_P521}) {
        SCOPED_TRACE(ajwt::key_type_name(type));
        json ec = ajwt::to_jwk(*key_of(type));
        std::string y = *ajwt::base64url_decode(ec["y"].get<std::string>());
        json off = ec;
        y.back() = static_cast<char>(y.back() ^ 1);
        off["y"] = ajwt::base64url_encode(y);
        EXPECT_EQ(jwk_status(off), AJWT_ERR_KEY_PARSE) << "point not on the curve";
        json zero = ec;
        zero["x"] = ajwt::base64url_encode(std::string(ajwt::ec_field_bytes(type), '\0'));
        zero["y"] = zero["x"];
        EXPECT_EQ(jwk_status(zero), AJWT_ERR_KEY_PARSE);
        json short_x = ec;
        short_x["x"] = ajwt::base64url_encode(ajwt::base64url_decode(ec["x"].get<std::string>())->substr(1));
        EXPECT_EQ(jwk_status(short_x), AJWT_ERR_KEY_PARSE) << "coordinates are fixed length";
        json no_y = ec;
        no_y.erase("y");
        EXPECT_EQ(jwk_status(no_y), AJWT_ERR_KEY_PARSE);
    }
    // A P-256 point labelled P-384.
    json ec = ajwt::to_jwk(*key_of(AJWT_KEY_EC_P256));
    ec["crv"] = "P-384";
    ec.erase("alg");
    EXPECT_EQ(jwk_status(ec), AJWT_ERR_KEY_PARSE);
}

TEST(JwkParse, Text) {
    const std::string good = kRfc8037Ed25519.dump();
    EXPECT_EQ(ajwt::parse_jwk_text("\n " + good + " \n")->type(), AJWT_KEY_ED25519);
    EXPECT_EQ(status_of([] {
                  ajwt::parse_jwk_text(
                      R"({"kty":"OKP","kty":"OKP","crv":"Ed25519","x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"})");
              }),
              AJWT_ERR_KEY_PARSE);  // duplicate member
    EXPECT_EQ(status_of([&] { ajwt::parse_jwk_text(good.substr(0, good.size() - 1)); }), AJWT_ERR_KEY_PARSE);
    EXPECT_EQ(status_of([] { ajwt::parse_jwk_text("[1,2]"); }), AJWT_ERR_KEY_PARSE);
    EXPECT_EQ(status_of([] { ajwt::parse_jwk_text("{\"kty\":\"OKP\",\"x\":\"\xff\"}"); }), AJWT_ERR_KEY_PARSE);
    EXPECT_EQ(status_of([] { ajwt::parse_jwk_text(std::string(70000, '{')); }), AJWT_ERR_KEY_TOO_LARGE);
    EXPECT_EQ(status_of([] { ajwt::parse_jwk_text(std::string(1000, '[')); }), AJWT_ERR_KEY_PARSE);
    EXPECT_EQ(status_of([] { ajwt::parse_jwk_text("{\"a\":" + std::string(100, '[') + std::string(100, ']') + "}"); }),
              AJWT_ERR_KEY_PARSE);  // too deep
    try {
        ajwt::parse_jwk_text(json{{"keys", json::array({kRfc8037Ed25519})}}.dump());
        FAIL() << "a JWK Set is not a JWK";
    } catch (const ajwt::KeyError& error) {
        EXPECT_EQ(error.status(), AJWT_ERR_KEY_PARSE);
        EXPECT_NE(std::string(error.what()).find("JWK Set"), std::string::npos) << error.what();
    }
}

TEST(JwkParse, TruncationsNeverCrash) {
    for (ajwt_key_type type : {AJWT_KEY_RSA, AJWT_KEY_EC_P521}) {
        const std::string text = ajwt::to_jwk_text(*key_of(type));
        for (size_t cut = 0; cut < text.size(); ++cut) {
            ajwt_status status = status_of([&] { ajwt::parse_jwk_text(text.substr(0, cut)); });
            EXPECT_TRUE(status == AJWT_ERR_KEY_PARSE) << status << " at " << cut;
        }
    }
}

// ---- Wycheproof json_web_key_test ---------------------------------------------------

// What each public key of the JsonWebKey groups must give, by group comment.
ajwt_status wycheproof_expectation(const std::string& comment, const json& key) {
    if (key.value("kty", "") == "oct") return AJWT_ERR_PRIVATE_KEY_GIVEN;  // symmetric "k"
    if (comment == "rs256") return key.value("use", "") == "sig" ? AJWT_OK : AJWT_ERR_KEY_UNSUPPORTED;
    if (comment == "jws_mixedSymmetryKeyset") return AJWT_OK;            // its EC member
    if (comment == "jws_rsa_roca_key") return AJWT_ERR_KEY_UNSUPPORTED;  // ROCA (CVE-2017-15361) is refused
    if (comment == "keysize_too_small") return AJWT_ERR_KEY_TOO_SMALL;
    if (comment == "exponentOne") return AJWT_ERR_KEY_PARSE;
    if (comment == "wrong_algorithm" || comment == "invalid_algorithm" || comment == "invalid_use")
        return AJWT_ERR_KEY_UNSUPPORTED;
    // Both carry "alg": "ES256", which already does not fit the stated curve or kty.
    if (comment == "wrong_curve" || comment == "wrong_kty") return AJWT_ERR_KEY_UNSUPPORTED;
    if (comment == "invalid_point") return AJWT_ERR_KEY_PARSE;
    ADD_FAILURE() << "no expectation for " << comment;
    return AJWT_ERR_INTERNAL;
}

TEST(JwkWycheproof, PublicKeys) {
    const json vectors = ajwt_test::wycheproof("json_web_key_test.json");
    size_t checked = 0;
    for (const auto& group : vectors["testGroups"]) {
        const std::string comment = group["comment"].get<std::string>();
        for (const char* part : {"public", "private"}) {
            if (!group.contains(part)) continue;
            for (const auto& key : group[part]["keys"]) {
                SCOPED_TRACE(comment + " " + part + " " + key.dump().substr(0, 80));
                const ajwt_status expected = std::string(part) == "private" && (key.contains("d") || key.contains("k"))
                                                 ? AJWT_ERR_PRIVATE_KEY_GIVEN
                                                 : wycheproof_expectation(comment, key);
                EXPECT_EQ(jwk_status(key), expected);
                if (std::string(part) == "public" && (comment == "wrong_curve" || comment == "wrong_kty")) {
                    json without_alg = key;  // the key data itself is refused too
                    without_alg.erase("alg");
                    EXPECT_EQ(jwk_status(without_alg), AJWT_ERR_KEY_PARSE);
                }
                EXPECT_EQ(status_of([&] { ajwt::load_public_key(key.dump(), AJWT_FORMAT_ANY); }), expected);
                ++checked;
            }
        }
    }
    EXPECT_GT(checked, 30u);
}

}  // namespace
