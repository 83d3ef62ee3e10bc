// Registered claims (statuses 60..64), the leeway, and the AJWT_COMPAT_1X token policy through
// the C ABI: the shared vectors (tests/vectors/claims) under both policies, and each status.
#include <cmath>
#include <stdexcept>
#include <string>

#include "capi_support.hpp"

namespace {

using capi_test::Key;
using capi_test::Token;
using capi_test::Verifier;

const nlohmann::json& claim_vectors() {
    static const nlohmann::json vectors =
        nlohmann::json::parse(ajwt_test::read_vector_file("claims/claims-and-policies.json"));
    return vectors;
}

Key vector_public_key() {
    const std::string pem = claim_vectors()["public_key"].get<std::string>();
    ajwt_key* key = nullptr;
    EXPECT_EQ(ajwt_key_load_public(pem.data(), pem.size(), AJWT_FORMAT_PEM, &key, nullptr), AJWT_OK);
    return Key(key);
}

Verifier make_verifier(ajwt_compat compat, int64_t leeway = 0) {
    ajwt_verifier* raw = nullptr;
    EXPECT_EQ(ajwt_verifier_new(&raw, nullptr), AJWT_OK);
    Verifier verifier(raw);
    EXPECT_EQ(ajwt_verifier_set_compat(raw, compat, nullptr), AJWT_OK);
    EXPECT_EQ(ajwt_verifier_set_leeway(raw, leeway, nullptr), AJWT_OK);
    return verifier;
}

// Parse with the verifier's policy, then verify: the first failing status.
ajwt_status check(const ajwt_verifier* verifier, const ajwt_key* key, const std::string& token, int64_t now) {
    ajwt_token* parsed = nullptr;
    const ajwt_status status = ajwt_verifier_parse(verifier, token.data(), token.size(), &parsed, nullptr);
    if (status != AJWT_OK) return status;
    const Token owner(parsed);
    return ajwt_verify(verifier, parsed, key, now, nullptr);
}

TEST(CapiClaims, SharedVectorsUnderBothPolicies) {
    const auto& vectors = claim_vectors();
    const Key key = vector_public_key();
    const Verifier strict = make_verifier(AJWT_COMPAT_STRICT);
    const Verifier compat = make_verifier(AJWT_COMPAT_1X);
    const int64_t now = vectors["now"].get<int64_t>();
    ASSERT_GE(vectors["cases"].size(), 50u);
    for (const auto& c : vectors["cases"]) {
        const std::string token = c["token"].get<std::string>();
        EXPECT_STATUS(static_cast<ajwt_status>(c["strict"].get<int>()), check(strict.get(), key.get(), token, now))
            << c["name"];
        EXPECT_STATUS(static_cast<ajwt_status>(c["compat_1x"].get<int>()), check(compat.get(), key.get(), token, now))
            << c["name"];
    }
}

const nlohmann::json& vector_case(const std::string& name) {
    for (const auto& c : claim_vectors()["cases"])
        if (c["name"] == name) return c;
    throw std::runtime_error("no vector case " + name);
}

std::string vector_token(const std::string& name) { return vector_case(name)["token"].get<std::string>(); }

// Each new status with its message, and the leeway moving each bound by exactly its value.
TEST(CapiClaims, EachStatusAndTheLeeway) {
    const Key key = vector_public_key();
    const Verifier strict = make_verifier(AJWT_COMPAT_STRICT);
    const Verifier lenient = make_verifier(AJWT_COMPAT_STRICT, 30);
    ASSERT_STATUS(AJWT_OK, ajwt_verifier_set_tolerance(lenient.get(), 60, nullptr));  // the time window aside
    const int64_t now = claim_vectors()["now"].get<int64_t>();
    auto status = [&](const Verifier& v, const char* name, int64_t at) {
        return check(v.get(), key.get(), vector_token(name), at);
    };
    // exp = now: expired at once without leeway; with 30 s until now + 30.
    EXPECT_STATUS(AJWT_ERR_TOKEN_EXP_PASSED, status(strict, "exp_now", now));
    EXPECT_STATUS(AJWT_OK, status(lenient, "exp_now", now));
    EXPECT_STATUS(AJWT_OK, status(lenient, "exp_now", now + 29));
    EXPECT_STATUS(AJWT_ERR_TOKEN_EXP_PASSED, status(lenient, "exp_now", now + 30));
    // nbf = iat = now + 1: refused without leeway, accepted with it.
    EXPECT_STATUS(AJWT_ERR_TOKEN_NOT_YET_VALID, status(strict, "nbf_future", now));
    EXPECT_STATUS(AJWT_OK, status(lenient, "nbf_future", now));
    EXPECT_STATUS(AJWT_ERR_TOKEN_IAT_FUTURE, status(strict, "iat_future", now));
    EXPECT_STATUS(AJWT_OK, status(lenient, "iat_future", now));
    EXPECT_STATUS(AJWT_ERR_TOKEN_NOT_YET_VALID, status(lenient, "nbf_future", now - 30));
    EXPECT_STATUS(AJWT_ERR_TOKEN_AUDIENCE, status(lenient, "aud_string", now));
    EXPECT_STATUS(AJWT_ERR_TOKEN_REGISTERED_CLAIM, status(lenient, "sub_integer", now));

    const std::string token = vector_token("exp_now");
    ajwt_token* parsed = nullptr;
    ASSERT_STATUS(AJWT_OK, ajwt_verifier_parse(strict.get(), token.data(), token.size(), &parsed, nullptr));
    const Token owner(parsed);
    capi_test::Err err;
    EXPECT_STATUS(AJWT_ERR_TOKEN_EXP_PASSED, ajwt_verify(strict.get(), parsed, key.get(), now, err.get()));
    EXPECT_EQ(err.e.status, AJWT_ERR_TOKEN_EXP_PASSED);
    EXPECT_NE(err.message().find("exp"), std::string::npos);
}

TEST(CapiClaims, SettersValidate) {
    const Verifier verifier = make_verifier(AJWT_COMPAT_STRICT);
    EXPECT_STATUS(AJWT_ERR_INVALID_ARGUMENT, ajwt_verifier_set_leeway(verifier.get(), -1, nullptr));
    EXPECT_STATUS(AJWT_ERR_INVALID_ARGUMENT, ajwt_verifier_set_leeway(verifier.get(), 86401, nullptr));
    EXPECT_STATUS(AJWT_ERR_INVALID_ARGUMENT, ajwt_verifier_set_leeway(nullptr, 0, nullptr));
    EXPECT_STATUS(AJWT_ERR_INVALID_ARGUMENT,
                  ajwt_verifier_set_compat(verifier.get(), static_cast<ajwt_compat>(2), nullptr));
    EXPECT_STATUS(AJWT_ERR_INVALID_ARGUMENT, ajwt_verifier_set_compat(nullptr, AJWT_COMPAT_1X, nullptr));
    EXPECT_EQ(ajwt_default_leeway(), AJWT_DEFAULT_LEEWAY);
}

TEST(CapiClaims, FractionalTimeAndIntegerNonceUnderTheCompatPolicy) {
    const Key key = vector_public_key();
    const Verifier compat = make_verifier(AJWT_COMPAT_1X);
    const int64_t now = claim_vectors()["now"].get<int64_t>();
    const std::string token = vector_token("time_fraction");  // time = now + 0.5
    ajwt_token* parsed = nullptr;
    ASSERT_STATUS(AJWT_OK, ajwt_verifier_parse(compat.get(), token.data(), token.size(), &parsed, nullptr));
    const Token owner(parsed);
    EXPECT_EQ(ajwt_token_time(parsed), now);  // the floor: what nonce stores are keyed by
    EXPECT_EQ(ajwt_token_time_exact(parsed), static_cast<double>(now) + 0.5);
    // The window on the exact value: now - 20 <= now + 0.5 <= now + 20.
    EXPECT_STATUS(AJWT_OK, ajwt_verify(compat.get(), parsed, key.get(), now + 20, nullptr));
    EXPECT_STATUS(AJWT_ERR_TOKEN_EXPIRED, ajwt_verify(compat.get(), parsed, key.get(), now + 21, nullptr));
    EXPECT_STATUS(AJWT_OK, ajwt_verify(compat.get(), parsed, key.get(), now - 19, nullptr));
    EXPECT_STATUS(AJWT_ERR_TOKEN_FROM_FUTURE, ajwt_verify(compat.get(), parsed, key.get(), now - 20, nullptr));
    // The strict policy, and ajwt_token_parse, refuse it.
    ajwt_token* refused = nullptr;
    EXPECT_STATUS(AJWT_ERR_TOKEN_TIME, ajwt_token_parse(token.data(), token.size(), 0, &refused, nullptr));
    EXPECT_EQ(refused, nullptr);
    EXPECT_EQ(ajwt_token_time_exact(nullptr), 0);

    const std::string with_int_nonce = vector_token("nonce_integer");
    ASSERT_STATUS(AJWT_OK,
                  ajwt_verifier_parse(compat.get(), with_int_nonce.data(), with_int_nonce.size(), &refused, nullptr));
    const Token owner2(refused);
    size_t len = 0;
    EXPECT_EQ(std::string(ajwt_token_nonce(refused, &len)), "42");
    EXPECT_EQ(ajwt_token_time_exact(refused), static_cast<double>(now));
}

// A fractional clock (ajwt_verify_at): the window and the registered claims exactly as 1.x
// compares them with time.time() and PyJWT's datetime.now().timestamp().
TEST(CapiClaims, FractionalClock) {
    const Key key = vector_public_key();
    const Verifier compat = make_verifier(AJWT_COMPAT_1X);
    const double now = static_cast<double>(claim_vectors()["now"].get<int64_t>());
    const Verifier wide = make_verifier(AJWT_COMPAT_1X);  // the time window aside
    ASSERT_STATUS(AJWT_OK, ajwt_verifier_set_tolerance(wide.get(), 100, nullptr));
    auto at = [&](const char* name, double clock, const Verifier* verifier = nullptr) {
        const ajwt_verifier* v = verifier ? verifier->get() : compat.get();
        const std::string token = vector_token(name);
        ajwt_token* parsed = nullptr;
        ajwt_status status = ajwt_verifier_parse(v, token.data(), token.size(), &parsed, nullptr);
        if (status == AJWT_OK) status = ajwt_verify_at(v, parsed, key.get(), clock, nullptr);
        ajwt_token_free(parsed);
        return status;
    };
    // nbf = now + 1: still in the future at now + 0.25 (ajwt_verify would need a whole second).
    EXPECT_STATUS(AJWT_ERR_TOKEN_NOT_YET_VALID, at("nbf_future", now + 0.25));
    EXPECT_STATUS(AJWT_OK, at("nbf_future", now + 1.0));
    // exp = now: passed at now exactly and after.
    EXPECT_STATUS(AJWT_ERR_TOKEN_EXP_PASSED, at("exp_now", now));
    EXPECT_STATUS(AJWT_ERR_TOKEN_EXP_PASSED, at("exp_now", now + 0.25));
    EXPECT_STATUS(AJWT_OK, at("exp_now", now - 0.25));
    EXPECT_STATUS(AJWT_OK, at("exp_future", now + 59.75, &wide));  // exp = now + 60
    EXPECT_STATUS(AJWT_ERR_TOKEN_EXP_PASSED, at("exp_future", now + 60.0, &wide));
    // time = now + 0.5 against now ± 20 on the exact values.
    EXPECT_STATUS(AJWT_OK, at("time_fraction", now + 20.5));
    EXPECT_STATUS(AJWT_ERR_TOKEN_EXPIRED, at("time_fraction", now + 20.5 + 1.0 / 1024));
    EXPECT_STATUS(AJWT_OK, at("time_fraction", now - 19.5));
    EXPECT_STATUS(AJWT_ERR_TOKEN_FROM_FUTURE, at("time_fraction", now - 19.5 - 1.0 / 1024));
    // time = now (integer) against a fractional clock.
    EXPECT_STATUS(AJWT_OK, at("baseline", now + 20.0));
    EXPECT_STATUS(AJWT_ERR_TOKEN_EXPIRED, at("baseline", now + 20.25));
    EXPECT_STATUS(AJWT_ERR_TOKEN_FROM_FUTURE, at("baseline", now - 20.25));
    EXPECT_STATUS(AJWT_ERR_INVALID_ARGUMENT, at("baseline", std::nan("")));
    EXPECT_STATUS(AJWT_ERR_INVALID_ARGUMENT, at("baseline", 1e19));
    EXPECT_STATUS(AJWT_ERR_INVALID_ARGUMENT, ajwt_verify_at(compat.get(), nullptr, key.get(), now, nullptr));
}

}  // namespace
