// Writes the seed corpora of the fuzz targets from the project's test vectors and fixed keys:
//   ajwt_fuzz_seeds OUT_DIR     → OUT_DIR/<target>/<n>
// Tokens are signed with the fixed keys at ajwt_fuzz::kNow, so the verify and authenticator
// targets start from inputs that pass every check; key texts and JWK/JWKS documents come from
// tests/vectors (compat and Wycheproof).
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>

#include <nlohmann/json.hpp>

#include "fuzz_common.hpp"
#include "test_vectors.hpp"

namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using namespace ajwt_fuzz;

std::map<std::string, std::vector<std::string>> g_seeds;

void add(const std::string& target, const std::string& bytes) { g_seeds[target].push_back(bytes); }

std::string b64url(const std::string& bytes) {
    static const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    std::string out;
    unsigned buffer = 0;
    int bits = 0;
    for (unsigned char c : bytes) {
        buffer = (buffer << 8) | c;
        bits += 8;
        while (bits >= 6) {
            bits -= 6;
            out += alphabet[(buffer >> bits) & 63];
        }
    }
    if (bits > 0) out += alphabet[(buffer << (6 - bits)) & 63];
    return out;
}

std::string sign(const ajwt_key* key, const std::string& username, int64_t time, const std::string& nonce,
                 ajwt_alg alg) {
    char* out = nullptr;
    size_t len = 0;
    if (ajwt_sign(key, username.data(), username.size(), time, nonce.data(), nonce.size(), alg, &out, &len, nullptr) !=
        AJWT_OK)
        fail("seed signing");
    std::string token(out, len);
    ajwt_free(out);
    return token;
}

std::string export_key(const ajwt_key* key, ajwt_export_format format, const char* password = nullptr) {
    char* out = nullptr;
    size_t len = 0;
    if (ajwt_key_export(key, format, password, password ? std::strlen(password) : 0, &out, &len, nullptr) != AJWT_OK)
        fail("seed export");
    std::string text(out, len);
    ajwt_free(out);
    return text;
}

void add_token(const std::string& token) {
    add("fuzz_token_parse", token);
    add("fuzz_verify", token);
    add("fuzz_authenticator", "JWT " + token);
}

// Valid tokens for every key and algorithm, and hand-made ones that stop at each check.
void token_seeds() {
    const FixedKeys& keys = fixed_keys();
    int n = 0;
    for (ajwt_key* key : keys.private_keys)
        for (ajwt_alg alg : all_algorithms())
            if (ajwt_key_supports_alg(key, alg))
                add_token(sign(key, "alice", kNow, "nonce-" + std::to_string(n++), alg));
    add_token(sign(keys.private_keys[1], std::string(1024, 'u'), kNow, std::string(1024, 'n'), AJWT_ALG_EDDSA));
    add_token(sign(keys.private_keys[1], "\xc3\xa9l\xc3\xa8ve", kNow - 20, "\xe2\x82\xac", AJWT_ALG_EDDSA));
    add_token(sign(keys.private_keys[1], "nobody1", kNow, "x", AJWT_ALG_EDDSA));
    add_token(sign(keys.private_keys[1], "failing", kNow, "x", AJWT_ALG_EDDSA));
    add_token(sign(keys.private_keys[1], "late", kNow + 21, "x", AJWT_ALG_EDDSA));

    const std::string signature = b64url(std::string(64, '\x01'));
    const json claims = {{"username", "alice"}, {"time", kNow}, {"nonce", "n"}};
    const std::vector<std::pair<json, json>> crafted = {
        {{{"alg", "EdDSA"}}, claims},
        {{{"alg", "EdDSA"}, {"typ", "JWT"}, {"crit", {"exp"}}}, claims},
        {{{"alg", "EdDSA"}, {"typ", "JOSE"}}, claims},
        {{{"alg", "none"}}, claims},
        {{{"alg", "HS256"}}, claims},
        {{{"alg", "EdDSA"}, {"kid", 7}}, claims},
        {{{"alg", "EdDSA"}, {"jku", "https://example.com/jwks"}, {"x5c", {"AAAA"}}, {"jwk", {{"kty", "OKP"}}}}, claims},
        {{{"alg", "EdDSA"}}, {{"username", "alice"}, {"time", 1.7e9}, {"nonce", "n"}}},
        {{{"alg", "EdDSA"}}, {{"username", "alice"}, {"time", 1700000000.5}, {"nonce", "n"}}},
        {{{"alg", "EdDSA"}}, {{"username", "alice"}, {"time", "1700000000"}, {"nonce", "n"}}},
        {{{"alg", "EdDSA"}}, {{"username", "alice"}, {"time", true}, {"nonce", "n"}}},
        {{{"alg", "EdDSA"}}, {{"username", "alice"}, {"time", 9223372036854775807LL}, {"nonce", "n"}}},
        {{{"alg", "EdDSA"}}, {{"username", ""}, {"time", kNow}, {"nonce", "n"}}},
        {{{"alg", "EdDSA"}}, {{"username", {{"a", {1, 2, {{"b", nullptr}}}}}}, {"time", kNow}, {"nonce", "n"}}},
        {{{"alg", "EdDSA"}}, json::array({1, 2})},
    };
    for (const auto& [header, payload] : crafted)
        add_token(b64url(header.dump()) + "." + b64url(payload.dump()) + "." + signature);
    add_token(b64url(R"({"alg":"EdDSA","alg":"RS256"})") + "." + b64url(claims.dump()) + "." + signature);
    add_token(b64url("{\"alg\":\"EdDSA\"}") + "." + b64url("{\"username\":\"\\ud800\",\"time\":1,\"nonce\":\"n\"}") +
              "." + signature);
    add("fuzz_authenticator", "Bearer " + b64url("{}"));
    add("fuzz_authenticator", "");

    // Whole JWS of Wycheproof (RS*, PS*, ES*, HS*: the parser sees foreign algorithms too).
    for (const char* file : {"json_web_signature_test.json", "json_web_key_test.json"}) {
        const json vectors = ajwt_test::wycheproof(file);
        size_t taken = 0;
        for (const auto& group : vectors["testGroups"])
            for (const auto& test : group["tests"])
                if (test["jws"].is_string() && taken++ % 8 == 0) add_token(test["jws"].get<std::string>());
    }
    // Raw ECDSA signatures for verify_raw: first byte 6 → ES256, 7 → ES384 (alg = byte % 10 + 1).
    add("fuzz_verify", std::string(1, '\x06') + std::string(64, '\x7f'));
    add("fuzz_verify", std::string(1, '\x07') + std::string(96, '\xff'));
}

void key_seeds() {
    const FixedKeys& keys = fixed_keys();
    for (size_t i = 0; i < keys.private_keys.size(); ++i) {
        add("fuzz_public_key", export_key(keys.public_keys[i], AJWT_EXPORT_PUBLIC_PEM));
        add("fuzz_public_key", export_key(keys.public_keys[i], AJWT_EXPORT_PUBLIC_JWK));
        add("fuzz_public_key", export_key(keys.public_keys[i], AJWT_EXPORT_PUBLIC_OPENSSH));
        add("fuzz_private_key", export_key(keys.private_keys[i], AJWT_EXPORT_PRIVATE_PKCS8));
    }
    add("fuzz_private_key", export_key(keys.private_keys[1], AJWT_EXPORT_PRIVATE_PKCS8, "password"));
    for (const char* text :
         {fuzz_keys::kP256TraditionalPem, fuzz_keys::kOpensshEd25519Private, fuzz_keys::kOpensshP256Private,
          fuzz_keys::kOpensshRsaPrivate, fuzz_keys::kOpensshEncryptedPrivate, fuzz_keys::kOpensshEncryptedGcmPrivate,
          fuzz_keys::kOpensshEncryptedChachaPrivate})
        add("fuzz_private_key", text);
    for (const char* text :
         {fuzz_keys::kOpensshEd25519Public, fuzz_keys::kOpensshP256Public, fuzz_keys::kOpensshRsaPublic})
        add("fuzz_public_key", text);

    const json& compat = ajwt_test::compat_vectors();
    for (const auto& [name, entry] : compat["public_keys"].items()) {
        add("fuzz_public_key", entry["text"].get<std::string>());
        if (entry.contains("jwk")) add("fuzz_public_key", entry["jwk"].dump());
    }
    for (const auto& [name, text] : compat["invalid_public_keys"].items())
        add("fuzz_public_key", text.get<std::string>());
    for (const auto& [name, entry] : compat["private_keys"].items())
        add("fuzz_private_key", entry["text"].get<std::string>());

    // One group's key per Wycheproof file, as PEM and as JWK.
    for (const char* file : {"ed25519_test.json", "ed448_test.json", "ecdsa_secp256r1_sha256_p1363_test.json",
                             "ecdsa_secp384r1_sha384_p1363_test.json", "rsa_pss_2048_sha256_mgf1_32_test.json",
                             "rsa_signature_2048_sha256_test.json"}) {
        const json group = ajwt_test::wycheproof(file)["testGroups"][0];
        add("fuzz_public_key", group["publicKeyPem"].get<std::string>());
        const char* jwk = group.contains("publicKeyJwk") ? "publicKeyJwk" : "keyJwk";
        if (group.contains(jwk)) add("fuzz_public_key", group[jwk].dump());
    }

    // JWK Sets: ours, and every public JWK / JWKS of the Wycheproof JWS and JWK files.
    ajwt_keyset* set = nullptr;
    if (ajwt_keyset_new(&set, nullptr) != AJWT_OK) fail("keyset");
    for (ajwt_key* key : keys.public_keys) ajwt_keyset_add(set, key, nullptr);
    char* text = nullptr;
    size_t len = 0;
    if (ajwt_keyset_to_jwks(set, &text, &len, nullptr) != AJWT_OK) fail("to_jwks");
    add("fuzz_jwks", std::string(text, len));
    ajwt_free(text);
    ajwt_keyset_free(set);
    for (const char* file : {"json_web_signature_test.json", "json_web_key_test.json"}) {
        const json vectors = ajwt_test::wycheproof(file);
        for (const auto& group : vectors["testGroups"]) {
            for (const char* member : {"public", "private"}) {
                if (!group.contains(member) || !group[member].is_object()) continue;
                const json& value = group[member];
                const json document = value.contains("keys") ? value : json{{"keys", json::array({value})}};
                add("fuzz_jwks", document.dump());
                if (!value.contains("keys")) add("fuzz_public_key", value.dump());
            }
        }
    }
    add("fuzz_jwks", R"({"keys":[]})");
}

}  // namespace

// Requests of the shared binding vectors ("<method>\n<target>"), and a few spellings.
void request_binding_seeds() {
    const json vectors = json::parse(ajwt_test::read_vector_file("binding/request-binding.json"));
    for (const auto& c : vectors["cases"]) {
        const auto& request = c["request"];
        if (request["method"].is_string() && request["target"].is_string())
            add("fuzz_request_binding",
                request["method"].get<std::string>() + "\n" + request["target"].get<std::string>());
    }
    for (const char* target : {"/", "https://h:8443/a/b?c=d#f", "/caf%c3%a9?q=%7e%2B+", "/a/../b?", "*"})
        add("fuzz_request_binding", target);
}

int main(int argc, char** argv) {
    if (argc != 2) {
        std::cerr << "usage: " << argv[0] << " OUT_DIR\n";
        return 2;
    }
    token_seeds();
    key_seeds();
    request_binding_seeds();
    for (const auto& [target, seeds] : g_seeds) {
        const fs::path dir = fs::path(argv[1]) / target;
        fs::create_directories(dir);
        for (size_t i = 0; i < seeds.size(); ++i) {
            std::ofstream out(dir / ("seed-" + std::to_string(i)), std::ios::binary);
            out << seeds[i];
        }
        std::cout << target << ": " << seeds.size() << " seeds\n";
    }
    return 0;
}
