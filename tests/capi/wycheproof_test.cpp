// Wycheproof known-answer vectors through the C ABI: keys loaded with ajwt_key_load_public
// (PEM, and the group's JWK for the same key), signatures checked with ajwt_signature_verify,
// the primitive tokens use (ECDSA in JWS r||s form, PSS with MGF1 = hash and salt = hash length).
//
// Policy (tests/vectors/wycheproof/README.md; README.md, "Known-answer tests"):
//   valid → AJWT_OK; invalid → refused (at key load or AJWT_ERR_BAD_SIGNATURE);
//   acceptable → refused as well: the only acceptable cases are RSA PKCS#1 v1.5 signatures whose
//   DigestInfo omits the NULL parameter ("MissingNull"), and the JWS encoding (RFC 8017 §9.2,
//   RFC 7518 §3.3) has the NULL, so we accept exactly one encoding.
//   RSA keys below 2048 bits are refused at load (KEY_TOO_SMALL) and counted; PSS groups whose
//   parameters are not those of PS256/384/512 and ECDSA groups whose hash is not the curve's JWS
//   hash are skipped and counted.
#include <gtest/gtest.h>

#include <cstdio>
#include <map>
#include <optional>

#include "capi_support.hpp"

namespace {

using namespace capi_test;
using nlohmann::json;

std::string from_hex(const std::string& hex) {
    std::string out;
    for (size_t i = 0; i + 1 < hex.size(); i += 2) out += static_cast<char>(std::stoi(hex.substr(i, 2), nullptr, 16));
    return out;
}

ajwt_alg alg_for_hash(const std::string& prefix, const std::string& sha) {
    const std::string name = prefix + (sha == "SHA-256"   ? "256"
                                       : sha == "SHA-384" ? "384"
                                       : sha == "SHA-512" ? "512"
                                                          : "?");
    return ajwt_alg_from_name(name.data(), name.size());
}

size_t hash_size(const std::string& sha) {
    return sha == "SHA-256" ? 32 : sha == "SHA-384" ? 48 : sha == "SHA-512" ? 64 : 0;
}

struct Counts {
    size_t valid = 0, invalid = 0, acceptable = 0;
    size_t refused_at_load = 0;     // invalid cases whose key did not load
    size_t keys_too_small = 0;      // tests in groups whose RSA key is under 2048 bits
    size_t skipped_parameters = 0;  // tests in groups whose parameters JWS does not use
    std::vector<std::string> mismatches;

    size_t checked() const { return valid + invalid + acceptable; }
    std::string summary(const std::string& file) const {
        char line[320];
        std::snprintf(line, sizeof line,
                      "%s: %zu checked (valid %zu, invalid %zu, acceptable %zu refused); RSA keys < 2048 bits: %zu "
                      "tests; skipped for parameters: %zu tests",
                      file.c_str(), checked(), valid, invalid, acceptable, keys_too_small, skipped_parameters);
        return line;
    }
};

// The group's algorithm as JWS names it, or nullopt when JWS has no algorithm for its parameters.
std::optional<ajwt_alg> group_alg(const json& group) {
    const std::string type = group["type"];
    if (type == "EddsaVerify") return AJWT_ALG_EDDSA;
    if (type == "RsassaPkcs1Verify") return alg_for_hash("RS", group["sha"]);
    if (type == "RsassaPssVerify") {
        const std::string sha = group["sha"];
        if (group["mgf"] != "MGF1" || group["mgfSha"] != sha || group["sLen"].get<size_t>() != hash_size(sha))
            return std::nullopt;
        return alg_for_hash("PS", sha);
    }
    if (type == "EcdsaP1363Verify") {
        const std::string curve = group["publicKey"]["curve"];
        const std::string sha = group["sha"];
        if (curve == "secp256r1" && sha == "SHA-256") return AJWT_ALG_ES256;
        if (curve == "secp384r1" && sha == "SHA-384") return AJWT_ALG_ES384;
        if (curve == "secp521r1" && sha == "SHA-512") return AJWT_ALG_ES512;
        return std::nullopt;
    }
    return std::nullopt;
}

ajwt_status verify(const ajwt_key* key, ajwt_alg alg, const std::string& msg, const std::string& sig) {
    ajwt_error err{};
    return ajwt_signature_verify(key, alg, reinterpret_cast<const uint8_t*>(msg.data()), msg.size(),
                                 reinterpret_cast<const uint8_t*>(sig.data()), sig.size(), &err);
}

Counts run_signature_file(const std::string& file) {
    const json vectors = ajwt_test::wycheproof(file);
    Counts counts;
    for (const json& group : vectors["testGroups"]) {
        const size_t tests = group["tests"].size();
        const std::optional<ajwt_alg> alg = group_alg(group);
        if (!alg) {
            counts.skipped_parameters += tests;
            continue;
        }
        const std::string pem = group["publicKeyPem"];
        ajwt_key* raw = nullptr;
        ajwt_error err{};
        const ajwt_status loaded = ajwt_key_load_public(pem.data(), pem.size(), AJWT_FORMAT_PEM, &raw, &err);
        Key key(raw);
        if (loaded == AJWT_ERR_KEY_TOO_SMALL) {
            counts.keys_too_small += tests;
            for (const json& test : group["tests"])
                if (test["result"] == "valid") counts.mismatches.push_back("valid case with a small key");
            continue;
        }
        if (loaded != AJWT_OK) {
            counts.mismatches.push_back("group key does not load: " + describe(loaded) + ": " + err.message);
            continue;
        }
        // The same key as JWK loads to the same key.
        const char* jwk_member = group.contains("publicKeyJwk") ? "publicKeyJwk"
                                 : group.contains("keyJwk")     ? "keyJwk"
                                                                : nullptr;
        if (jwk_member != nullptr) {
            const std::string jwk = group[jwk_member].dump();
            ajwt_key* from_jwk = nullptr;
            const ajwt_status st = ajwt_key_load_public(jwk.data(), jwk.size(), AJWT_FORMAT_JWK, &from_jwk, nullptr);
            Key owner(from_jwk);
            if (st != AJWT_OK || ajwt_key_equal(key.get(), from_jwk) != 1)
                counts.mismatches.push_back("the group's JWK does not load to the PEM key: " + describe(st));
        }
        for (const json& test : group["tests"]) {
            const std::string result = test["result"];
            const ajwt_status status = verify(key.get(), *alg, from_hex(test["msg"]), from_hex(test["sig"]));
            const bool expect_ok = result == "valid";
            if (status != AJWT_OK && status != AJWT_ERR_BAD_SIGNATURE)
                counts.mismatches.push_back("tcId " + std::to_string(test["tcId"].get<int>()) + ": status " +
                                            describe(status));
            else if ((status == AJWT_OK) != expect_ok)
                counts.mismatches.push_back("tcId " + std::to_string(test["tcId"].get<int>()) + " (" + result + ", " +
                                            test["comment"].get<std::string>() + "): " + describe(status));
            if (result == "valid")
                ++counts.valid;
            else if (result == "invalid")
                ++counts.invalid;
            else
                ++counts.acceptable;
        }
    }
    return counts;
}

void expect_clean(const std::string& file, const Counts& counts, size_t min_checked) {
    std::string first;
    for (size_t i = 0; i < counts.mismatches.size() && i < 10; ++i) first += "\n  " + counts.mismatches[i];
    EXPECT_TRUE(counts.mismatches.empty()) << counts.mismatches.size() << " mismatches in " << file << first;
    EXPECT_GE(counts.checked(), min_checked) << file;
    std::printf("[ wycheproof ] %s\n", counts.summary(file).c_str());
    ::testing::Test::RecordProperty(file, counts.summary(file));
}

struct SignatureFile {
    const char* file;
    size_t min_checked;  // so a vector file that silently stops matching cannot pass
};

class WycheproofSignatures : public ::testing::TestWithParam<SignatureFile> {};

TEST_P(WycheproofSignatures, EveryValidVerifiesEveryInvalidFails) {
    const SignatureFile param = GetParam();
    const Counts counts = run_signature_file(param.file);
    expect_clean(param.file, counts, param.min_checked);
    EXPECT_EQ(counts.skipped_parameters, 0u) << "every group of these files has JWS parameters";
    EXPECT_EQ(counts.keys_too_small, 0u) << "every RSA key of these files has at least 2048 bits";
}

INSTANTIATE_TEST_SUITE_P(Files, WycheproofSignatures,
                         ::testing::Values(SignatureFile{"ed25519_test.json", 151},
                                           SignatureFile{"ed448_test.json", 87},
                                           SignatureFile{"ecdsa_secp256r1_sha256_p1363_test.json", 262},
                                           SignatureFile{"ecdsa_secp384r1_sha384_p1363_test.json", 280},
                                           SignatureFile{"rsa_signature_2048_sha256_test.json", 259},
                                           SignatureFile{"rsa_signature_2048_sha384_test.json", 258},
                                           SignatureFile{"rsa_signature_2048_sha512_test.json", 259},
                                           SignatureFile{"rsa_signature_3072_sha256_test.json", 259},
                                           SignatureFile{"rsa_signature_4096_sha512_test.json", 259},
                                           SignatureFile{"rsa_pss_2048_sha256_mgf1_32_test.json", 108},
                                           SignatureFile{"rsa_pss_2048_sha384_mgf1_48_test.json", 141},
                                           SignatureFile{"rsa_pss_4096_sha512_mgf1_64_test.json", 179}),
                         [](const ::testing::TestParamInfo<SignatureFile>& info) {
                             std::string name = info.param.file;
                             name = name.substr(0, name.find("_test.json"));
                             for (char& c : name)
                                 if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
                             return name;
                         });

// The policy for "acceptable" is to refuse: pinned here so a change is a decision, not drift.
TEST(WycheproofPolicy, AcceptableMissingNullIsRefused) {
    size_t acceptable = 0;
    for (const char* file : {"rsa_signature_2048_sha256_test.json", "rsa_signature_2048_sha384_test.json",
                             "rsa_signature_2048_sha512_test.json", "rsa_signature_3072_sha256_test.json",
                             "rsa_signature_4096_sha512_test.json"}) {
        const json vectors = ajwt_test::wycheproof(file);
        for (const json& group : vectors["testGroups"]) {
            const std::string pem = group["publicKeyPem"];
            Key key = load_public(pem, AJWT_FORMAT_PEM);
            for (const json& test : group["tests"]) {
                if (test["result"] != "acceptable") continue;
                ++acceptable;
                EXPECT_EQ(test["flags"], json::array({"MissingNull"})) << file << " tcId " << test["tcId"];
                EXPECT_STATUS(AJWT_ERR_BAD_SIGNATURE,
                              verify(key.get(), *group_alg(group), from_hex(test["msg"]), from_hex(test["sig"])))
                    << file << " tcId " << test["tcId"];
            }
        }
    }
    EXPECT_EQ(acceptable, 5u);
}

// ---- whole JWS (json_web_signature_test.json, json_web_key_test.json) ----------------------
//
// These JWS carry arbitrary payloads ("foo"), not our claims, so they cannot go through
// ajwt_token_parse; they go through the same steps with the C ABI's primitives: exactly three
// parts, strict base64url, a JSON header whose alg is one of ours (never none or HS*), no crit,
// the group's key loaded from its JWK or JWK Set (kid first), and ajwt_signature_verify.

// Strict base64url as libajwt decodes token parts: no padding, no foreign characters, a length
// that is not 1 mod 4, zero unused trailing bits.
std::optional<std::string> strict_b64url(const std::string& text) {
    if (text.size() % 4 == 1) return std::nullopt;
    for (char c : text)
        if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '_') return std::nullopt;
    const std::string out = b64url_decode(text);
    if (b64url_encode(out) != text) return std::nullopt;  // non-canonical trailing bits
    return out;
}

enum class JwsOutcome { Verified, Refused, NotOurAlgorithm };

JwsOutcome run_jws(const std::string& jws, const json& public_key) {
    const size_t a = jws.find('.');
    const size_t b = a == std::string::npos ? a : jws.find('.', a + 1);
    if (b == std::string::npos || jws.find('.', b + 1) != std::string::npos) return JwsOutcome::Refused;
    const auto header_bytes = strict_b64url(jws.substr(0, a));
    const auto payload = strict_b64url(jws.substr(a + 1, b - a - 1));
    const auto signature = strict_b64url(jws.substr(b + 1));
    if (!header_bytes || !payload || !signature) return JwsOutcome::Refused;
    const json header = json::parse(*header_bytes, nullptr, false);
    if (!header.is_object() || !header.contains("alg") || !header["alg"].is_string()) return JwsOutcome::Refused;
    const std::string alg_name = header["alg"];
    const ajwt_alg alg = ajwt_alg_from_name(alg_name.data(), alg_name.size());
    if (alg == AJWT_ALG_UNKNOWN) return JwsOutcome::NotOurAlgorithm;
    if (header.contains("crit")) return JwsOutcome::Refused;
    if (!public_key.is_object()) return JwsOutcome::Refused;

    const std::string key_text = public_key.dump();
    ajwt_keyset* raw_set = nullptr;
    ajwt_status st = public_key.contains("keys")
                         ? ajwt_keyset_parse_jwks(key_text.data(), key_text.size(), &raw_set, nullptr)
                         : ajwt_keyset_new(&raw_set, nullptr);
    Keyset set(raw_set);
    if (st != AJWT_OK) return JwsOutcome::Refused;
    if (!public_key.contains("keys") &&
        ajwt_keyset_add_text(set.get(), key_text.data(), key_text.size(), AJWT_FORMAT_JWK, nullptr) != AJWT_OK)
        return JwsOutcome::Refused;

    const std::string signing_input = jws.substr(0, b);
    std::vector<const ajwt_key*> candidates;
    if (header.contains("kid") && header["kid"].is_string()) {
        const std::string kid = header["kid"];
        if (const ajwt_key* named = ajwt_keyset_find(set.get(), kid.data(), kid.size())) candidates.push_back(named);
    }
    for (size_t i = 0; i < ajwt_keyset_count(set.get()); ++i) candidates.push_back(ajwt_keyset_get(set.get(), i));
    for (const ajwt_key* key : candidates) {
        if (!ajwt_key_supports_alg(key, alg)) continue;
        if (verify(key, alg, signing_input, *signature) == AJWT_OK) return JwsOutcome::Verified;
    }
    return JwsOutcome::Refused;
}

struct JwsCounts {
    size_t checked = 0, valid = 0, invalid = 0, not_ours = 0, no_public_key = 0;
    std::vector<std::string> mismatches;
    std::vector<int> deviations;  // known and documented, see kJwsDeviations
};

// "Valid" cases libajwt refuses on purpose, because a JWK's "alg" binds the key to that one
// algorithm (RFC 7517 §4.4, RFC 8725 §3.1) — the rule that makes the ps512 group's alg
// substitutions (tcId 332–340) invalid, as Wycheproof expects:
//  - Figure 20: the JWK declares PS256, the JWS uses PS384;
//  - Figure 27: the JWK declares "ES521", which is no JWS algorithm (ES512 is); a JWK with an
//    unknown "alg" is refused, as Wycheproof itself requires for "ES224" (invalid_algorithm).
// Each is shown below to verify once the JWK names the algorithm the JWS uses.
const std::map<int, const char*> kJwsDeviations = {
    {346, "PS384"},
    {350, "PS384"},  // rfc7520 / rfc7520WithKeyOps Figure 20
    {347, "ES512"},
    {351, "ES512"},  // rfc7520 / rfc7520WithKeyOps Figure 27
};

JwsCounts run_jws_file(const std::string& file) {
    const json vectors = ajwt_test::wycheproof(file);
    JwsCounts counts;
    for (const json& group : vectors["testGroups"]) {
        for (const json& test : group["tests"]) {
            if (!test["jws"].is_string()) continue;
            const JwsOutcome outcome = run_jws(test["jws"], group.value("public", json()));
            if (outcome == JwsOutcome::NotOurAlgorithm) {
                ++counts.not_ours;  // HS*, none, …: refused by the token parser with ALGORITHM_NOT_ALLOWED
                continue;
            }
            if (!group.contains("public")) {
                ++counts.no_public_key;
                continue;
            }
            ++counts.checked;
            const bool valid = test["result"] == "valid";
            valid ? ++counts.valid : ++counts.invalid;
            const bool deviation =
                file == "json_web_signature_test.json" && kJwsDeviations.count(test["tcId"].get<int>()) != 0;
            if (deviation) counts.deviations.push_back(test["tcId"].get<int>());
            if ((outcome == JwsOutcome::Verified) != valid && !deviation)
                counts.mismatches.push_back(file + " tcId " + std::to_string(test["tcId"].get<int>()) + " (" +
                                            group["comment"].get<std::string>() + ": " +
                                            test["comment"].get<std::string>() + ", " +
                                            test["result"].get<std::string>() + ")");
        }
    }
    return counts;
}

void expect_jws_clean(const std::string& file, const JwsCounts& counts, size_t min_checked) {
    std::string first;
    for (size_t i = 0; i < counts.mismatches.size() && i < 20; ++i) first += "\n  " + counts.mismatches[i];
    EXPECT_TRUE(counts.mismatches.empty()) << counts.mismatches.size() << " mismatches" << first;
    EXPECT_GE(counts.checked, min_checked);
    std::printf(
        "[ wycheproof ] %s: %zu JWS checked (valid %zu, invalid %zu); %zu with algorithms libajwt never "
        "accepts (HS*, none); %zu without a public key\n",
        file.c_str(), counts.checked, counts.valid, counts.invalid, counts.not_ours, counts.no_public_key);
}

TEST(WycheproofJws, JsonWebSignatureFile) {
    const JwsCounts counts = run_jws_file("json_web_signature_test.json");
    expect_jws_clean("json_web_signature_test.json", counts, 300);
    EXPECT_EQ(counts.deviations, (std::vector<int>{346, 347, 350, 351}));
    // The deviations are refusals (never an acceptance of something invalid) ...
    const json vectors = ajwt_test::wycheproof("json_web_signature_test.json");
    for (const json& group : vectors["testGroups"])
        for (const json& test : group["tests"])
            if (kJwsDeviations.count(test["tcId"].get<int>()) != 0) {
                EXPECT_EQ(test["result"], "valid");
                EXPECT_EQ(run_jws(test["jws"], group["public"]), JwsOutcome::Refused);
                // ... and the same key, declared for the algorithm the JWS uses, verifies.
                json fixed = group["public"];
                fixed["alg"] = kJwsDeviations.at(test["tcId"].get<int>());
                EXPECT_EQ(run_jws(test["jws"], fixed), JwsOutcome::Verified) << test["tcId"];
            }
}

TEST(WycheproofJws, JsonWebKeyFile) {
    expect_jws_clean("json_web_key_test.json", run_jws_file("json_web_key_test.json"), 10);
}

// Key-level expectations of the JWK file, with the status that says why.
TEST(WycheproofJws, JwkFileKeysAreRefusedForTheirReason) {
    const json vectors = ajwt_test::wycheproof("json_web_key_test.json");
    const std::map<std::string, ajwt_status> expected = {
        {"keysize_too_small", AJWT_ERR_KEY_TOO_SMALL},
        {"exponentOne", AJWT_ERR_KEY_PARSE},
        {"invalid_point", AJWT_ERR_KEY_PARSE},
        {"wrong_curve", AJWT_ERR_KEY_UNSUPPORTED},  // alg ES256 on P-384
        {"invalid_use", AJWT_ERR_KEY_UNSUPPORTED},
        {"invalid_algorithm", AJWT_ERR_KEY_UNSUPPORTED},
        {"wrong_algorithm", AJWT_ERR_KEY_UNSUPPORTED},
        {"jws_rsa_roca_key", AJWT_ERR_KEY_UNSUPPORTED},  // ROCA, CVE-2017-15361
    };
    size_t seen = 0;
    for (const json& group : vectors["testGroups"]) {
        auto it = expected.find(group["comment"]);
        if (it == expected.end()) continue;
        ++seen;
        const std::string jwk = group["public"]["keys"][0].dump();
        ajwt_key* key = nullptr;
        EXPECT_STATUS(it->second, ajwt_key_load_public(jwk.data(), jwk.size(), AJWT_FORMAT_JWK, &key, nullptr))
            << it->first;
        ajwt_key_free(key);
    }
    EXPECT_EQ(seen, expected.size());
}

}  // namespace
