// The whole server-side flow through the C ABI, with C-style repository callbacks.
#include <map>
#include <string>
#include <vector>

#include "capi_support.hpp"

using namespace capi_test;
using nlohmann::json;

namespace {

constexpr int64_t kNow = 1700000000;

// The host's user/key repository, reached through plain C callbacks and user_data.
struct Repo {
    std::map<std::string, std::vector<std::string>> user_keys;  // username -> public key texts
    std::map<std::string, std::string> user_jwks;               // username -> JWKS document
    ajwt_status exists_status_override = AJWT_OK;               // non-OK: returned for every user
    ajwt_status keys_status = AJWT_OK;
    int exists_calls = 0, keys_calls = 0, jwks_calls = 0, used_calls = 0;
    std::string last_kid;
    bool last_kid_null = false;
    std::string used_username;
    std::string used_fingerprint;

    static ajwt_status exists(void* self, const char* username, size_t len) {
        Repo& repo = *static_cast<Repo*>(self);
        ++repo.exists_calls;
        if (repo.exists_status_override != AJWT_OK) return repo.exists_status_override;
        std::string name(username, len);
        return repo.user_keys.count(name) || repo.user_jwks.count(name) ? AJWT_OK : AJWT_ERR_UNKNOWN_USER;
    }
    static ajwt_status keys(void* self, const char* username, size_t len, const char* kid, size_t kid_len,
                            ajwt_keyset* out) {
        Repo& repo = *static_cast<Repo*>(self);
        ++repo.keys_calls;
        repo.last_kid_null = kid == nullptr;
        repo.last_kid = kid ? std::string(kid, kid_len) : "";
        if (repo.keys_status != AJWT_OK) return repo.keys_status;
        auto it = repo.user_keys.find(std::string(username, len));
        if (it == repo.user_keys.end()) return AJWT_OK;
        for (const std::string& text : it->second) {
            ajwt_status status = ajwt_keyset_add_text(out, text.data(), text.size(), AJWT_FORMAT_ANY, nullptr);
            if (status != AJWT_OK) return status;
        }
        return AJWT_OK;
    }
    static ajwt_status jwks(void* self, const char* username, size_t len, const char*, size_t, ajwt_keyset* out) {
        Repo& repo = *static_cast<Repo*>(self);
        ++repo.jwks_calls;
        auto it = repo.user_jwks.find(std::string(username, len));
        if (it == repo.user_jwks.end()) return AJWT_OK;
        return ajwt_keyset_add_jwks(out, it->second.data(), it->second.size(), nullptr);
    }
    static void used(void* self, const char* username, size_t len, const ajwt_key* key) {
        Repo& repo = *static_cast<Repo*>(self);
        ++repo.used_calls;
        repo.used_username.assign(username, len);
        repo.used_fingerprint = fingerprint(key);
    }
};

std::string pem_of(const ajwt_key* key) { return export_key(key, AJWT_EXPORT_PUBLIC_PEM); }

struct Flow {
    Repo repo;
    Key alice_key = generate(AJWT_KEY_ED25519);
    Key alice_old_key = generate(AJWT_KEY_EC_P256);
    Verifier verifier = new_verifier();
    Store store = new_memory_store();
    Auth auth;

    Flow() {
        repo.user_keys["alice"] = {pem_of(alice_old_key.get()), pem_of(alice_key.get())};
        ajwt_set(ajwt_verifier_set_nonce_store(verifier.get(), store.get(), nullptr));
        ajwt_authenticator* a = nullptr;
        ajwt_set(ajwt_authenticator_new(verifier.get(), &a, nullptr));
        auth.reset(a);
        ajwt_set(ajwt_authenticator_set_user_exists(a, &Repo::exists, &repo, nullptr));
        ajwt_set(ajwt_authenticator_set_user_keys(a, &Repo::keys, &repo, nullptr));
        ajwt_set(ajwt_authenticator_set_key_used(a, &Repo::used, &repo, nullptr));
    }
    static void ajwt_set(ajwt_status status) {
        if (status != AJWT_OK) throw std::runtime_error("setup: " + describe(status));
    }
    std::string header_for(const ajwt_key* key, const std::string& user, const std::string& nonce,
                           const std::string& method = "JWT", int64_t time = kNow) {
        return method + " " + sign(key, user, time, nonce);
    }
    ajwt_status authenticate(const std::string& header, Token* token = nullptr, Key* key = nullptr,
                             ajwt_error* err = nullptr, int64_t now = kNow) {
        ajwt_token* t = nullptr;
        ajwt_key* k = nullptr;
        ajwt_status status = ajwt_authenticate(auth.get(), header.data(), header.size(), now, token ? &t : nullptr,
                                               key ? &k : nullptr, err);
        if (status != AJWT_OK) {
            EXPECT_EQ(t, nullptr);
            EXPECT_EQ(k, nullptr);
        }
        if (token) token->reset(t);
        if (key) key->reset(k);
        return status;
    }
};

}  // namespace

TEST(CapiAuthenticator, EndToEnd) {
    Flow f;
    Token token;
    Key key;
    ASSERT_OK(f.authenticate(f.header_for(f.alice_key.get(), "alice", "n1"), &token, &key));
    size_t len = 0;
    const char* username = ajwt_token_username(token.get(), &len);
    EXPECT_EQ(std::string(username, len), "alice");
    EXPECT_EQ(ajwt_key_equal(key.get(), f.alice_key.get()), 1);
    EXPECT_EQ(ajwt_key_is_private(key.get()), 0);
    EXPECT_EQ(f.repo.exists_calls, 1);
    EXPECT_EQ(f.repo.keys_calls, 1);
    EXPECT_FALSE(f.repo.last_kid_null);
    EXPECT_EQ(f.repo.last_kid, fingerprint(f.alice_key.get()));
    EXPECT_EQ(f.repo.used_calls, 1);
    EXPECT_EQ(f.repo.used_username, "alice");
    EXPECT_EQ(f.repo.used_fingerprint, fingerprint(f.alice_key.get()));

    // Outputs are optional, and the returned key outlives the authenticator.
    EXPECT_OK(f.authenticate(f.header_for(f.alice_key.get(), "alice", "n2")));
    f.auth.reset();
    EXPECT_EQ(ajwt_key_get_type(key.get()), AJWT_KEY_ED25519);
    EXPECT_STREQ(ajwt_token_nonce(token.get(), nullptr), "n1");
}

TEST(CapiAuthenticator, KeyUsedReportsTheOtherKeyToo) {
    Flow f;
    ASSERT_OK(f.authenticate(f.header_for(f.alice_old_key.get(), "alice", "n1")));
    EXPECT_EQ(f.repo.used_fingerprint, fingerprint(f.alice_old_key.get()));
}

TEST(CapiAuthenticator, Replay) {
    Flow f;
    std::string header = f.header_for(f.alice_key.get(), "alice", "once");
    EXPECT_OK(f.authenticate(header));
    EXPECT_STATUS(AJWT_ERR_NONCE_REPLAYED, f.authenticate(header));
    EXPECT_EQ(f.repo.used_calls, 1) << "key_used only after full success";
}

TEST(CapiAuthenticator, UnknownUser) {
    Flow f;
    Key mallory = generate(AJWT_KEY_ED25519);
    Err err;
    EXPECT_STATUS(AJWT_ERR_UNKNOWN_USER,
                  f.authenticate(f.header_for(mallory.get(), "mallory", "n"), nullptr, nullptr, err.get()));
    EXPECT_EQ(err.e.status, AJWT_ERR_UNKNOWN_USER);
    EXPECT_EQ(f.repo.keys_calls, 0) << "keys are not looked up for unknown users";
    EXPECT_EQ(f.repo.used_calls, 0);
}

TEST(CapiAuthenticator, WithoutUserExistsEveryUserExists) {
    Flow f;
    ASSERT_OK(ajwt_authenticator_set_user_exists(f.auth.get(), nullptr, nullptr, nullptr));
    Key mallory = generate(AJWT_KEY_ED25519);
    EXPECT_STATUS(AJWT_ERR_NO_MATCHING_KEY, f.authenticate(f.header_for(mallory.get(), "mallory", "n")));
    EXPECT_EQ(f.repo.exists_calls, 0);
    EXPECT_EQ(f.repo.keys_calls, 1);
}

TEST(CapiAuthenticator, NoKeysAndWrongKeys) {
    Flow f;
    f.repo.user_keys["bob"] = {};
    Key bob = generate(AJWT_KEY_ED25519);
    EXPECT_STATUS(AJWT_ERR_NO_MATCHING_KEY, f.authenticate(f.header_for(bob.get(), "bob", "n")));
    // Alice's token signed by a key she never registered (same type as one of hers).
    Key stranger = generate(AJWT_KEY_ED25519);
    EXPECT_STATUS(AJWT_ERR_BAD_SIGNATURE, f.authenticate(f.header_for(stranger.get(), "alice", "n")));
    // A type none of her keys has.
    EXPECT_STATUS(AJWT_ERR_NO_MATCHING_KEY, f.authenticate(f.header_for(compat_rsa_private().get(), "alice", "n")));
    EXPECT_EQ(f.repo.used_calls, 0);
}

TEST(CapiAuthenticator, JwksSourceIsAskedOnlyWithoutAKidMatch) {
    Flow f;
    ASSERT_OK(ajwt_authenticator_set_user_jwks(f.auth.get(), &Repo::jwks, &f.repo, nullptr));
    Key jwks_key = generate(AJWT_KEY_ED25519);
    f.repo.user_jwks["alice"] =
        json{{"keys", {json::parse(export_key(jwks_key.get(), AJWT_EXPORT_PUBLIC_JWK))}}}.dump();

    // user_keys has the kid's key: the JWKS source is not asked.
    EXPECT_OK(f.authenticate(f.header_for(f.alice_key.get(), "alice", "n1")));
    EXPECT_EQ(f.repo.jwks_calls, 0);

    // Signed by the key the JWKS publishes: asked, and it verifies.
    Key used;
    EXPECT_OK(f.authenticate(f.header_for(jwks_key.get(), "alice", "n2"), nullptr, &used));
    EXPECT_EQ(f.repo.jwks_calls, 1);
    EXPECT_EQ(ajwt_key_equal(used.get(), jwks_key.get()), 1);
    EXPECT_EQ(f.repo.used_fingerprint, fingerprint(jwks_key.get()));
}

TEST(CapiAuthenticator, CallbackFailures) {
    {
        Flow f;
        f.repo.keys_status = AJWT_ERR_INTERNAL;
        Err err;
        EXPECT_STATUS(AJWT_ERR_CALLBACK_FAILED,
                      f.authenticate(f.header_for(f.alice_key.get(), "alice", "n"), nullptr, nullptr, err.get()));
        EXPECT_NE(err.message().find("returned"), std::string::npos) << err.message();
    }
    {
        Flow f;
        f.repo.keys_status = AJWT_ERR_UNKNOWN_USER;  // only user_exists may say that
        EXPECT_STATUS(AJWT_ERR_CALLBACK_FAILED, f.authenticate(f.header_for(f.alice_key.get(), "alice", "n")));
    }
    {
        Flow f;
        f.repo.exists_status_override = AJWT_ERR_OUT_OF_MEMORY;
        Err err;
        EXPECT_STATUS(AJWT_ERR_CALLBACK_FAILED,
                      f.authenticate(f.header_for(f.alice_key.get(), "alice", "n"), nullptr, nullptr, err.get()));
        EXPECT_EQ(f.repo.keys_calls, 0);
    }
    {
        Flow f;
        // A key text the library cannot parse, returned as the callback's status.
        f.repo.user_keys["alice"] = {"not a key"};
        EXPECT_STATUS(AJWT_ERR_CALLBACK_FAILED, f.authenticate(f.header_for(f.alice_key.get(), "alice", "n")));
    }
    {
        // A nonce callback store's failure through the authenticator.
        Flow f;
        ajwt_nonce_store* store = nullptr;
        ASSERT_OK(ajwt_nonce_store_new_callback(
            [](void*, const char*, size_t, int64_t, const char*, size_t) { return AJWT_ERR_INTERNAL; }, nullptr,
            nullptr, &store, nullptr));
        Store owner(store);
        ASSERT_OK(ajwt_verifier_set_nonce_store(f.verifier.get(), store, nullptr));
        ajwt_authenticator* a = nullptr;
        ASSERT_OK(ajwt_authenticator_new(f.verifier.get(), &a, nullptr));
        f.auth.reset(a);
        ASSERT_OK(ajwt_authenticator_set_user_keys(a, &Repo::keys, &f.repo, nullptr));
        EXPECT_STATUS(AJWT_ERR_CALLBACK_FAILED, f.authenticate(f.header_for(f.alice_key.get(), "alice", "n")));
    }
}

TEST(CapiAuthenticator, MethodWord) {
    Flow f;
    EXPECT_STATUS(AJWT_ERR_WRONG_AUTH_METHOD, f.authenticate(f.header_for(f.alice_key.get(), "alice", "a", "Bearer")));
    EXPECT_STATUS(AJWT_ERR_WRONG_AUTH_METHOD, f.authenticate(f.header_for(f.alice_key.get(), "alice", "b", "JWTX")));
    EXPECT_STATUS(AJWT_ERR_WRONG_AUTH_METHOD, f.authenticate(sign(f.alice_key.get(), "alice", kNow, "c")));
    EXPECT_OK(f.authenticate(f.header_for(f.alice_key.get(), "alice", "d", "jwt")));
    EXPECT_OK(f.authenticate(f.header_for(f.alice_key.get(), "alice", "e", "Jwt")));
    EXPECT_EQ(f.repo.exists_calls, 2) << "a wrong method word stops before any repository call";

    ASSERT_OK(ajwt_authenticator_set_method(f.auth.get(), "Token", 5, nullptr));
    EXPECT_STATUS(AJWT_ERR_WRONG_AUTH_METHOD, f.authenticate(f.header_for(f.alice_key.get(), "alice", "f", "JWT")));
    EXPECT_OK(f.authenticate(f.header_for(f.alice_key.get(), "alice", "g", "TOKEN")));

    EXPECT_STATUS(AJWT_ERR_INVALID_ARGUMENT, ajwt_authenticator_set_method(f.auth.get(), nullptr, 0, nullptr));
    EXPECT_STATUS(AJWT_ERR_INVALID_ARGUMENT, ajwt_authenticator_set_method(f.auth.get(), "", 0, nullptr));
    EXPECT_STATUS(AJWT_ERR_INVALID_ARGUMENT, ajwt_authenticator_set_method(f.auth.get(), "A B", 3, nullptr));
    EXPECT_STATUS(AJWT_ERR_INVALID_ARGUMENT, ajwt_authenticator_set_method(nullptr, "JWT", 3, nullptr));
}

TEST(CapiAuthenticator, EmptyAndMalformedHeaders) {
    Flow f;
    EXPECT_STATUS(AJWT_ERR_NO_AUTH_HEADER, f.authenticate(""));
    ajwt_token* t = nullptr;
    EXPECT_STATUS(AJWT_ERR_NO_AUTH_HEADER, ajwt_authenticate(f.auth.get(), nullptr, 0, kNow, &t, nullptr, nullptr));
    EXPECT_STATUS(AJWT_ERR_INVALID_ARGUMENT, ajwt_authenticate(f.auth.get(), nullptr, 5, kNow, &t, nullptr, nullptr));
    EXPECT_STATUS(AJWT_ERR_INVALID_ARGUMENT, ajwt_authenticate(nullptr, "JWT a.b.c", 9, kNow, &t, nullptr, nullptr));
    EXPECT_NE(f.authenticate("JWT"), AJWT_OK);
    EXPECT_NE(f.authenticate("JWT "), AJWT_OK);
    EXPECT_STATUS(AJWT_ERR_TOKEN_FORMAT, f.authenticate("JWT abc"));
    EXPECT_STATUS(AJWT_ERR_TOKEN_BASE64, f.authenticate("JWT a.b.c"));
    EXPECT_EQ(f.repo.exists_calls, 0);
}

TEST(CapiAuthenticator, TimeWindowAndPolicyAreCopiedFromTheVerifier) {
    Flow f;
    EXPECT_STATUS(AJWT_ERR_TOKEN_EXPIRED,
                  f.authenticate(f.header_for(f.alice_key.get(), "alice", "a"), nullptr, nullptr, nullptr, kNow + 21));
    EXPECT_STATUS(AJWT_ERR_TOKEN_FROM_FUTURE,
                  f.authenticate(f.header_for(f.alice_key.get(), "alice", "b"), nullptr, nullptr, nullptr, kNow - 21));
    EXPECT_OK(f.authenticate(f.header_for(f.alice_key.get(), "alice", "c"), nullptr, nullptr, nullptr, kNow + 20));
    // Changing the verifier afterwards does not change the authenticator (it copied the policy).
    ASSERT_OK(ajwt_verifier_set_tolerance(f.verifier.get(), 1000, nullptr));
    EXPECT_STATUS(AJWT_ERR_TOKEN_EXPIRED,
                  f.authenticate(f.header_for(f.alice_key.get(), "alice", "d"), nullptr, nullptr, nullptr, kNow + 21));
    // ... but it shares the nonce store.
    std::string header = f.header_for(f.alice_key.get(), "alice", "shared");
    EXPECT_OK(f.authenticate(header));
    EXPECT_STATUS(AJWT_ERR_NONCE_REPLAYED,
                  ajwt_nonce_store_check_and_record(f.store.get(), "alice", 5, kNow, "shared", 6, kNow, nullptr));
}

TEST(CapiAuthenticator, SetupArguments) {
    Verifier verifier = new_verifier();
    ajwt_authenticator* a = nullptr;
    EXPECT_STATUS(AJWT_ERR_INVALID_ARGUMENT, ajwt_authenticator_new(nullptr, &a, nullptr));
    EXPECT_STATUS(AJWT_ERR_INVALID_ARGUMENT, ajwt_authenticator_new(verifier.get(), nullptr, nullptr));
    ASSERT_OK(ajwt_authenticator_new(verifier.get(), &a, nullptr));
    Auth auth(a);
    verifier.reset();  // the authenticator copied what it needs

    // No user_keys callback yet: refused rather than authenticating nobody silently.
    Key key = generate(AJWT_KEY_ED25519);
    std::string header = "JWT " + sign(key.get(), "alice", kNow, "n");
    EXPECT_STATUS(AJWT_ERR_INVALID_ARGUMENT,
                  ajwt_authenticate(a, header.data(), header.size(), kNow, nullptr, nullptr, nullptr));
    EXPECT_STATUS(AJWT_ERR_INVALID_ARGUMENT, ajwt_authenticator_set_user_keys(a, nullptr, nullptr, nullptr));
    EXPECT_STATUS(AJWT_ERR_INVALID_ARGUMENT, ajwt_authenticator_set_user_keys(nullptr, &Repo::keys, nullptr, nullptr));
    EXPECT_STATUS(AJWT_ERR_INVALID_ARGUMENT, ajwt_authenticator_set_user_exists(nullptr, nullptr, nullptr, nullptr));
    EXPECT_STATUS(AJWT_ERR_INVALID_ARGUMENT, ajwt_authenticator_set_user_jwks(nullptr, nullptr, nullptr, nullptr));
    EXPECT_STATUS(AJWT_ERR_INVALID_ARGUMENT, ajwt_authenticator_set_key_used(nullptr, nullptr, nullptr, nullptr));
    // Optional callbacks can be cleared.
    EXPECT_OK(ajwt_authenticator_set_user_jwks(a, nullptr, nullptr, nullptr));
    EXPECT_OK(ajwt_authenticator_set_key_used(a, nullptr, nullptr, nullptr));
}

TEST(CapiAuthenticator, KeysetViewInsideTheCallbackBehavesLikeASet) {
    // The ajwt_keyset a callback receives supports every reader and writer.
    struct Probe {
        std::string pem;
        size_t count_after = 0;
        bool found = false;
        std::string fp;
        static ajwt_status keys(void* self, const char*, size_t, const char* kid, size_t kid_len, ajwt_keyset* out) {
            Probe& p = *static_cast<Probe*>(self);
            ajwt_status status = ajwt_keyset_add_text(out, p.pem.data(), p.pem.size(), AJWT_FORMAT_PEM, nullptr);
            p.count_after = ajwt_keyset_count(out);
            const ajwt_key* found = ajwt_keyset_find(out, kid, kid_len);
            p.found = found != nullptr && found == ajwt_keyset_get(out, 0);
            return status;
        }
    };
    Key key = generate(AJWT_KEY_EC_P384);
    Probe probe{export_key(key.get(), AJWT_EXPORT_PUBLIC_PEM)};
    Verifier verifier = new_verifier();
    ajwt_authenticator* a = nullptr;
    ASSERT_OK(ajwt_authenticator_new(verifier.get(), &a, nullptr));
    Auth auth(a);
    ASSERT_OK(ajwt_authenticator_set_user_keys(a, &Probe::keys, &probe, nullptr));
    std::string header = "JWT " + sign(key.get(), "carol", kNow, "n");
    EXPECT_OK(ajwt_authenticate(a, header.data(), header.size(), kNow, nullptr, nullptr, nullptr));
    EXPECT_EQ(probe.count_after, 1u);
    EXPECT_TRUE(probe.found);
}
