// The header-only C++ API (ajwt.hpp): handles, the one exception, results, and the
// authenticator over a callback repository.
#include <gtest/gtest.h>

#include <cstdio>
#include <cstring>
#include <optional>
#include <string>
#include <vector>

#include "ajwt.hpp"

namespace {

using ajwt_cpp::Authenticator;
using ajwt_cpp::Error;
using ajwt_cpp::Key;
using ajwt_cpp::KeySet;
using ajwt_cpp::Result;
using ajwt_cpp::Token;
using ajwt_cpp::Verifier;

constexpr int64_t kNow = 1700000000;

template <typename Body>
Error error_of(Body&& body) {
    try {
        body();
    } catch (const Error& e) {
        return e;
    }
    ADD_FAILURE() << "no ajwt_cpp::Error thrown";
    return Error(AJWT_OK, "");
}

// A repository with one user, "alice", whose keys are `keys`.
struct Users {
    KeySet keys;
    int calls = 0;

    static ajwt_status user_keys(void* user_data, const char* username, size_t username_len, const char*, size_t,
                                 ajwt_keyset* out) {
        auto* self = static_cast<Users*>(user_data);
        ++self->calls;
        if (std::string(username, username_len) != "alice") return AJWT_OK;
        for (size_t i = 0; i < self->keys.size(); ++i)
            if (ajwt_keyset_add(out, self->keys.borrow(i), nullptr) != AJWT_OK) return AJWT_ERR_INTERNAL;
        return AJWT_OK;
    }
};

TEST(AjwtHpp, ErrorCarriesStatusAndTheLibraryMessage) {
    const Error parse = error_of([] { Key::load_public("not a key"); });
    EXPECT_EQ(parse.status(), AJWT_ERR_KEY_PARSE);
    EXPECT_STRNE(parse.what(), "");
    const Error generate = error_of([] { Key::generate(static_cast<ajwt_key_type>(99)); });
    EXPECT_EQ(generate.status(), AJWT_ERR_INVALID_ARGUMENT);
}

TEST(AjwtHpp, MessageFallsBackToTheStatusText) {
    ajwt_error err{};
    EXPECT_EQ(ajwt_cpp::message_of(AJWT_ERR_BAD_SIGNATURE, err), ajwt_status_str(AJWT_ERR_BAD_SIGNATURE));
    std::snprintf(err.message, sizeof err.message, "detail");
    EXPECT_EQ(ajwt_cpp::message_of(AJWT_ERR_BAD_SIGNATURE, err), "detail");
    // A message filling the whole buffer without a NUL is read up to the buffer's end, no further.
    std::memset(err.message, 'x', sizeof err.message);
    EXPECT_EQ(ajwt_cpp::message_of(AJWT_ERR_BAD_SIGNATURE, err), std::string(sizeof err.message, 'x'));
    EXPECT_NO_THROW(ajwt_cpp::check(AJWT_OK, err));
    const Error e = error_of([&] { ajwt_cpp::check(AJWT_ERR_TOKEN_EXPIRED, ajwt_error{}); });
    EXPECT_EQ(e.status(), AJWT_ERR_TOKEN_EXPIRED);
    EXPECT_STREQ(e.what(), ajwt_status_str(AJWT_ERR_TOKEN_EXPIRED));
}

TEST(AjwtHpp, KeysExportAndLoadBack) {
    const Key key = Key::generate(AJWT_KEY_ED25519);
    EXPECT_TRUE(key.is_private());
    const std::string pem = key.export_as(AJWT_EXPORT_PRIVATE_PKCS8);
    const Key again = Key::load_private(pem);
    EXPECT_EQ(again.fingerprint(), key.fingerprint());
    const Key pub = Key::load_public(key.export_as(AJWT_EXPORT_PUBLIC_OPENSSH));
    EXPECT_FALSE(pub.is_private());
    EXPECT_TRUE(pub.same_public_key(key));
    EXPECT_EQ(
        error_of([&] { Key::load_private(key.export_as(AJWT_EXPORT_PRIVATE_PKCS8, std::string("pw"))); }).status(),
        AJWT_ERR_PASSWORD_REQUIRED);
}

TEST(AjwtHpp, KeySetTakesPublicKeysOnly) {
    KeySet set;
    const Key key = Key::generate(AJWT_KEY_EC_P256);
    EXPECT_EQ(error_of([&] { set.add(key); }).status(), AJWT_ERR_PRIVATE_KEY_GIVEN);
    set.add(key.public_key());
    ASSERT_EQ(set.size(), 1u);
    EXPECT_EQ(set.find(key.fingerprint()), std::optional<size_t>(0));
    EXPECT_EQ(set.at(0).fingerprint(), key.fingerprint());
    EXPECT_THROW(set.at(1), std::out_of_range);
}

TEST(AjwtHpp, SignParseVerify) {
    const Key key = Key::generate(AJWT_KEY_ED25519);
    const std::string nonce = ajwt_cpp::generate_nonce();
    EXPECT_EQ(nonce.size(), static_cast<size_t>(AJWT_NONCE_SIZE - 1));
    const std::string token = ajwt_cpp::sign(key, "alice", kNow, nonce);
    const Verifier verifier;
    const Token parsed = verifier.parse(token);
    EXPECT_EQ(parsed.username(), "alice");
    EXPECT_EQ(parsed.nonce(), nonce);
    EXPECT_EQ(parsed.kid(), key.fingerprint());
    EXPECT_TRUE(verifier.verify(parsed, key.public_key(), kNow).ok());
    const Result wrong_key = verifier.verify(parsed, Key::generate(AJWT_KEY_ED25519).public_key(), kNow);
    EXPECT_EQ(wrong_key.status, AJWT_ERR_BAD_SIGNATURE);
    EXPECT_FALSE(wrong_key.message.empty());
    EXPECT_EQ(verifier.verify(parsed, key.public_key(), kNow + 3600).status, AJWT_ERR_TOKEN_EXPIRED);
    EXPECT_EQ(error_of([&] { verifier.parse("a.b"); }).status(), AJWT_ERR_TOKEN_FORMAT);
}

TEST(AjwtHpp, AuthHeaderWithoutAMethodUsesJwt) {
    EXPECT_EQ(ajwt_cpp::auth_header(std::nullopt, "a.b.c"), "JWT a.b.c");
    EXPECT_EQ(ajwt_cpp::auth_header("Bearer", "a.b.c"), "Bearer a.b.c");
    EXPECT_EQ(error_of([] { ajwt_cpp::auth_header("", "a.b.c"); }).status(), AJWT_ERR_INVALID_ARGUMENT);
    EXPECT_EQ(error_of([] { ajwt_cpp::auth_header("J WT", "a.b.c"); }).status(), AJWT_ERR_INVALID_ARGUMENT);
}

TEST(AjwtHpp, AuthenticatorRunsTheWholeFlow) {
    Users users;
    const Key key = Key::generate(AJWT_KEY_ED25519);
    users.keys.add(key.public_key());
    Authenticator auth{Verifier()};
    // Without a user_keys callback nothing is authenticated.
    EXPECT_EQ(auth.authenticate("JWT " + ajwt_cpp::sign(key, "alice", kNow, "n0"), kNow).status,
              AJWT_ERR_INVALID_ARGUMENT);
    auth.set_user_keys(&Users::user_keys, &users);

    std::optional<Token> token;
    const Result ok = auth.authenticate("JWT " + ajwt_cpp::sign(key, "alice", kNow, "n1"), kNow, &token);
    ASSERT_TRUE(ok.ok()) << ok.message;
    ASSERT_TRUE(token.has_value());
    EXPECT_EQ(token->username(), "alice");

    const Result bob = auth.authenticate("JWT " + ajwt_cpp::sign(key, "bob", kNow, "n2"), kNow, &token);
    EXPECT_EQ(bob.status, AJWT_ERR_NO_MATCHING_KEY);
    EXPECT_FALSE(token.has_value()) << "a failure leaves no token behind";
    EXPECT_EQ(auth.authenticate("Bearer x.y.z", kNow).status, AJWT_ERR_WRONG_AUTH_METHOD);
    EXPECT_EQ(auth.authenticate("", kNow).status, AJWT_ERR_NO_AUTH_HEADER);

    auth.set_method("Bearer");
    EXPECT_TRUE(auth.authenticate("bearer " + ajwt_cpp::sign(key, "alice", kNow, "n3"), kNow).ok());
    EXPECT_EQ(error_of([&] { auth.set_method(""); }).status(), AJWT_ERR_INVALID_ARGUMENT);
}

TEST(AjwtHpp, AuthenticateRequestChecksTheBinding) {
    Users users;
    const Key key = Key::generate(AJWT_KEY_ED25519);
    users.keys.add(key.public_key());
    Verifier verifier;
    verifier.set_binding(AJWT_BINDING_REQUIRED);
    Authenticator auth(verifier);
    auth.set_user_keys(&Users::user_keys, &users);
    const std::string digest = ajwt_cpp::body_digest("{}");
    ASSERT_EQ(digest.size(), static_cast<size_t>(AJWT_BODY_DIGEST_SIZE));
    const std::string header =
        "JWT " + ajwt_cpp::sign_request(key, "alice", kNow, "n1", AJWT_ALG_UNKNOWN, std::string("POST"),
                                        std::string("/api"), digest, std::nullopt);
    EXPECT_TRUE(auth.authenticate_request(header, kNow, std::string("POST"), std::string("/api"), digest).ok());
    const std::string other =
        "JWT " + ajwt_cpp::sign_request(key, "alice", kNow, "n2", AJWT_ALG_UNKNOWN, std::string("POST"),
                                        std::string("/api"), digest, std::nullopt);
    EXPECT_EQ(auth.authenticate_request(other, kNow, std::string("GET"), std::string("/api"), digest).status,
              AJWT_ERR_BINDING_METHOD);
    EXPECT_EQ(
        auth.authenticate_request(other, kNow, std::string("POST"), std::string("/api"), std::string("short")).status,
        AJWT_ERR_INVALID_ARGUMENT);
    EXPECT_EQ(auth.authenticate("JWT " + ajwt_cpp::sign(key, "alice", kNow, "n3"), kNow).status,
              AJWT_ERR_BINDING_REQUIRED);
}

}  // namespace
