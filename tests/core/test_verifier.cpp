// Verification policy: algorithms, signature, time window, nonce, key sets, concurrency.
#include <gtest/gtest.h>

#include <atomic>
#include <condition_variable>
#include <limits>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <openssl/hmac.h>

#include "base64url.hpp"
#include "error.hpp"
#include "keyset.hpp"
#include "nonce_store.hpp"
#include "signature.hpp"
#include "token.hpp"
#include "token_test_helpers.hpp"
#include "verifier.hpp"

namespace {

using ajwt::Claims;
using ajwt::ParsedToken;
using ajwt::Verifier;
using ajwt_test::b64;
using ajwt_test::craft_token;
using ajwt_test::private_key;
using ajwt_test::public_key;
using ajwt_test::status_of;

constexpr int64_t kNow = 1700000000;

ParsedToken make_token(ajwt_key_type type, int64_t time = kNow, ajwt_alg alg = AJWT_ALG_UNKNOWN,
                       const std::string& nonce = "n1", int index = 0) {
    return ajwt::parse_token(ajwt::sign_token(*private_key(type, index), {"guido", time, nonce}, alg), 8192);
}

ajwt_status verify_status(const Verifier& verifier, const ParsedToken& token, const ajwt::Key& key,
                          int64_t now = kNow) {
    return status_of([&] { verifier.verify(token, key, now); });
}

std::string replace_part(const std::string& token, int index, const std::string& replacement) {
    std::vector<std::string> parts;
    size_t start = 0;
    for (int i = 0; i < 3; ++i) {
        size_t end = token.find('.', start);
        parts.push_back(token.substr(start, end == std::string::npos ? std::string::npos : end - start));
        start = end + 1;
    }
    parts[index] = replacement;
    return parts[0] + "." + parts[1] + "." + parts[2];
}

TEST(Verifier, DefaultAlgorithmsOfEveryKeyType) {
    const Verifier verifier;
    for (ajwt_key_type type :
         {AJWT_KEY_RSA, AJWT_KEY_ED25519, AJWT_KEY_ED448, AJWT_KEY_EC_P256, AJWT_KEY_EC_P384, AJWT_KEY_EC_P521}) {
        EXPECT_EQ(verify_status(verifier, make_token(type), *public_key(type)), AJWT_OK) << type;
    }
    for (ajwt_alg alg : {AJWT_ALG_RS256, AJWT_ALG_RS384, AJWT_ALG_RS512})
        EXPECT_EQ(verify_status(verifier, make_token(AJWT_KEY_RSA, kNow, alg), *public_key(AJWT_KEY_RSA)), AJWT_OK);
}

TEST(Verifier, PssOnlyWhenListed) {
    Verifier verifier;
    const auto token = make_token(AJWT_KEY_RSA, kNow, AJWT_ALG_PS256);
    EXPECT_FALSE(verifier.allows(AJWT_ALG_PS256));
    EXPECT_EQ(verify_status(verifier, token, *public_key(AJWT_KEY_RSA)), AJWT_ERR_ALGORITHM_NOT_ALLOWED);
    verifier.set_algorithms({AJWT_ALG_PS256, AJWT_ALG_EDDSA});
    EXPECT_TRUE(verifier.allows(AJWT_ALG_PS256));
    EXPECT_EQ(verify_status(verifier, token, *public_key(AJWT_KEY_RSA)), AJWT_OK);
    // The list replaces the defaults.
    EXPECT_EQ(verify_status(verifier, make_token(AJWT_KEY_RSA), *public_key(AJWT_KEY_RSA)),
              AJWT_ERR_ALGORITHM_NOT_ALLOWED);
    EXPECT_EQ(verify_status(verifier, make_token(AJWT_KEY_ED25519), *public_key(AJWT_KEY_ED25519)), AJWT_OK);
}

TEST(Verifier, AlgorithmMustFitTheKey) {
    const Verifier verifier;
    // RS256 token presented against an EC key, an EdDSA token against RSA, ES384 against P-256.
    EXPECT_EQ(verify_status(verifier, make_token(AJWT_KEY_RSA, kNow, AJWT_ALG_RS256), *public_key(AJWT_KEY_EC_P256)),
              AJWT_ERR_ALGORITHM_NOT_ALLOWED);
    EXPECT_EQ(verify_status(verifier, make_token(AJWT_KEY_ED25519), *public_key(AJWT_KEY_RSA)),
              AJWT_ERR_ALGORITHM_NOT_ALLOWED);
    EXPECT_EQ(verify_status(verifier, make_token(AJWT_KEY_EC_P384), *public_key(AJWT_KEY_EC_P256)),
              AJWT_ERR_ALGORITHM_NOT_ALLOWED);
}

TEST(Verifier, NoneAndHmacNeverParse) {
    const std::string payload = R"({"username":"guido","time":1700000000,"nonce":"n"})";
    const std::string none = b64(R"({"alg":"none","typ":"JWT"})") + "." + b64(payload) + ".";
    EXPECT_EQ(status_of([&] { Verifier().parse(none); }), AJWT_ERR_TOKEN_FORMAT);
    EXPECT_EQ(status_of([&] { Verifier().parse(none + "AA"); }), AJWT_ERR_ALGORITHM_NOT_ALLOWED);
    // The classic key-confusion forgery: HS256 keyed with the public key's PEM text.
    const auto& pem = public_key(AJWT_KEY_RSA)->public_pem();
    const std::string input = b64(R"({"alg":"HS256","typ":"JWT"})") + "." + b64(payload);
    unsigned char mac[32];
    unsigned int mac_size = 0;
    HMAC(EVP_sha256(), pem.data(), static_cast<int>(pem.size()), reinterpret_cast<const unsigned char*>(input.data()),
         input.size(), mac, &mac_size);
    const std::string forged = input + "." + b64(std::string(reinterpret_cast<char*>(mac), mac_size));
    EXPECT_EQ(status_of([&] { Verifier().parse(forged); }), AJWT_ERR_ALGORITHM_NOT_ALLOWED);
}

TEST(Verifier, TamperingBreaksTheSignature) {
    const Verifier verifier;
    const auto& key = *public_key(AJWT_KEY_RSA);
    const std::string token = ajwt::sign_token(*private_key(AJWT_KEY_RSA), {"guido", kNow, "n"}, AJWT_ALG_UNKNOWN);
    auto status = [&](const std::string& text) { return verify_status(verifier, verifier.parse(text), key); };
    EXPECT_EQ(status(token), AJWT_OK);
    // Payload: another user.
    EXPECT_EQ(status(replace_part(token, 1, b64(R"({"nonce":"n","time":1700000000,"username":"admin"})"))),
              AJWT_ERR_BAD_SIGNATURE);
    // Header: a weaker algorithm of the same family, or another kid.
    EXPECT_EQ(status(replace_part(token, 0, b64(R"({"alg":"RS256","kid":"x","typ":"JWT"})"))), AJWT_ERR_BAD_SIGNATURE);
    EXPECT_EQ(status(replace_part(token, 0, b64(R"({"alg":"RS512","typ":"JWT"})"))), AJWT_ERR_BAD_SIGNATURE);
    // Signature bytes.
    std::string signature = ajwt::base64url_decode(token.substr(token.rfind('.') + 1)).value();
    signature[10] ^= 0x20;
    EXPECT_EQ(status(replace_part(token, 2, b64(signature))), AJWT_ERR_BAD_SIGNATURE);
    EXPECT_EQ(status(replace_part(token, 2, b64(signature.substr(1)))), AJWT_ERR_BAD_SIGNATURE);
}

TEST(Verifier, WrongKeyIsBadSignature) {
    const Verifier verifier;
    for (ajwt_key_type type : {AJWT_KEY_RSA, AJWT_KEY_ED25519, AJWT_KEY_EC_P256})
        EXPECT_EQ(verify_status(verifier, make_token(type), *public_key(type, 1)), AJWT_ERR_BAD_SIGNATURE) << type;
}

TEST(Verifier, TimeWindowEdges) {
    Verifier verifier;
    const auto& key = *public_key(AJWT_KEY_ED25519);
    EXPECT_EQ(verify_status(verifier, make_token(AJWT_KEY_ED25519, kNow), key), AJWT_OK);
    EXPECT_EQ(verify_status(verifier, make_token(AJWT_KEY_ED25519, kNow - 20), key), AJWT_OK);
    EXPECT_EQ(verify_status(verifier, make_token(AJWT_KEY_ED25519, kNow + 20), key), AJWT_OK);
    EXPECT_EQ(verify_status(verifier, make_token(AJWT_KEY_ED25519, kNow - 21), key), AJWT_ERR_TOKEN_EXPIRED);
    EXPECT_EQ(verify_status(verifier, make_token(AJWT_KEY_ED25519, kNow + 21), key), AJWT_ERR_TOKEN_FROM_FUTURE);

    verifier.set_tolerance(0);
    EXPECT_EQ(verify_status(verifier, make_token(AJWT_KEY_ED25519, kNow), key), AJWT_OK);
    EXPECT_EQ(verify_status(verifier, make_token(AJWT_KEY_ED25519, kNow - 1), key), AJWT_ERR_TOKEN_EXPIRED);
    EXPECT_EQ(verify_status(verifier, make_token(AJWT_KEY_ED25519, kNow + 1), key), AJWT_ERR_TOKEN_FROM_FUTURE);

    verifier.set_tolerance(86400);
    EXPECT_EQ(verify_status(verifier, make_token(AJWT_KEY_ED25519, kNow - 86400), key), AJWT_OK);
    EXPECT_EQ(verify_status(verifier, make_token(AJWT_KEY_ED25519, kNow - 86401), key), AJWT_ERR_TOKEN_EXPIRED);
}

TEST(Verifier, ExtremeClockValuesDoNotOverflow) {
    Verifier verifier;
    verifier.set_tolerance(86400);
    const auto max = std::numeric_limits<int64_t>::max(), min = std::numeric_limits<int64_t>::min();
    for (int64_t time : {ajwt::kMaxAbsTime, -ajwt::kMaxAbsTime, int64_t{0}}) {
        const auto token = make_token(AJWT_KEY_ED25519, time);
        EXPECT_EQ(status_of([&] { verifier.check_time(token, max); }), AJWT_ERR_TOKEN_EXPIRED);
        EXPECT_EQ(status_of([&] { verifier.check_time(token, min); }), AJWT_ERR_TOKEN_FROM_FUTURE);
        EXPECT_EQ(status_of([&] { verifier.check_time(token, time); }), AJWT_OK);
    }
}

TEST(Verifier, OrderIsSignatureThenTimeThenNonce) {
    Verifier verifier;
    auto store = ajwt::make_memory_nonce_store(40, 100);
    verifier.set_nonce_store(store);
    // Expired and badly signed: the signature is reported.
    EXPECT_EQ(verify_status(verifier, make_token(AJWT_KEY_ED25519, kNow - 100), *public_key(AJWT_KEY_ED25519, 1)),
              AJWT_ERR_BAD_SIGNATURE);
    // Expired: the nonce is not consumed.
    EXPECT_EQ(verify_status(verifier, make_token(AJWT_KEY_ED25519, kNow - 100), *public_key(AJWT_KEY_ED25519)),
              AJWT_ERR_TOKEN_EXPIRED);
    EXPECT_EQ(store->size(), 0u);
    const auto token = make_token(AJWT_KEY_ED25519);
    EXPECT_EQ(verify_status(verifier, token, *public_key(AJWT_KEY_ED25519)), AJWT_OK);
    EXPECT_EQ(store->size(), 1u);
    EXPECT_EQ(verify_status(verifier, token, *public_key(AJWT_KEY_ED25519)), AJWT_ERR_NONCE_REPLAYED);
    // Another nonce in the same second is a new request.
    EXPECT_EQ(verify_status(verifier, make_token(AJWT_KEY_ED25519, kNow, AJWT_ALG_UNKNOWN, "n2"),
                            *public_key(AJWT_KEY_ED25519)),
              AJWT_OK);
    // Without a store, replays are not detected (the host opted out).
    EXPECT_EQ(verify_status(Verifier(), token, *public_key(AJWT_KEY_ED25519)), AJWT_OK);
}

TEST(Verifier, SettersValidate) {
    Verifier verifier;
    EXPECT_EQ(status_of([&] { verifier.set_tolerance(-1); }), AJWT_ERR_INVALID_ARGUMENT);
    EXPECT_EQ(status_of([&] { verifier.set_tolerance(86401); }), AJWT_ERR_INVALID_ARGUMENT);
    EXPECT_EQ(status_of([&] { verifier.set_tolerance(0); }), AJWT_OK);
    EXPECT_EQ(status_of([&] { verifier.set_tolerance(86400); }), AJWT_OK);
    EXPECT_EQ(verifier.policy().tolerance, 86400);
    EXPECT_EQ(status_of([&] { verifier.set_max_token_size(63); }), AJWT_ERR_INVALID_ARGUMENT);
    EXPECT_EQ(status_of([&] { verifier.set_max_token_size(1048577); }), AJWT_ERR_INVALID_ARGUMENT);
    EXPECT_EQ(status_of([&] { verifier.set_max_token_size(64); }), AJWT_OK);
    EXPECT_EQ(status_of([&] { verifier.set_max_token_size(1048576); }), AJWT_OK);
    EXPECT_EQ(status_of([&] { verifier.set_algorithms({}); }), AJWT_ERR_INVALID_ARGUMENT);
    EXPECT_EQ(status_of([&] {
                  verifier.set_algorithms({AJWT_ALG_RS256, AJWT_ALG_UNKNOWN});
              }),
              AJWT_ERR_INVALID_ARGUMENT);
    EXPECT_EQ(status_of([&] { verifier.set_algorithms({static_cast<ajwt_alg>(11)}); }), AJWT_ERR_INVALID_ARGUMENT);
    EXPECT_EQ(verifier.policy().algorithms.size(), 0u);  // unchanged after refusals
    EXPECT_EQ(status_of([&] { Verifier(ajwt::VerifierPolicy{-5, {}, 8192, nullptr}); }), AJWT_ERR_INVALID_ARGUMENT);
    EXPECT_EQ(status_of([&] { Verifier(ajwt::VerifierPolicy{20, {}, 10, nullptr}); }), AJWT_ERR_INVALID_ARGUMENT);
    EXPECT_EQ(Verifier(ajwt::VerifierPolicy{7, {AJWT_ALG_ES256}, 100, nullptr}).policy().tolerance, 7);
}

TEST(Verifier, ParseUsesTheSizeCap) {
    Verifier verifier;
    const std::string token = ajwt::sign_token(*private_key(AJWT_KEY_ED25519), {"u", kNow, "n"}, AJWT_ALG_UNKNOWN);
    EXPECT_EQ(status_of([&] { verifier.parse(token); }), AJWT_OK);
    verifier.set_max_token_size(64);
    EXPECT_EQ(status_of([&] { verifier.parse(token); }), AJWT_ERR_TOKEN_TOO_LARGE);
}

// ---- key sets --------------------------------------------------------------------------------

ajwt::KeySet rsa_set(std::initializer_list<int> indexes) {
    ajwt::KeySet set;
    for (int index : indexes) set.add(public_key(AJWT_KEY_RSA, index));
    return set;
}

TEST(VerifierKeySet, KidMemberIsTriedFirst) {
    const Verifier verifier;
    const ajwt::KeySet set = rsa_set({1, 2, 3, 4, 0});
    const auto token = make_token(AJWT_KEY_RSA);
    const uint64_t before = ajwt::verify_attempts_on_this_thread();
    const ajwt::KeyPtr& used = verifier.verify(token, set, kNow);
    EXPECT_EQ(ajwt::verify_attempts_on_this_thread() - before, 1u);
    EXPECT_EQ(used->fingerprint(), private_key(AJWT_KEY_RSA)->fingerprint());
}

TEST(VerifierKeySet, WithoutKidEveryFittingMemberIsTried) {
    const Verifier verifier;
    const ajwt::KeySet set = rsa_set({1, 2, 3, 4, 0});
    const auto token = ajwt::parse_token(craft_token(*private_key(AJWT_KEY_RSA), AJWT_ALG_RS256, R"({"alg":"RS256"})",
                                                     R"({"username":"u","time":1700000000,"nonce":"n"})"),
                                         8192);
    const uint64_t before = ajwt::verify_attempts_on_this_thread();
    EXPECT_EQ(verifier.verify(token, set, kNow)->fingerprint(), private_key(AJWT_KEY_RSA)->fingerprint());
    EXPECT_EQ(ajwt::verify_attempts_on_this_thread() - before, 5u);
}

TEST(VerifierKeySet, WrongKidFallsBackToTheOthersOnce) {
    const Verifier verifier;
    const ajwt::KeySet set = rsa_set({1, 0, 2});
    // The kid names key 1 but key 0 signed: key 1, then keys 0 (found), never key 1 twice.
    const std::string header = R"({"alg":"RS512","kid":")" + public_key(AJWT_KEY_RSA, 1)->kid() + R"("})";
    const auto token = ajwt::parse_token(craft_token(*private_key(AJWT_KEY_RSA), AJWT_ALG_RS512, header,
                                                     R"({"username":"u","time":1700000000,"nonce":"n"})"),
                                         8192);
    const uint64_t before = ajwt::verify_attempts_on_this_thread();
    EXPECT_EQ(verifier.verify(token, set, kNow)->fingerprint(), private_key(AJWT_KEY_RSA)->fingerprint());
    EXPECT_EQ(ajwt::verify_attempts_on_this_thread() - before, 2u);
    // No member verifies: each fitting member is tried exactly once.
    const ajwt::KeySet others = rsa_set({1, 2, 3});
    const uint64_t start = ajwt::verify_attempts_on_this_thread();
    EXPECT_EQ(status_of([&] { verifier.verify(token, others, kNow); }), AJWT_ERR_BAD_SIGNATURE);
    EXPECT_EQ(ajwt::verify_attempts_on_this_thread() - start, 3u);
}

TEST(VerifierKeySet, NoMatchingKey) {
    const Verifier verifier;
    const auto token = make_token(AJWT_KEY_RSA);
    EXPECT_EQ(status_of([&] { verifier.verify(token, ajwt::KeySet(), kNow); }), AJWT_ERR_NO_MATCHING_KEY);
    ajwt::KeySet other_types;
    other_types.add(public_key(AJWT_KEY_ED25519));
    other_types.add(public_key(AJWT_KEY_EC_P256));
    const uint64_t before = ajwt::verify_attempts_on_this_thread();
    EXPECT_EQ(status_of([&] { verifier.verify(token, other_types, kNow); }), AJWT_ERR_NO_MATCHING_KEY);
    EXPECT_EQ(ajwt::verify_attempts_on_this_thread(), before);
    // Refused by policy before any key is considered.
    Verifier strict;
    strict.set_algorithms({AJWT_ALG_EDDSA});
    EXPECT_EQ(status_of([&] { strict.verify(token, ajwt::KeySet(), kNow); }), AJWT_ERR_ALGORITHM_NOT_ALLOWED);
}

TEST(VerifierKeySet, MixedTypesSkipsUnfitMembers) {
    const Verifier verifier;
    ajwt::KeySet set;
    set.add(public_key(AJWT_KEY_ED25519));
    set.add(public_key(AJWT_KEY_RSA, 1));
    set.add(public_key(AJWT_KEY_EC_P256));
    set.add(public_key(AJWT_KEY_EC_P256, 1));
    const auto token = make_token(AJWT_KEY_EC_P256, kNow, AJWT_ALG_UNKNOWN, "n", 1);
    EXPECT_EQ(verifier.verify(token, set, kNow)->fingerprint(), public_key(AJWT_KEY_EC_P256, 1)->fingerprint());
    EXPECT_EQ(status_of([&] { verifier.verify(make_token(AJWT_KEY_RSA), set, kNow); }), AJWT_ERR_BAD_SIGNATURE);
}

TEST(VerifierKeySet, TimeAndNonceAfterSignature) {
    Verifier verifier;
    verifier.set_nonce_store(ajwt::make_memory_nonce_store(40, 10));
    const ajwt::KeySet set = rsa_set({0});
    EXPECT_EQ(status_of([&] { verifier.verify(make_token(AJWT_KEY_RSA, kNow + 60), set, kNow); }),
              AJWT_ERR_TOKEN_FROM_FUTURE);
    const auto token = make_token(AJWT_KEY_RSA);
    EXPECT_EQ(status_of([&] { verifier.verify(token, set, kNow); }), AJWT_OK);
    EXPECT_EQ(status_of([&] { verifier.verify(token, set, kNow); }), AJWT_ERR_NONCE_REPLAYED);
    EXPECT_EQ(status_of([&] { verifier.find_signer(token, set); }), AJWT_OK);  // signature only
}

// ---- concurrency -----------------------------------------------------------------------------

// C++17 has no std::barrier.
class Barrier {
public:
    explicit Barrier(size_t count) : count_(count) {}
    void wait() {
        std::unique_lock<std::mutex> lock(mutex_);
        const size_t generation = generation_;
        if (++waiting_ == count_) {
            waiting_ = 0;
            ++generation_;
            cv_.notify_all();
        } else {
            cv_.wait(lock, [&] { return generation != generation_; });
        }
    }

private:
    std::mutex mutex_;
    std::condition_variable cv_;
    size_t count_, waiting_ = 0, generation_ = 0;
};

TEST(VerifierConcurrency, OneTokenSixteenThreadsExactlyOneWins) {
    constexpr int kThreads = 16, kRounds = 250;
    Verifier verifier;
    verifier.set_nonce_store(ajwt::make_memory_nonce_store(40, 100000));
    const auto key = public_key(AJWT_KEY_ED25519);
    std::vector<ParsedToken> tokens;
    for (int round = 0; round < kRounds; ++round)
        tokens.push_back(make_token(AJWT_KEY_ED25519, kNow, AJWT_ALG_UNKNOWN, "nonce-" + std::to_string(round)));

    std::vector<std::atomic<int>> wins(kRounds), replays(kRounds), others(kRounds);
    Barrier barrier(kThreads);
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t) {
        threads.emplace_back([&] {
            for (int round = 0; round < kRounds; ++round) {
                barrier.wait();
                switch (status_of([&] { verifier.verify(tokens[round], *key, kNow); })) {
                    case AJWT_OK: ++wins[round]; break;
                    case AJWT_ERR_NONCE_REPLAYED: ++replays[round]; break;
                    default: ++others[round]; break;
                }
            }
        });
    }
    for (auto& thread : threads) thread.join();
    for (int round = 0; round < kRounds; ++round) {
        EXPECT_EQ(wins[round].load(), 1) << "round " << round;
        EXPECT_EQ(replays[round].load(), kThreads - 1) << "round " << round;
        EXPECT_EQ(others[round].load(), 0) << "round " << round;
    }
    EXPECT_EQ(verifier.policy().nonce_store->size(), static_cast<size_t>(kRounds));
}

}  // namespace

namespace {

// A strict or 1.x verifier's status for a token whose payload is the usual three claims plus
// `extra` (JSON members, leading comma), signed with Ed25519.
ajwt_status claims_status(const std::string& extra, int64_t now, ajwt_compat compat = AJWT_COMPAT_STRICT,
                          int64_t leeway = 0, const std::string& time = std::to_string(kNow)) {
    const auto& key = *ajwt_test::private_key(AJWT_KEY_ED25519);
    const std::string token =
        ajwt_test::craft_token(key, AJWT_ALG_EDDSA, R"({"alg":"EdDSA"})",
                               R"({"username":"u","time":)" + time + R"(,"nonce":"n")" + extra + "}");
    return ajwt_test::status_of([&] {
        Verifier verifier;
        verifier.set_compat(compat);
        verifier.set_leeway(leeway);
        verifier.verify(verifier.parse(token), key, now);
    });
}

}  // namespace

TEST(VerifierClaims, EachRegisteredClaimStatus) {
    EXPECT_EQ(claims_status(",\"exp\":" + std::to_string(kNow), kNow), AJWT_ERR_TOKEN_EXP_PASSED);
    EXPECT_EQ(claims_status(",\"exp\":" + std::to_string(kNow + 1), kNow), AJWT_OK);
    EXPECT_EQ(claims_status(",\"nbf\":" + std::to_string(kNow + 1), kNow), AJWT_ERR_TOKEN_NOT_YET_VALID);
    EXPECT_EQ(claims_status(",\"nbf\":" + std::to_string(kNow), kNow), AJWT_OK);
    EXPECT_EQ(claims_status(",\"iat\":" + std::to_string(kNow + 1), kNow), AJWT_ERR_TOKEN_IAT_FUTURE);
    EXPECT_EQ(claims_status(",\"aud\":\"x\"", kNow), AJWT_ERR_TOKEN_AUDIENCE);
    EXPECT_EQ(claims_status(",\"aud\":{\"a\":1}", kNow), AJWT_ERR_TOKEN_AUDIENCE);
    EXPECT_EQ(claims_status(",\"aud\":{}", kNow), AJWT_OK);
    EXPECT_EQ(claims_status(",\"aud\":false", kNow), AJWT_OK);
    EXPECT_EQ(claims_status(",\"aud\":0.0", kNow), AJWT_OK);
    EXPECT_EQ(claims_status(",\"exp\":\"soon\"", kNow), AJWT_ERR_TOKEN_REGISTERED_CLAIM);
    EXPECT_EQ(claims_status(",\"iat\":{}", kNow), AJWT_ERR_TOKEN_REGISTERED_CLAIM);
    EXPECT_EQ(claims_status(",\"sub\":[]", kNow), AJWT_ERR_TOKEN_REGISTERED_CLAIM);
    EXPECT_EQ(claims_status(",\"jti\":7", kNow), AJWT_ERR_TOKEN_REGISTERED_CLAIM);
    // PyJWT's order: iat before nbf before exp before aud before sub/jti.
    EXPECT_EQ(claims_status(",\"exp\":1,\"iat\":\"x\"", kNow), AJWT_ERR_TOKEN_REGISTERED_CLAIM);
    EXPECT_EQ(claims_status(",\"exp\":1,\"nbf\":" + std::to_string(kNow + 5), kNow), AJWT_ERR_TOKEN_NOT_YET_VALID);
    EXPECT_EQ(claims_status(",\"aud\":\"x\",\"exp\":1", kNow), AJWT_ERR_TOKEN_EXP_PASSED);
    // Before the time window.
    EXPECT_EQ(claims_status(",\"exp\":1", kNow, AJWT_COMPAT_STRICT, 0, "1"), AJWT_ERR_TOKEN_EXP_PASSED);
}

TEST(VerifierClaims, FractionsTruncateAndBoolsCountOnlyUnderTheCompatPolicy) {
    // int(1700000000.9) == 1700000000 <= now: expired; int(-0.5) == 0.
    EXPECT_EQ(claims_status(",\"exp\":1700000000.9", kNow), AJWT_ERR_TOKEN_EXP_PASSED);
    EXPECT_EQ(claims_status(",\"iat\":1700000000.9", kNow), AJWT_OK);
    EXPECT_EQ(claims_status(",\"nbf\":true", kNow), AJWT_ERR_TOKEN_REGISTERED_CLAIM);
    EXPECT_EQ(claims_status(",\"nbf\":true", kNow, AJWT_COMPAT_1X), AJWT_OK);
    EXPECT_EQ(claims_status(",\"exp\":true", kNow, AJWT_COMPAT_1X), AJWT_ERR_TOKEN_EXP_PASSED);
    EXPECT_EQ(claims_status(",\"exp\":null", kNow, AJWT_COMPAT_1X), AJWT_ERR_TOKEN_REGISTERED_CLAIM);
}

TEST(VerifierClaims, LeewayMovesEachBoundByItsValue) {
    EXPECT_EQ(claims_status(",\"exp\":" + std::to_string(kNow - 4), kNow, AJWT_COMPAT_STRICT, 5), AJWT_OK);
    EXPECT_EQ(claims_status(",\"exp\":" + std::to_string(kNow - 5), kNow, AJWT_COMPAT_STRICT, 5),
              AJWT_ERR_TOKEN_EXP_PASSED);
    EXPECT_EQ(claims_status(",\"nbf\":" + std::to_string(kNow + 5), kNow, AJWT_COMPAT_STRICT, 5), AJWT_OK);
    EXPECT_EQ(claims_status(",\"nbf\":" + std::to_string(kNow + 6), kNow, AJWT_COMPAT_STRICT, 5),
              AJWT_ERR_TOKEN_NOT_YET_VALID);
    EXPECT_EQ(claims_status(",\"iat\":" + std::to_string(kNow + 6), kNow, AJWT_COMPAT_STRICT, 5),
              AJWT_ERR_TOKEN_IAT_FUTURE);
    Verifier verifier;
    EXPECT_EQ(status_of([&] { verifier.set_leeway(-1); }), AJWT_ERR_INVALID_ARGUMENT);
    EXPECT_EQ(status_of([&] { verifier.set_leeway(86401); }), AJWT_ERR_INVALID_ARGUMENT);
    EXPECT_EQ(status_of([&] { verifier.set_compat(static_cast<ajwt_compat>(7)); }), AJWT_ERR_INVALID_ARGUMENT);
    EXPECT_EQ(verifier.policy().leeway, 0);
}

TEST(VerifierClaims, HugeDatesAndExtremeClocksDoNotOverflow) {
    EXPECT_EQ(claims_status(",\"exp\":1e300,\"nbf\":-1e300,\"iat\":-99999999999999999999", kNow), AJWT_OK);
    EXPECT_EQ(claims_status(",\"exp\":-1e300", kNow), AJWT_ERR_TOKEN_EXP_PASSED);
    EXPECT_EQ(claims_status(",\"nbf\":99999999999999999999", kNow), AJWT_ERR_TOKEN_NOT_YET_VALID);
    const int64_t max = std::numeric_limits<int64_t>::max(), min = std::numeric_limits<int64_t>::min();
    EXPECT_EQ(claims_status(",\"exp\":9223372036854775807", max, AJWT_COMPAT_STRICT, 86400), AJWT_ERR_TOKEN_EXP_PASSED);
    EXPECT_EQ(claims_status(",\"nbf\":-9223372036854775808", min, AJWT_COMPAT_STRICT, 86400),
              AJWT_ERR_TOKEN_NOT_YET_VALID);
}

TEST(VerifierClaims, CompatPolicyTakesWhat1xTakes) {
    const auto& key = *ajwt_test::private_key(AJWT_KEY_ED25519);
    auto parse_status = [&](const std::string& header, const std::string& payload, ajwt_compat compat) {
        const std::string token = craft_token(key, AJWT_ALG_EDDSA, header, payload);
        return status_of([&] { ajwt::parse_token(token, 0, compat); });
    };
    const std::string jws = R"({"alg":"EdDSA","typ":"JWS"})", plain = R"({"alg":"EdDSA"})";
    const std::string payload = R"({"username":"u","time":1,"nonce":"n"})";
    EXPECT_EQ(parse_status(jws, payload, AJWT_COMPAT_STRICT), AJWT_ERR_TOKEN_HEADER);
    EXPECT_EQ(parse_status(jws, payload, AJWT_COMPAT_1X), AJWT_OK);
    EXPECT_EQ(parse_status(R"({"alg":"EdDSA","typ":null})", payload, AJWT_COMPAT_1X), AJWT_OK);
    EXPECT_EQ(parse_status(plain, R"({"username":"u","time":1.5,"nonce":"n"})", AJWT_COMPAT_1X), AJWT_OK);
    EXPECT_EQ(parse_status(plain, R"({"username":"u","time":"1","nonce":"n"})", AJWT_COMPAT_1X), AJWT_ERR_TOKEN_TIME);
    EXPECT_EQ(parse_status(plain, R"({"username":"u","time":1,"nonce":7})", AJWT_COMPAT_1X), AJWT_OK);
    EXPECT_EQ(parse_status(plain, R"({"username":"u","time":1,"nonce":7})", AJWT_COMPAT_STRICT), AJWT_ERR_TOKEN_CLAIMS);
    EXPECT_EQ(parse_status(plain, R"({"username":"u","time":1,"nonce":0})", AJWT_COMPAT_1X), AJWT_ERR_TOKEN_CLAIMS);
    EXPECT_EQ(parse_status(plain, R"({"username":7,"time":1,"nonce":"n"})", AJWT_COMPAT_1X), AJWT_ERR_TOKEN_CLAIMS);
    EXPECT_EQ(parse_status(plain, R"({"username":"","time":1,"nonce":"n"})", AJWT_COMPAT_1X), AJWT_ERR_TOKEN_CLAIMS);
    // A negative fraction: floor for the nonce key, the window on the exact value.
    const ParsedToken parsed = ajwt::parse_token(
        craft_token(key, AJWT_ALG_EDDSA, plain, R"({"username":"u","time":-0.5,"nonce":"n"})"), 0, AJWT_COMPAT_1X);
    EXPECT_EQ(parsed.claims().time, -1);
    EXPECT_EQ(parsed.exact_time(), -0.5);
    EXPECT_TRUE(parsed.time_has_fraction());
}

TEST(VerifierClaims, CompatPolicyReadsAnUnusableKidAsNone) {
    const auto& key = *ajwt_test::private_key(AJWT_KEY_ED25519);
    const std::string payload = R"({"username":"u","time":1,"nonce":"n"})";
    for (const std::string& kid :
         {std::string(R"("")"), "\"" + std::string(1025, 'k') + "\"", std::string(R"("a\u0000b")")}) {
        const std::string token = craft_token(key, AJWT_ALG_EDDSA, R"({"alg":"EdDSA","kid":)" + kid + "}", payload);
        EXPECT_EQ(status_of([&] { ajwt::parse_token(token, 0); }), AJWT_ERR_TOKEN_HEADER);
        EXPECT_FALSE(ajwt::parse_token(token, 0, AJWT_COMPAT_1X).kid().has_value());
    }
    const std::string number = craft_token(key, AJWT_ALG_EDDSA, R"({"alg":"EdDSA","kid":7})", payload);
    EXPECT_EQ(status_of([&] { ajwt::parse_token(number, 0, AJWT_COMPAT_1X); }), AJWT_ERR_TOKEN_HEADER);
}
