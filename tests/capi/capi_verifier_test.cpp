// Verifier policy, time window, nonce stores and key-set verification through the C ABI.
#include <mutex>
#include <set>
#include <string>
#include <tuple>

#include "capi_support.hpp"

using namespace capi_test;
using nlohmann::json;

namespace {

constexpr int64_t kTime = 1700000000;

struct Fixture {
    Key key = generate(AJWT_KEY_ED25519);
    Key pub = public_of(key.get());
    Verifier verifier = new_verifier();
};

// A host nonce store: a set behind a mutex, plus call accounting.
struct HostStore {
    std::mutex mutex;
    std::set<std::tuple<std::string, int64_t, std::string>> seen;
    int calls = 0;
    int destroyed = 0;
    ajwt_status fail_with = AJWT_OK;

    static ajwt_status check(void* self, const char* username, size_t username_len, int64_t time, const char* nonce,
                             size_t nonce_len) {
        auto* store = static_cast<HostStore*>(self);
        std::lock_guard<std::mutex> lock(store->mutex);
        ++store->calls;
        if (store->fail_with != AJWT_OK) return store->fail_with;
        bool fresh =
            store->seen.emplace(std::string(username, username_len), time, std::string(nonce, nonce_len)).second;
        return fresh ? AJWT_OK : AJWT_ERR_NONCE_REPLAYED;
    }
    static void destroy(void* self) { ++static_cast<HostStore*>(self)->destroyed; }
};

Store callback_store(HostStore& host, bool with_destroy = true) {
    ajwt_nonce_store* store = nullptr;
    ajwt_error err{};
    if (ajwt_nonce_store_new_callback(&HostStore::check, &host, with_destroy ? &HostStore::destroy : nullptr, &store,
                                      &err) != AJWT_OK)
        throw std::runtime_error(err.message);
    return Store(store);
}

}  // namespace

TEST(CapiVerifier, TimeWindowEdgesWithDefaultTolerance) {
    Fixture f;
    std::string token = sign(f.key.get(), "guido", kTime, "1");
    for (int64_t delta : {-20, -1, 0, 1, 20})
        EXPECT_OK(parse_and_verify(f.verifier.get(), token, f.pub.get(), kTime + delta)) << delta;
    // now = time + 21: the token is 21 s old.
    EXPECT_STATUS(AJWT_ERR_TOKEN_EXPIRED, parse_and_verify(f.verifier.get(), token, f.pub.get(), kTime + 21));
    EXPECT_STATUS(AJWT_ERR_TOKEN_FROM_FUTURE, parse_and_verify(f.verifier.get(), token, f.pub.get(), kTime - 21));
    EXPECT_STATUS(AJWT_ERR_TOKEN_EXPIRED, parse_and_verify(f.verifier.get(), token, f.pub.get(), INT64_MAX));
    EXPECT_STATUS(AJWT_ERR_TOKEN_FROM_FUTURE, parse_and_verify(f.verifier.get(), token, f.pub.get(), INT64_MIN));
}

TEST(CapiVerifier, TimeWindowEdgesWithCustomTolerance) {
    Fixture f;
    std::string token = sign(f.key.get(), "guido", kTime, "1");
    for (int64_t tolerance : {0, 5, 300, 86400}) {
        SCOPED_TRACE(tolerance);
        ASSERT_OK(ajwt_verifier_set_tolerance(f.verifier.get(), tolerance, nullptr));
        EXPECT_OK(parse_and_verify(f.verifier.get(), token, f.pub.get(), kTime + tolerance));
        EXPECT_OK(parse_and_verify(f.verifier.get(), token, f.pub.get(), kTime - tolerance));
        EXPECT_STATUS(AJWT_ERR_TOKEN_EXPIRED,
                      parse_and_verify(f.verifier.get(), token, f.pub.get(), kTime + tolerance + 1));
        EXPECT_STATUS(AJWT_ERR_TOKEN_FROM_FUTURE,
                      parse_and_verify(f.verifier.get(), token, f.pub.get(), kTime - tolerance - 1));
    }
    EXPECT_STATUS(AJWT_ERR_INVALID_ARGUMENT, ajwt_verifier_set_tolerance(f.verifier.get(), -1, nullptr));
    EXPECT_STATUS(AJWT_ERR_INVALID_ARGUMENT, ajwt_verifier_set_tolerance(f.verifier.get(), 86401, nullptr));
    EXPECT_STATUS(AJWT_ERR_INVALID_ARGUMENT, ajwt_verifier_set_tolerance(nullptr, 5, nullptr));
}

TEST(CapiVerifier, SignatureIsCheckedBeforeTime) {
    Fixture f;
    Key other = generate(AJWT_KEY_ED25519);
    std::string token = sign(f.key.get(), "guido", kTime, "1");
    EXPECT_STATUS(AJWT_ERR_BAD_SIGNATURE, parse_and_verify(f.verifier.get(), token, other.get(), kTime + 1000));
}

TEST(CapiVerifier, ReplayWithMemoryStore) {
    Fixture f;
    Store store = new_memory_store();
    ASSERT_OK(ajwt_verifier_set_nonce_store(f.verifier.get(), store.get(), nullptr));
    std::string token = sign(f.key.get(), "guido", kTime, "1");
    EXPECT_OK(parse_and_verify(f.verifier.get(), token, f.pub.get(), kTime));
    Err err;
    EXPECT_STATUS(AJWT_ERR_NONCE_REPLAYED, parse_and_verify(f.verifier.get(), token, f.pub.get(), kTime, err.get()));
    EXPECT_EQ(err.e.status, AJWT_ERR_NONCE_REPLAYED);
    EXPECT_EQ(ajwt_nonce_store_size(store.get()), 1u);
    // Same nonce, other time or other user: new entries.
    EXPECT_OK(parse_and_verify(f.verifier.get(), sign(f.key.get(), "guido", kTime + 1, "1"), f.pub.get(), kTime));
    EXPECT_OK(parse_and_verify(f.verifier.get(), sign(f.key.get(), "other", kTime, "1"), f.pub.get(), kTime));
    EXPECT_EQ(ajwt_nonce_store_size(store.get()), 3u);
    // A bad signature or expired token never reaches (or fills) the store.
    EXPECT_STATUS(AJWT_ERR_TOKEN_EXPIRED,
                  parse_and_verify(f.verifier.get(), sign(f.key.get(), "x", kTime - 100, "1"), f.pub.get(), kTime));
    EXPECT_EQ(ajwt_nonce_store_size(store.get()), 3u);
    // The verifier keeps the store alive after the caller's reference is gone.
    store.reset();
    EXPECT_STATUS(AJWT_ERR_NONCE_REPLAYED, parse_and_verify(f.verifier.get(), token, f.pub.get(), kTime));
    // Removing the store removes replay protection.
    ASSERT_OK(ajwt_verifier_set_nonce_store(f.verifier.get(), nullptr, nullptr));
    EXPECT_OK(parse_and_verify(f.verifier.get(), token, f.pub.get(), kTime));
}

TEST(CapiVerifier, MemoryStoreDirectlyAndExpiry) {
    Store store = new_memory_store(10, 0);
    EXPECT_EQ(ajwt_nonce_store_size(store.get()), 0u);
    EXPECT_OK(ajwt_nonce_store_check_and_record(store.get(), "u", 1, kTime, "n", 1, kTime, nullptr));
    EXPECT_STATUS(AJWT_ERR_NONCE_REPLAYED,
                  ajwt_nonce_store_check_and_record(store.get(), "u", 1, kTime, "n", 1, kTime + 5, nullptr));
    // The key is (username, time, nonce) exactly; lengths delimit.
    EXPECT_STATUS(AJWT_ERR_NONCE_REPLAYED,
                  ajwt_nonce_store_check_and_record(store.get(), "uu", 1, kTime, "n", 1, kTime, nullptr));
    EXPECT_OK(ajwt_nonce_store_check_and_record(store.get(), "u", 1, kTime, "nn", 2, kTime, nullptr));
    EXPECT_OK(
        ajwt_nonce_store_check_and_record(store.get(), std::string("u\0", 2).data(), 2, kTime, "n", 1, kTime, nullptr));
    // After the ttl the entry may be forgotten (the time window refuses such tokens anyway).
    EXPECT_OK(ajwt_nonce_store_check_and_record(store.get(), "u", 1, kTime, "n", 1, kTime + 1000, nullptr));
    EXPECT_STATUS(AJWT_ERR_INVALID_ARGUMENT,
                  ajwt_nonce_store_check_and_record(nullptr, "u", 1, kTime, "n", 1, kTime, nullptr));
    EXPECT_STATUS(AJWT_ERR_INVALID_ARGUMENT,
                  ajwt_nonce_store_check_and_record(store.get(), nullptr, 1, kTime, "n", 1, kTime, nullptr));
    EXPECT_STATUS(AJWT_ERR_INVALID_ARGUMENT,
                  ajwt_nonce_store_check_and_record(store.get(), "u", 1, kTime, nullptr, 1, kTime, nullptr));
    EXPECT_EQ(ajwt_nonce_store_size(nullptr), 0u);
}

TEST(CapiVerifier, MemoryStoreCapacityFailsClosed) {
    Store store = new_memory_store(0, 3);
    for (int i = 0; i < 3; ++i) {
        std::string nonce = "n" + std::to_string(i);
        EXPECT_OK(
            ajwt_nonce_store_check_and_record(store.get(), "u", 1, kTime, nonce.data(), nonce.size(), kTime, nullptr));
    }
    Err err;
    EXPECT_STATUS(AJWT_ERR_NONCE_STORE_FULL,
                  ajwt_nonce_store_check_and_record(store.get(), "u", 1, kTime, "n9", 2, kTime, err.get()));
    // A replay is still a replay, not "full".
    EXPECT_STATUS(AJWT_ERR_NONCE_REPLAYED,
                  ajwt_nonce_store_check_and_record(store.get(), "u", 1, kTime, "n0", 2, kTime, nullptr));
    EXPECT_EQ(ajwt_nonce_store_size(store.get()), 3u);
    // Once entries expire there is room again.
    EXPECT_OK(ajwt_nonce_store_check_and_record(store.get(), "u", 1, kTime, "n9", 2, kTime + 1000, nullptr));
}

TEST(CapiVerifier, MemoryStoreArguments) {
    ajwt_nonce_store* store = nullptr;
    EXPECT_STATUS(AJWT_ERR_INVALID_ARGUMENT, ajwt_nonce_store_new_memory(-1, 0, &store, nullptr));
    EXPECT_EQ(store, nullptr);
    EXPECT_STATUS(AJWT_ERR_INVALID_ARGUMENT, ajwt_nonce_store_new_memory(0, 0, nullptr, nullptr));
}

TEST(CapiVerifier, MemoryStoreDefaultsAndInputCap) {
    EXPECT_EQ(ajwt_default_nonce_ttl(), AJWT_DEFAULT_NONCE_TTL);
    EXPECT_EQ(ajwt_default_nonce_ttl(), 2 * ajwt_default_tolerance() + 1);
    ajwt_verifier* raw_verifier = nullptr;
    ASSERT_OK(ajwt_verifier_new(&raw_verifier, nullptr));
    EXPECT_EQ(ajwt_default_nonce_ttl(), ajwt_verifier_nonce_ttl(raw_verifier));  // one TTL rule
    ajwt_verifier_free(raw_verifier);
    EXPECT_EQ(ajwt_default_nonce_max_entries(), static_cast<size_t>(AJWT_DEFAULT_NONCE_MAX_ENTRIES));
    EXPECT_EQ(ajwt_nonce_store_max_input(), static_cast<size_t>(AJWT_NONCE_STORE_MAX_INPUT));
    Store store = new_memory_store();
    const std::string longest(AJWT_NONCE_STORE_MAX_INPUT, 'n'), too_long(AJWT_NONCE_STORE_MAX_INPUT + 1, 'n');
    EXPECT_OK(ajwt_nonce_store_check_and_record(store.get(), longest.data(), longest.size(), kTime, longest.data(),
                                                longest.size(), kTime, nullptr));
    Err err;
    EXPECT_STATUS(AJWT_ERR_TOKEN_CLAIMS, ajwt_nonce_store_check_and_record(store.get(), "u", 1, kTime, too_long.data(),
                                                                           too_long.size(), kTime, err.get()));
    EXPECT_NE(err.message().find("nonce"), std::string::npos) << err.message();
    EXPECT_STATUS(AJWT_ERR_TOKEN_CLAIMS,
                  ajwt_nonce_store_check_and_record(store.get(), too_long.data(), too_long.size(), kTime, "n", 1, kTime,
                                                    nullptr));
    // The longest claims a token may carry pass the parser and the store alike.
    Fixture f;
    ASSERT_OK(ajwt_verifier_set_nonce_store(f.verifier.get(), store.get(), nullptr));
    const std::string user(1024, 'u');
    const std::string token = sign(f.key.get(), user, kTime, longest);
    EXPECT_OK(parse_and_verify(f.verifier.get(), token, f.pub.get(), kTime));
    EXPECT_STATUS(AJWT_ERR_NONCE_REPLAYED, parse_and_verify(f.verifier.get(), token, f.pub.get(), kTime));
}

// A token recorded at the first second of its window is still refused at the last one: the
// default store keeps it through all 41 seconds (with 40, the replay at time + 20 passed).
TEST(CapiVerifier, DefaultMemoryStoreRefusesAReplayAtTheWindowsLastSecond) {
    Store store = new_memory_store();
    Fixture f;
    ASSERT_OK(ajwt_verifier_set_nonce_store(f.verifier.get(), store.get(), nullptr));
    const std::string token = sign(f.key.get(), "alice", kTime, "edge");
    EXPECT_OK(parse_and_verify(f.verifier.get(), token, f.pub.get(), kTime - AJWT_DEFAULT_TOLERANCE));
    EXPECT_STATUS(AJWT_ERR_NONCE_REPLAYED,
                  parse_and_verify(f.verifier.get(), token, f.pub.get(), kTime + AJWT_DEFAULT_TOLERANCE));
}

TEST(CapiVerifier, MemoryStorePerUserCap) {
    ajwt_nonce_store* raw = nullptr;
    ASSERT_OK(ajwt_nonce_store_new_memory_with_user_cap(0, 10, 2, &raw, nullptr));
    Store store(raw);
    auto record = [&](const std::string& user, const std::string& nonce, int64_t now, ajwt_error* err = nullptr) {
        return ajwt_nonce_store_check_and_record(store.get(), user.data(), user.size(), kTime, nonce.data(),
                                                 nonce.size(), now, err);
    };
    EXPECT_OK(record("mallory", "1", kTime));
    EXPECT_OK(record("mallory", "2", kTime));
    Err err;
    EXPECT_STATUS(AJWT_ERR_NONCE_STORE_FULL, record("mallory", "3", kTime, err.get()));
    EXPECT_NE(err.message().find("share"), std::string::npos) << err.message();
    EXPECT_STATUS(AJWT_ERR_NONCE_REPLAYED, record("mallory", "1", kTime));
    EXPECT_OK(record("alice", "1", kTime));
    EXPECT_OK(record("alice", "2", kTime));
    EXPECT_EQ(ajwt_nonce_store_size(store.get()), 4u);
    EXPECT_OK(record("mallory", "3", kTime + AJWT_DEFAULT_NONCE_TTL));  // room again once the first expire

    // Through a verifier: the flooding user's next token is refused, another user's passes.
    Fixture f;
    ASSERT_OK(ajwt_verifier_set_nonce_store(f.verifier.get(), store.get(), nullptr));
    const int64_t later = kTime + AJWT_DEFAULT_NONCE_TTL;
    EXPECT_OK(parse_and_verify(f.verifier.get(), sign(f.key.get(), "mallory", later, "4"), f.pub.get(), later));
    EXPECT_STATUS(AJWT_ERR_NONCE_STORE_FULL,
                  parse_and_verify(f.verifier.get(), sign(f.key.get(), "mallory", later, "5"), f.pub.get(), later));
    EXPECT_OK(parse_and_verify(f.verifier.get(), sign(f.key.get(), "bob", later, "5"), f.pub.get(), later));
}

TEST(CapiVerifier, MemoryStorePerUserCapArguments) {
    ajwt_nonce_store* store = nullptr;
    EXPECT_STATUS(AJWT_ERR_INVALID_ARGUMENT, ajwt_nonce_store_new_memory_with_user_cap(0, 10, 11, &store, nullptr));
    EXPECT_EQ(store, nullptr);
    EXPECT_STATUS(AJWT_ERR_INVALID_ARGUMENT,
                  ajwt_nonce_store_new_memory_with_user_cap(0, 0, AJWT_DEFAULT_NONCE_MAX_ENTRIES + 1, &store, nullptr));
    EXPECT_STATUS(AJWT_ERR_INVALID_ARGUMENT, ajwt_nonce_store_new_memory_with_user_cap(-1, 0, 0, &store, nullptr));
    EXPECT_STATUS(AJWT_ERR_INVALID_ARGUMENT, ajwt_nonce_store_new_memory_with_user_cap(0, 0, 0, nullptr, nullptr));
    // 0 = no cap of its own: one user may fill the whole store, as ajwt_nonce_store_new_memory.
    ASSERT_OK(ajwt_nonce_store_new_memory_with_user_cap(0, 3, 0, &store, nullptr));
    Store owned(store);
    for (const char* nonce : {"a", "b", "c"})
        EXPECT_OK(ajwt_nonce_store_check_and_record(owned.get(), "u", 1, kTime, nonce, 1, kTime, nullptr));
    EXPECT_STATUS(AJWT_ERR_NONCE_STORE_FULL,
                  ajwt_nonce_store_check_and_record(owned.get(), "u", 1, kTime, "d", 1, kTime, nullptr));
}

TEST(CapiVerifier, ReplayWithCallbackStore) {
    Fixture f;
    HostStore host;
    {
        Store store = callback_store(host);
        ASSERT_OK(ajwt_verifier_set_nonce_store(f.verifier.get(), store.get(), nullptr));
        EXPECT_EQ(ajwt_nonce_store_size(store.get()), 0u);
    }
    EXPECT_EQ(host.destroyed, 0) << "the verifier still holds the store";
    std::string token = sign(f.key.get(), "guido", kTime, "abc");
    EXPECT_OK(parse_and_verify(f.verifier.get(), token, f.pub.get(), kTime));
    EXPECT_STATUS(AJWT_ERR_NONCE_REPLAYED, parse_and_verify(f.verifier.get(), token, f.pub.get(), kTime));
    EXPECT_EQ(host.calls, 2);
    EXPECT_EQ(host.seen.count({"guido", kTime, "abc"}), 1u);

    // A failing host store rejects the token with CALLBACK_FAILED.
    host.fail_with = AJWT_ERR_INTERNAL;
    Err err;
    EXPECT_STATUS(AJWT_ERR_CALLBACK_FAILED, parse_and_verify(f.verifier.get(), sign(f.key.get(), "guido", kTime, "new"),
                                                             f.pub.get(), kTime, err.get()));
    EXPECT_NE(err.message().find("callback"), std::string::npos) << err.message();
    host.fail_with = static_cast<ajwt_status>(60);  // not a status at all
    EXPECT_STATUS(AJWT_ERR_CALLBACK_FAILED,
                  parse_and_verify(f.verifier.get(), sign(f.key.get(), "guido", kTime, "new"), f.pub.get(), kTime));
    host.fail_with = AJWT_OK;

    f.verifier.reset();
    EXPECT_EQ(host.destroyed, 1) << "destroy runs once the last reference is gone";
}

TEST(CapiVerifier, CallbackStoreDirectlyAndArguments) {
    HostStore host;
    {
        Store store = callback_store(host);
        EXPECT_OK(ajwt_nonce_store_check_and_record(store.get(), "u", 1, kTime, "n", 1, kTime, nullptr));
        EXPECT_STATUS(AJWT_ERR_NONCE_REPLAYED,
                      ajwt_nonce_store_check_and_record(store.get(), "u", 1, kTime, "n", 1, kTime, nullptr));
    }
    EXPECT_EQ(host.destroyed, 1);
    { Store no_destroy = callback_store(host, false); }
    EXPECT_EQ(host.destroyed, 1);
    ajwt_nonce_store* store = nullptr;
    EXPECT_STATUS(AJWT_ERR_INVALID_ARGUMENT,
                  ajwt_nonce_store_new_callback(nullptr, &host, &HostStore::destroy, &store, nullptr));
    EXPECT_STATUS(AJWT_ERR_INVALID_ARGUMENT,
                  ajwt_nonce_store_new_callback(&HostStore::check, &host, &HostStore::destroy, nullptr, nullptr));
    EXPECT_EQ(host.destroyed, 1) << "a failed creation leaves user_data with the caller";
}

TEST(CapiVerifier, SetAlgorithms) {
    Fixture f;
    const ajwt_alg rs[] = {AJWT_ALG_RS256};
    ASSERT_OK(ajwt_verifier_set_algorithms(f.verifier.get(), rs, 1, nullptr));
    std::string token = sign(f.key.get(), "guido", kTime, "1");
    EXPECT_STATUS(AJWT_ERR_ALGORITHM_NOT_ALLOWED, parse_and_verify(f.verifier.get(), token, f.pub.get(), kTime));
    const ajwt_alg both[] = {AJWT_ALG_RS256, AJWT_ALG_EDDSA};
    ASSERT_OK(ajwt_verifier_set_algorithms(f.verifier.get(), both, 2, nullptr));
    EXPECT_OK(parse_and_verify(f.verifier.get(), token, f.pub.get(), kTime));
    EXPECT_STATUS(AJWT_ERR_INVALID_ARGUMENT, ajwt_verifier_set_algorithms(f.verifier.get(), both, 0, nullptr));
    EXPECT_STATUS(AJWT_ERR_INVALID_ARGUMENT, ajwt_verifier_set_algorithms(f.verifier.get(), nullptr, 1, nullptr));
    const ajwt_alg bad[] = {AJWT_ALG_RS256, AJWT_ALG_UNKNOWN};
    EXPECT_STATUS(AJWT_ERR_INVALID_ARGUMENT, ajwt_verifier_set_algorithms(f.verifier.get(), bad, 2, nullptr));
    const ajwt_alg out_of_range[] = {static_cast<ajwt_alg>(13)};
    EXPECT_STATUS(AJWT_ERR_INVALID_ARGUMENT, ajwt_verifier_set_algorithms(f.verifier.get(), out_of_range, 1, nullptr));
    // A failed setter leaves the policy as it was.
    EXPECT_OK(parse_and_verify(f.verifier.get(), token, f.pub.get(), kTime));
}

TEST(CapiVerifier, SetMaxTokenSize) {
    Fixture f;
    EXPECT_OK(ajwt_verifier_set_max_token_size(f.verifier.get(), 64, nullptr));
    EXPECT_OK(ajwt_verifier_set_max_token_size(f.verifier.get(), 1048576, nullptr));
    EXPECT_STATUS(AJWT_ERR_INVALID_ARGUMENT, ajwt_verifier_set_max_token_size(f.verifier.get(), 63, nullptr));
    EXPECT_STATUS(AJWT_ERR_INVALID_ARGUMENT, ajwt_verifier_set_max_token_size(f.verifier.get(), 1048577, nullptr));
    EXPECT_STATUS(AJWT_ERR_INVALID_ARGUMENT, ajwt_verifier_set_max_token_size(f.verifier.get(), 0, nullptr));
    std::string token = sign(f.key.get(), "guido", kTime, "1");
    ASSERT_OK(ajwt_verifier_set_max_token_size(f.verifier.get(), token.size(), nullptr));
    EXPECT_OK(parse_and_verify(f.verifier.get(), token, f.pub.get(), kTime));
    ASSERT_OK(ajwt_verifier_set_max_token_size(f.verifier.get(), token.size() - 1, nullptr));
    EXPECT_STATUS(AJWT_ERR_TOKEN_TOO_LARGE, parse_and_verify(f.verifier.get(), token, f.pub.get(), kTime));
}

TEST(CapiVerifier, NullArguments) {
    Fixture f;
    Token token;
    {
        std::string text = sign(f.key.get(), "guido", kTime, "1");
        ajwt_token* parsed = nullptr;
        ASSERT_OK(ajwt_verifier_parse(f.verifier.get(), text.data(), text.size(), &parsed, nullptr));
        token.reset(parsed);
        EXPECT_STATUS(AJWT_ERR_INVALID_ARGUMENT,
                      ajwt_verifier_parse(nullptr, text.data(), text.size(), &parsed, nullptr));
        EXPECT_STATUS(AJWT_ERR_INVALID_ARGUMENT, ajwt_verifier_parse(f.verifier.get(), nullptr, 3, &parsed, nullptr));
        EXPECT_STATUS(AJWT_ERR_INVALID_ARGUMENT,
                      ajwt_verifier_parse(f.verifier.get(), text.data(), text.size(), nullptr, nullptr));
    }
    EXPECT_STATUS(AJWT_ERR_INVALID_ARGUMENT, ajwt_verify(nullptr, token.get(), f.pub.get(), kTime, nullptr));
    EXPECT_STATUS(AJWT_ERR_INVALID_ARGUMENT, ajwt_verify(f.verifier.get(), nullptr, f.pub.get(), kTime, nullptr));
    EXPECT_STATUS(AJWT_ERR_INVALID_ARGUMENT, ajwt_verify(f.verifier.get(), token.get(), nullptr, kTime, nullptr));
    EXPECT_STATUS(AJWT_ERR_INVALID_ARGUMENT, ajwt_verifier_new(nullptr, nullptr));
    EXPECT_STATUS(AJWT_ERR_INVALID_ARGUMENT, ajwt_verifier_set_nonce_store(nullptr, nullptr, nullptr));
    EXPECT_STATUS(AJWT_ERR_INVALID_ARGUMENT, ajwt_verifier_set_max_token_size(nullptr, 100, nullptr));
    const ajwt_key* used = nullptr;
    Keyset set = new_keyset();
    EXPECT_STATUS(AJWT_ERR_INVALID_ARGUMENT,
                  ajwt_verify_keyset(f.verifier.get(), token.get(), nullptr, kTime, &used, nullptr));
    EXPECT_STATUS(AJWT_ERR_INVALID_ARGUMENT,
                  ajwt_verify_keyset(f.verifier.get(), nullptr, set.get(), kTime, &used, nullptr));
    EXPECT_STATUS(AJWT_ERR_INVALID_ARGUMENT,
                  ajwt_verify_keyset(nullptr, token.get(), set.get(), kTime, &used, nullptr));
}

TEST(CapiVerifier, VerifyKeysetPicksTheSigner) {
    Fixture f;
    Key rsa = compat_rsa_private();
    Key other_ed = generate(AJWT_KEY_ED25519);
    Keyset set = new_keyset();
    ASSERT_OK(ajwt_keyset_add(set.get(), public_of(rsa.get()).get(), nullptr));
    ASSERT_OK(ajwt_keyset_add(set.get(), public_of(other_ed.get()).get(), nullptr));
    ASSERT_OK(ajwt_keyset_add(set.get(), f.pub.get(), nullptr));

    std::string token = sign(f.key.get(), "guido", kTime, "1");
    ajwt_token* parsed = nullptr;
    ASSERT_OK(ajwt_verifier_parse(f.verifier.get(), token.data(), token.size(), &parsed, nullptr));
    Token owner(parsed);
    const ajwt_key* used = nullptr;
    ASSERT_OK(ajwt_verify_keyset(f.verifier.get(), parsed, set.get(), kTime, &used, nullptr));
    EXPECT_EQ(used, ajwt_keyset_get(set.get(), 2));
    EXPECT_OK(ajwt_verify_keyset(f.verifier.get(), parsed, set.get(), kTime, nullptr, nullptr));

    // Another signer in the same set.
    std::string rsa_token = sign(rsa.get(), "guido", kTime, "1");
    ASSERT_OK(ajwt_verifier_parse(f.verifier.get(), rsa_token.data(), rsa_token.size(), &parsed, nullptr));
    Token rsa_owner(parsed);
    ASSERT_OK(ajwt_verify_keyset(f.verifier.get(), parsed, set.get(), kTime, &used, nullptr));
    EXPECT_EQ(used, ajwt_keyset_get(set.get(), 0));

    // A set without the signer: BAD_SIGNATURE; a set with no usable type: NO_MATCHING_KEY.
    Keyset others = new_keyset();
    ASSERT_OK(ajwt_keyset_add(others.get(), public_of(other_ed.get()).get(), nullptr));
    used = reinterpret_cast<const ajwt_key*>(0x1);
    EXPECT_STATUS(AJWT_ERR_BAD_SIGNATURE,
                  ajwt_verify_keyset(f.verifier.get(), owner.get(), others.get(), kTime, &used, nullptr));
    EXPECT_EQ(used, nullptr);
    EXPECT_STATUS(AJWT_ERR_NO_MATCHING_KEY,
                  ajwt_verify_keyset(f.verifier.get(), rsa_owner.get(), others.get(), kTime, &used, nullptr));
    Keyset empty = new_keyset();
    EXPECT_STATUS(AJWT_ERR_NO_MATCHING_KEY,
                  ajwt_verify_keyset(f.verifier.get(), owner.get(), empty.get(), kTime, &used, nullptr));
    // Time and nonce apply after the signature.
    EXPECT_STATUS(AJWT_ERR_TOKEN_EXPIRED,
                  ajwt_verify_keyset(f.verifier.get(), owner.get(), set.get(), kTime + 21, &used, nullptr));
}

TEST(CapiVerifier, VerifyKeysetFallsBackWhenTheKidMatchesNoMember) {
    // A JWKS member with its own kid: the token's kid (the fingerprint) matches nothing, so the
    // members whose type fits are tried.
    Fixture f;
    json jwk = json::parse(export_key(f.pub.get(), AJWT_EXPORT_PUBLIC_JWK));
    jwk["kid"] = "publisher-key-7";
    const std::string doc = json{{"keys", {jwk}}}.dump();
    ajwt_keyset* set = nullptr;
    ASSERT_OK(ajwt_keyset_parse_jwks(doc.data(), doc.size(), &set, nullptr));
    Keyset owner(set);
    ASSERT_NE(ajwt_keyset_find(set, "publisher-key-7", 15), nullptr);
    const std::string fp = fingerprint(f.pub.get());
    EXPECT_EQ(ajwt_keyset_find(set, fp.data(), fp.size()), nullptr);

    std::string token = sign(f.key.get(), "guido", kTime, "1");
    ajwt_token* parsed = nullptr;
    ASSERT_OK(ajwt_verifier_parse(f.verifier.get(), token.data(), token.size(), &parsed, nullptr));
    Token token_owner(parsed);
    const ajwt_key* used = nullptr;
    EXPECT_OK(ajwt_verify_keyset(f.verifier.get(), parsed, set, kTime, &used, nullptr));
    EXPECT_EQ(used, ajwt_keyset_get(set, 0));
}
