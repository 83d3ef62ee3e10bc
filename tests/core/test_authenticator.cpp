// The whole server-side flow over host repositories given as std::function.
#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

#include "authenticator.hpp"
#include "decoy_keys.hpp"
#include "error.hpp"
#include "keyset.hpp"
#include "nonce_store.hpp"
#include "signature.hpp"
#include "token.hpp"
#include "token_test_helpers.hpp"

namespace {

using ajwt::Authenticator;
using ajwt::KeyPtr;
using ajwt::KeySet;
using ajwt::Repository;
using ajwt_test::craft_token;
using ajwt_test::private_key;
using ajwt_test::public_key;
using ajwt_test::status_of;

constexpr int64_t kNow = 1700000000;

// An in-memory user database with call counters.
struct Users {
    std::map<std::string, std::vector<KeyPtr>> keys;
    std::map<std::string, std::vector<KeyPtr>> jwks;
    int exists_calls = 0, keys_calls = 0, jwks_calls = 0;
    std::vector<std::pair<std::string, KeyPtr>> used;
    std::optional<std::string> last_kid_hint;

    Repository repository() {
        Repository repo;
        repo.user_exists = [this](std::string_view username) {
            ++exists_calls;
            return keys.count(std::string(username)) > 0;
        };
        repo.user_keys = [this](std::string_view username, const std::optional<std::string>& kid, KeySet& out) {
            ++keys_calls;
            last_kid_hint = kid;
            for (const auto& key : keys[std::string(username)]) out.add(key);
        };
        repo.user_jwks = [this](std::string_view username, const std::optional<std::string>&, KeySet& out) {
            ++jwks_calls;
            for (const auto& key : jwks[std::string(username)]) out.add(key);
        };
        repo.key_used = [this](std::string_view username, const KeyPtr& key) {
            used.emplace_back(std::string(username), key);
        };
        return repo;
    }
};

std::string header_for(ajwt_key_type type, int index = 0, const std::string& user = "guido", int64_t time = kNow,
                       const std::string& nonce = "n1", const std::string& method = "JWT") {
    return ajwt::make_auth_header(method,
                                  ajwt::sign_token(*private_key(type, index), {user, time, nonce}, AJWT_ALG_UNKNOWN));
}

ajwt_status auth_status(const Authenticator& auth, const std::string& header, int64_t now = kNow) {
    return status_of([&] { auth.authenticate(header, now); });
}

TEST(Authenticator, HappyPath) {
    Users users;
    users.keys["guido"] = {public_key(AJWT_KEY_ED25519)};
    const Authenticator auth(ajwt::Verifier(), users.repository());
    const auto result = auth.authenticate(header_for(AJWT_KEY_ED25519), kNow);
    EXPECT_EQ(result.token.claims().username, "guido");
    EXPECT_EQ(result.token.claims().nonce, "n1");
    EXPECT_EQ(result.key->fingerprint(), public_key(AJWT_KEY_ED25519)->fingerprint());
    EXPECT_FALSE(result.key->is_private());
    ASSERT_EQ(users.used.size(), 1u);
    EXPECT_EQ(users.used[0].first, "guido");
    EXPECT_EQ(users.used[0].second->fingerprint(), public_key(AJWT_KEY_ED25519)->fingerprint());
    EXPECT_EQ(users.last_kid_hint, public_key(AJWT_KEY_ED25519)->fingerprint());
    EXPECT_EQ(users.jwks_calls, 0);
}

TEST(Authenticator, MethodWord) {
    Users users;
    users.keys["guido"] = {public_key(AJWT_KEY_ED25519)};
    Authenticator auth(ajwt::Verifier(), users.repository());
    const std::string token = ajwt::sign_token(*private_key(AJWT_KEY_ED25519), {"guido", kNow, "n"}, AJWT_ALG_UNKNOWN);
    EXPECT_EQ(auth_status(auth, "JWT " + token), AJWT_OK);
    EXPECT_EQ(auth_status(auth, "jwt " + token), AJWT_OK);
    EXPECT_EQ(auth_status(auth, "Jwt " + token), AJWT_OK);
    EXPECT_EQ(auth_status(auth, "  JWT   " + token + "  "), AJWT_OK);
    EXPECT_EQ(auth_status(auth, "JWT\t" + token), AJWT_ERR_WRONG_AUTH_METHOD);  // the separator is a space
    EXPECT_EQ(auth_status(auth, "Bearer " + token), AJWT_ERR_WRONG_AUTH_METHOD);
    EXPECT_EQ(auth_status(auth, "JWTX " + token), AJWT_ERR_WRONG_AUTH_METHOD);
    EXPECT_EQ(auth_status(auth, "JW " + token), AJWT_ERR_WRONG_AUTH_METHOD);
    EXPECT_EQ(auth_status(auth, token), AJWT_ERR_WRONG_AUTH_METHOD);
    EXPECT_EQ(auth_status(auth, ""), AJWT_ERR_NO_AUTH_HEADER);
    EXPECT_EQ(auth_status(auth, "   "), AJWT_ERR_NO_AUTH_HEADER);
    EXPECT_EQ(auth_status(auth, "JWT"), AJWT_ERR_TOKEN_FORMAT);
    EXPECT_EQ(auth_status(auth, "JWT "), AJWT_ERR_TOKEN_FORMAT);
    EXPECT_EQ(auth_status(auth, "JWT a b"), AJWT_ERR_TOKEN_FORMAT);
    EXPECT_EQ(users.keys_calls, 4);  // only the accepted tokens reached the repository

    auth.set_method("Bearer");
    EXPECT_EQ(auth_status(auth, "bearer " + token), AJWT_OK);
    EXPECT_EQ(auth_status(auth, "JWT " + token), AJWT_ERR_WRONG_AUTH_METHOD);
    EXPECT_EQ(status_of([&] { auth.set_method(""); }), AJWT_ERR_INVALID_ARGUMENT);
    EXPECT_EQ(status_of([&] { auth.set_method("J WT"); }), AJWT_ERR_INVALID_ARGUMENT);
    EXPECT_EQ(status_of([&] { auth.set_method("JWT\n"); }), AJWT_ERR_INVALID_ARGUMENT);
    EXPECT_EQ(status_of([&] { Authenticator(ajwt::Verifier(), Repository{}, ""); }), AJWT_ERR_INVALID_ARGUMENT);
}

// An unknown user costs one signature check against a decoy key of the token's algorithm, as
// a known user's bad signature does, and asks the repository for no keys.
TEST(Authenticator, UnknownUserCostsOneDecoyVerification) {
    Users users;
    users.keys["guido"] = {public_key(AJWT_KEY_ED25519)};
    const Authenticator auth(ajwt::Verifier(), users.repository());
    for (ajwt_key_type type : {AJWT_KEY_ED25519, AJWT_KEY_RSA, AJWT_KEY_EC_P256}) {
        const uint64_t before = ajwt::verify_attempts_on_this_thread();
        EXPECT_EQ(auth_status(auth, header_for(type, 0, "mallory")), AJWT_ERR_UNKNOWN_USER);
        EXPECT_EQ(ajwt::verify_attempts_on_this_thread(), before + 1) << type;
    }
    EXPECT_EQ(users.keys_calls, 0);
    EXPECT_TRUE(users.used.empty());
    // The same decoy (cached) for the same algorithm and signature size.
    EXPECT_EQ(ajwt::decoy_key(AJWT_ALG_RS256, 256), ajwt::decoy_key(AJWT_ALG_RS512, 256));
    EXPECT_EQ(ajwt::decoy_key(AJWT_ALG_RS256, 384)->bits(), 3072u);
    EXPECT_EQ(ajwt::decoy_key(AJWT_ALG_EDDSA, 114)->type(), AJWT_KEY_ED448);
    EXPECT_FALSE(ajwt::decoy_key(AJWT_ALG_ES256, 64)->is_private());
    // A decoy check for an algorithm the verifier refuses is skipped, as a known user's would be.
    ajwt::Verifier rsa_only;
    rsa_only.set_algorithms({AJWT_ALG_RS256});
    const Authenticator strict(rsa_only, users.repository());
    const uint64_t before = ajwt::verify_attempts_on_this_thread();
    EXPECT_EQ(auth_status(strict, header_for(AJWT_KEY_ED25519, 0, "mallory")), AJWT_ERR_UNKNOWN_USER);
    EXPECT_EQ(ajwt::verify_attempts_on_this_thread(), before);
}

TEST(Authenticator, WithoutUserExistsEveryUserIsLookedUp) {
    Users users;
    Repository repo = users.repository();
    repo.user_exists = nullptr;
    const Authenticator auth(ajwt::Verifier(), repo);
    EXPECT_EQ(auth_status(auth, header_for(AJWT_KEY_ED25519, 0, "mallory")), AJWT_ERR_NO_MATCHING_KEY);
    EXPECT_EQ(users.keys_calls, 1);
}

TEST(Authenticator, NoUsableKey) {
    Users users;
    users.keys["guido"] = {};
    const Authenticator auth(ajwt::Verifier(), users.repository());
    EXPECT_EQ(auth_status(auth, header_for(AJWT_KEY_ED25519)), AJWT_ERR_NO_MATCHING_KEY);
    users.keys["guido"] = {public_key(AJWT_KEY_RSA), public_key(AJWT_KEY_EC_P256)};
    EXPECT_EQ(auth_status(auth, header_for(AJWT_KEY_ED25519)), AJWT_ERR_NO_MATCHING_KEY);
    users.keys["guido"].push_back(public_key(AJWT_KEY_ED25519, 1));
    EXPECT_EQ(auth_status(auth, header_for(AJWT_KEY_ED25519)), AJWT_ERR_BAD_SIGNATURE);
    EXPECT_TRUE(users.used.empty());
}

TEST(Authenticator, KidFirstCostsOneVerification) {
    Users users;
    for (int i = 1; i <= 4; ++i) users.keys["guido"].push_back(public_key(AJWT_KEY_RSA, i));
    users.keys["guido"].push_back(public_key(AJWT_KEY_RSA, 0));  // the signer, last
    const Authenticator auth(ajwt::Verifier(), users.repository());
    const uint64_t before = ajwt::verify_attempts_on_this_thread();
    const auto result = auth.authenticate(header_for(AJWT_KEY_RSA, 0), kNow);
    EXPECT_EQ(ajwt::verify_attempts_on_this_thread() - before, 1u);
    EXPECT_EQ(result.key->fingerprint(), public_key(AJWT_KEY_RSA, 0)->fingerprint());
    ASSERT_EQ(users.used.size(), 1u);
    EXPECT_EQ(users.used[0].second->fingerprint(), public_key(AJWT_KEY_RSA, 0)->fingerprint());
}

TEST(Authenticator, TokenWithoutKidTriesEachKey) {
    Users users;
    for (int i = 1; i <= 4; ++i) users.keys["guido"].push_back(public_key(AJWT_KEY_RSA, i));
    users.keys["guido"].push_back(public_key(AJWT_KEY_RSA, 0));
    users.jwks["guido"] = {public_key(AJWT_KEY_RSA, 0)};
    const Authenticator auth(ajwt::Verifier(), users.repository());
    const std::string token = craft_token(*private_key(AJWT_KEY_RSA), AJWT_ALG_RS256, R"({"alg":"RS256","typ":"JWT"})",
                                          R"({"username":"guido","time":1700000000,"nonce":"x"})");
    const uint64_t before = ajwt::verify_attempts_on_this_thread();
    const auto result = auth.authenticate("JWT " + token, kNow);
    EXPECT_EQ(ajwt::verify_attempts_on_this_thread() - before, 5u);
    EXPECT_EQ(result.key->fingerprint(), public_key(AJWT_KEY_RSA, 0)->fingerprint());
    EXPECT_FALSE(users.last_kid_hint.has_value());
    EXPECT_EQ(users.jwks_calls, 0);  // no kid, no JWKS fetch
}

TEST(Authenticator, JwksOnlyForAnUnknownKid) {
    Users users;
    users.keys["guido"] = {public_key(AJWT_KEY_ED25519, 1)};
    users.jwks["guido"] = {public_key(AJWT_KEY_ED25519, 0)};
    const Authenticator auth(ajwt::Verifier(), users.repository());
    // The registered key does not carry the token's kid: JWKS is asked and its key verifies.
    const auto result = auth.authenticate(header_for(AJWT_KEY_ED25519, 0), kNow);
    EXPECT_EQ(users.jwks_calls, 1);
    EXPECT_EQ(result.key->fingerprint(), public_key(AJWT_KEY_ED25519, 0)->fingerprint());
    ASSERT_EQ(users.used.size(), 1u);
    EXPECT_EQ(users.used[0].second->fingerprint(), public_key(AJWT_KEY_ED25519, 0)->fingerprint());
    // The registered key matches the kid: JWKS is not asked.
    EXPECT_EQ(auth_status(auth, header_for(AJWT_KEY_ED25519, 1, "guido", kNow, "n2")), AJWT_OK);
    EXPECT_EQ(users.jwks_calls, 1);
    // Neither source knows the signer.
    EXPECT_EQ(auth_status(auth, header_for(AJWT_KEY_ED25519, 2)), AJWT_ERR_BAD_SIGNATURE);
    EXPECT_EQ(users.jwks_calls, 2);
}

TEST(Authenticator, CallbackFailuresPropagate) {
    Users users;
    users.keys["guido"] = {public_key(AJWT_KEY_ED25519)};
    Repository repo = users.repository();
    repo.user_keys = [](std::string_view, const std::optional<std::string>&, KeySet&) {
        throw ajwt::CallbackError(AJWT_ERR_CALLBACK_FAILED, "database down");
    };
    EXPECT_EQ(auth_status(Authenticator(ajwt::Verifier(), repo), header_for(AJWT_KEY_ED25519)),
              AJWT_ERR_CALLBACK_FAILED);
    repo = users.repository();
    repo.user_exists = [](std::string_view) -> bool {
        throw ajwt::CallbackError(AJWT_ERR_CALLBACK_FAILED, "database down");
    };
    EXPECT_EQ(auth_status(Authenticator(ajwt::Verifier(), repo), header_for(AJWT_KEY_ED25519)),
              AJWT_ERR_CALLBACK_FAILED);
    repo = users.repository();
    repo.user_keys = nullptr;
    EXPECT_EQ(auth_status(Authenticator(ajwt::Verifier(), repo), header_for(AJWT_KEY_ED25519)),
              AJWT_ERR_INVALID_ARGUMENT);
}

TEST(Authenticator, TimeNonceAndPolicy) {
    Users users;
    users.keys["guido"] = {public_key(AJWT_KEY_ED25519)};
    ajwt::Verifier verifier;
    verifier.set_nonce_store(ajwt::make_memory_nonce_store(40, 100));
    const Authenticator auth(verifier, users.repository());
    EXPECT_EQ(auth_status(auth, header_for(AJWT_KEY_ED25519, 0, "guido", kNow - 21)), AJWT_ERR_TOKEN_EXPIRED);
    EXPECT_EQ(auth_status(auth, header_for(AJWT_KEY_ED25519, 0, "guido", kNow + 21)), AJWT_ERR_TOKEN_FROM_FUTURE);
    const std::string header = header_for(AJWT_KEY_ED25519);
    EXPECT_EQ(auth_status(auth, header), AJWT_OK);
    EXPECT_EQ(auth_status(auth, header), AJWT_ERR_NONCE_REPLAYED);
    EXPECT_EQ(users.used.size(), 1u);  // told only about the success

    ajwt::Verifier strict;
    strict.set_algorithms({AJWT_ALG_RS256});
    EXPECT_EQ(
        auth_status(Authenticator(strict, users.repository()), header_for(AJWT_KEY_ED25519, 0, "guido", kNow, "n9")),
        AJWT_ERR_ALGORITHM_NOT_ALLOWED);
    ajwt::Verifier small;
    small.set_max_token_size(64);
    EXPECT_EQ(auth_status(Authenticator(small, users.repository()), header_for(AJWT_KEY_ED25519)),
              AJWT_ERR_TOKEN_TOO_LARGE);
}

TEST(Authenticator, MalformedTokensNeverReachTheRepository) {
    Users users;
    users.keys["guido"] = {public_key(AJWT_KEY_ED25519)};
    const Authenticator auth(ajwt::Verifier(), users.repository());
    EXPECT_EQ(auth_status(auth, "JWT a.b"), AJWT_ERR_TOKEN_FORMAT);
    EXPECT_EQ(auth_status(auth, "JWT e30.e30.e30"), AJWT_ERR_TOKEN_HEADER);
    EXPECT_EQ(users.exists_calls + users.keys_calls, 0);
}

}  // namespace
