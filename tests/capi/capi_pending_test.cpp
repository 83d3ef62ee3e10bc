// Two-phase authentication (ajwt_authenticate_begin / ajwt_pending_*) against the one-call
// ajwt_authenticate_request, and the shared nonce key (tests/vectors/nonce-keys.json).
#include <map>
#include <set>
#include <string>
#include <vector>

#include "capi_support.hpp"

using namespace capi_test;
using nlohmann::json;

namespace {

constexpr int64_t kNow = 1700000000;

struct PendingDeleter {
    void operator()(ajwt_pending* p) const { ajwt_pending_free(p); }
};
using Pending = std::unique_ptr<ajwt_pending, PendingDeleter>;

// A host's nonce store (what Redis SET NX gives), reached by the one-call form through a
// callback store and by the two-phase form directly.
struct HostNonces {
    std::set<std::string> recorded;
    bool failing = false;

    ajwt_nonce_outcome record(const std::string& key) {
        if (failing) return AJWT_NONCE_STORE_FAILED;
        return recorded.insert(key).second ? AJWT_NONCE_RECORDED : AJWT_NONCE_ALREADY_RECORDED;
    }
    static ajwt_status callback(void* self, const char* username, size_t username_len, int64_t time, const char* nonce,
                                size_t nonce_len) {
        auto& host = *static_cast<HostNonces*>(self);
        char key[AJWT_NONCE_KEY_SIZE + 1];
        if (ajwt_nonce_key(username, username_len, time, nonce, nonce_len, key, sizeof key, nullptr) != AJWT_OK)
            return AJWT_ERR_INTERNAL;
        switch (host.record(key)) {
            case AJWT_NONCE_RECORDED: return AJWT_OK;
            case AJWT_NONCE_ALREADY_RECORDED: return AJWT_ERR_NONCE_REPLAYED;
            default: return AJWT_ERR_INTERNAL;
        }
    }
};

// Where nonces go: the verifier's memory store, none at all, or the host's own store.
enum class NonceMode { VerifierStore, NoStore, HostStore, HostStoreFailing };

std::string mode_name(NonceMode mode) {
    switch (mode) {
        case NonceMode::VerifierStore: return "verifier_store";
        case NonceMode::NoStore: return "no_store";
        case NonceMode::HostStore: return "host_store";
        case NonceMode::HostStoreFailing: return "host_store_failing";
    }
    return "?";
}

// The host's user registry: username -> public key PEMs.
using Users = std::map<std::string, std::vector<std::string>>;

ajwt_status user_exists(void* users, const char* username, size_t len) {
    return static_cast<Users*>(users)->count(std::string(username, len)) ? AJWT_OK : AJWT_ERR_UNKNOWN_USER;
}

ajwt_status add_user_keys(const Users& users, const std::string& username, ajwt_keyset* out) {
    auto it = users.find(username);
    if (it == users.end()) return AJWT_OK;
    for (const std::string& pem : it->second) {
        ajwt_status status = ajwt_keyset_add_text(out, pem.data(), pem.size(), AJWT_FORMAT_ANY, nullptr);
        if (status != AJWT_OK) return status;
    }
    return AJWT_OK;
}

ajwt_status user_keys(void* users, const char* username, size_t len, const char*, size_t, ajwt_keyset* out) {
    return add_user_keys(*static_cast<Users*>(users), std::string(username, len), out);
}

// A request as the host received it; method/target NULL-able through the flags.
struct Request {
    std::string method = "GET";
    std::string target = "/things";
};

// One service: verifier (binding WHEN_PRESENT, so bound tokens are checked), nonce mode, and
// an authenticator over the users. Each form gets its own, so stores do not mix.
struct Service {
    Users users;
    NonceMode mode;
    HostNonces host;
    Verifier verifier = new_verifier();
    Auth auth;

    Service(const Users& u, NonceMode m) : users(u), mode(m) {
        host.failing = mode == NonceMode::HostStoreFailing;
        check(ajwt_verifier_set_binding(verifier.get(), AJWT_BINDING_WHEN_PRESENT, nullptr));
        Store store;
        if (mode == NonceMode::VerifierStore) store = new_memory_store();
        if (mode == NonceMode::HostStore || mode == NonceMode::HostStoreFailing) {
            ajwt_nonce_store* s = nullptr;
            check(ajwt_nonce_store_new_callback(&HostNonces::callback, &host, nullptr, &s, nullptr));
            store.reset(s);
        }
        check(ajwt_verifier_set_nonce_store(verifier.get(), store.get(), nullptr));
        ajwt_authenticator* a = nullptr;
        check(ajwt_authenticator_new(verifier.get(), &a, nullptr));
        auth.reset(a);
        check(ajwt_authenticator_set_user_exists(a, &user_exists, &users, nullptr));
        check(ajwt_authenticator_set_user_keys(a, &user_keys, &users, nullptr));
    }
    static void check(ajwt_status status) {
        if (status != AJWT_OK) throw std::runtime_error("setup: " + describe(status));
    }
    // The one-call form (a host store is reached through the verifier's callback store).
    ajwt_status one_call(const std::string& header, const Request& request, int64_t now) {
        return ajwt_authenticate_request(auth.get(), header.data(), header.size(), now, request.method.data(),
                                         request.method.size(), request.target.data(), request.target.size(), nullptr,
                                         nullptr, nullptr, nullptr);
    }
    // The two-phase form as an async host drives it: look up the user, verify, record, finish.
    ajwt_status two_phase(const std::string& header, const Request& request, int64_t now) {
        ajwt_pending* raw = nullptr;
        ajwt_status status = ajwt_authenticate_begin(auth.get(), header.data(), header.size(), &raw, nullptr);
        Pending pending(raw);
        if (status != AJWT_OK) {
            EXPECT_EQ(raw, nullptr);
            return status;
        }
        size_t len = 0;
        const char* name = ajwt_pending_username(pending.get(), &len);
        const std::string username(name, len);
        Keyset keys = new_keyset();
        const bool known = users.count(username) != 0;
        if (known) check(add_user_keys(users, username, keys.get()));
        status =
            ajwt_pending_verify(pending.get(), known ? keys.get() : nullptr, now, request.method.data(),
                                request.method.size(), request.target.data(), request.target.size(), nullptr, nullptr);
        if (status != AJWT_OK) {
            EXPECT_EQ(ajwt_pending_nonce_key(pending.get(), nullptr), nullptr);
            return status;
        }
        ajwt_nonce_outcome outcome = AJWT_NONCE_USE_VERIFIER_STORE;
        if (mode == NonceMode::HostStore || mode == NonceMode::HostStoreFailing)
            outcome = host.record(ajwt_pending_nonce_key(pending.get(), nullptr));
        return ajwt_pending_finish(pending.get(), outcome, nullptr, nullptr, nullptr);
    }
};

struct Keys {
    Key alice = generate(AJWT_KEY_ED25519);
    Key alice_ec = generate(AJWT_KEY_EC_P256);
    Key bob_ec = generate(AJWT_KEY_EC_P256);
    Key stranger = generate(AJWT_KEY_ED25519);
    Users users() const {
        return {{"alice",
                 {export_key(alice.get(), AJWT_EXPORT_PUBLIC_PEM), export_key(alice_ec.get(), AJWT_EXPORT_PUBLIC_PEM)}},
                {"bob", {export_key(bob_ec.get(), AJWT_EXPORT_PUBLIC_PEM)}}};
    }
};

const Keys& keys() {
    static const Keys k;
    return k;
}

std::string bound_token(const ajwt_key* key, const std::string& user, const std::string& nonce,
                        const std::string& method) {
    char* out = nullptr;
    size_t len = 0;
    if (ajwt_sign_request(key, user.data(), user.size(), kNow, nonce.data(), nonce.size(), AJWT_ALG_UNKNOWN,
                          method.data(), method.size(), nullptr, 0, nullptr, nullptr, 0, &out, &len,
                          nullptr) != AJWT_OK)
        throw std::runtime_error("ajwt_sign_request");
    Bytes owner(out);
    return std::string(out, len);
}

struct Case {
    std::string name;
    std::vector<std::string> headers;  // sent in order to one service
    // Expected statuses per header with the verifier's memory store; other modes differ only
    // at the nonce step, which run() derives.
    std::vector<ajwt_status> expected;
    Request request;
};

std::vector<Case> cases() {
    const Keys& k = keys();
    const std::string good = "JWT " + sign(k.alice.get(), "alice", kNow, "n-good");
    return {
        {"good_token", {good}, {AJWT_OK}, {}},
        {"good_token_second_key", {"JWT " + sign(k.alice_ec.get(), "alice", kNow, "n-ec")}, {AJWT_OK}, {}},
        {"method_word_case_insensitive", {"jwt " + sign(k.alice.get(), "alice", kNow, "n-lc")}, {AJWT_OK}, {}},
        {"wrong_method_word",
         {"Bearer " + sign(k.alice.get(), "alice", kNow, "n-b")},
         {AJWT_ERR_WRONG_AUTH_METHOD},
         {}},
        {"empty_header", {""}, {AJWT_ERR_NO_AUTH_HEADER}, {}},
        {"malformed_token", {"JWT not.a-token"}, {AJWT_ERR_TOKEN_FORMAT}, {}},
        {"unknown_user", {"JWT " + sign(k.stranger.get(), "mallory", kNow, "n-u")}, {AJWT_ERR_UNKNOWN_USER}, {}},
        {"bad_signature", {"JWT " + sign(k.stranger.get(), "alice", kNow, "n-s")}, {AJWT_ERR_BAD_SIGNATURE}, {}},
        {"no_matching_key", {"JWT " + sign(k.alice.get(), "bob", kNow, "n-m")}, {AJWT_ERR_NO_MATCHING_KEY}, {}},
        {"expired", {"JWT " + sign(k.alice.get(), "alice", kNow - 21, "n-e")}, {AJWT_ERR_TOKEN_EXPIRED}, {}},
        {"from_future", {"JWT " + sign(k.alice.get(), "alice", kNow + 21, "n-f")}, {AJWT_ERR_TOKEN_FROM_FUTURE}, {}},
        {"replay", {good, good}, {AJWT_OK, AJWT_ERR_NONCE_REPLAYED}, {}},
        {"replay_after_failure_is_first_use",
         {"JWT " + sign(k.alice.get(), "alice", kNow - 30, "n-r"), "JWT " + sign(k.alice.get(), "alice", kNow, "n-r")},
         {AJWT_ERR_TOKEN_EXPIRED, AJWT_OK},
         {}},
        {"binding_matches", {"JWT " + bound_token(k.alice.get(), "alice", "n-bm", "GET")}, {AJWT_OK}, {}},
        {"binding_mismatch",
         {"JWT " + bound_token(k.alice.get(), "alice", "n-bx", "POST")},
         {AJWT_ERR_BINDING_METHOD},
         {}},
    };
}

// The status a case's header gets under `mode`, from its memory-store expectation.
ajwt_status expected_under(NonceMode mode, ajwt_status with_memory_store) {
    if (mode == NonceMode::NoStore && with_memory_store == AJWT_ERR_NONCE_REPLAYED) return AJWT_OK;
    if (mode == NonceMode::HostStoreFailing && with_memory_store == AJWT_OK) return AJWT_ERR_CALLBACK_FAILED;
    if (mode == NonceMode::HostStoreFailing && with_memory_store == AJWT_ERR_NONCE_REPLAYED)
        return AJWT_ERR_CALLBACK_FAILED;
    return with_memory_store;
}

}  // namespace

TEST(CapiPending, SameStatusAsOneCallForEveryCaseAndNonceMode) {
    for (NonceMode mode :
         {NonceMode::VerifierStore, NonceMode::NoStore, NonceMode::HostStore, NonceMode::HostStoreFailing}) {
        for (const Case& c : cases()) {
            SCOPED_TRACE(c.name + " / " + mode_name(mode));
            Service one(keys().users(), mode), two(keys().users(), mode);
            for (size_t i = 0; i < c.headers.size(); ++i) {
                const ajwt_status expected = expected_under(mode, c.expected[i]);
                EXPECT_STATUS(expected, one.one_call(c.headers[i], c.request, kNow));
                EXPECT_STATUS(expected, two.two_phase(c.headers[i], c.request, kNow));
            }
            EXPECT_EQ(one.host.recorded, two.host.recorded) << "both forms record the same nonce keys";
        }
    }
}

TEST(CapiPending, SuccessGivesTokenAndKeyAndCallsNoCallback) {
    const Keys& k = keys();
    Users users = k.users();
    int callbacks = 0;
    Verifier verifier = new_verifier();
    ajwt_authenticator* a = nullptr;
    ASSERT_OK(ajwt_authenticator_new(verifier.get(), &a, nullptr));
    Auth auth(a);
    auto counting_keys = [](void* count, const char*, size_t, const char*, size_t, ajwt_keyset*) {
        ++*static_cast<int*>(count);
        return AJWT_ERR_INTERNAL;
    };
    auto counting_used = [](void* count, const char*, size_t, const ajwt_key*) { ++*static_cast<int*>(count); };
    ASSERT_OK(ajwt_authenticator_set_user_keys(a, counting_keys, &callbacks, nullptr));
    ASSERT_OK(ajwt_authenticator_set_key_used(a, counting_used, &callbacks, nullptr));

    const std::string header = "JWT " + sign(k.alice_ec.get(), "alice", kNow, "n1");
    ajwt_pending* raw = nullptr;
    ASSERT_OK(ajwt_authenticate_begin(a, header.data(), header.size(), &raw, nullptr));
    Pending pending(raw);
    size_t len = 0;
    const char* username = ajwt_pending_username(pending.get(), &len);
    EXPECT_EQ(std::string(username, len), "alice");
    EXPECT_EQ(username[len], '\0');
    const char* kid = ajwt_pending_kid(pending.get(), &len);
    ASSERT_NE(kid, nullptr);
    EXPECT_EQ(std::string(kid, len), fingerprint(k.alice_ec.get()));

    Keyset set = new_keyset();
    ASSERT_OK(add_user_keys(users, "alice", set.get()));
    ASSERT_OK(ajwt_pending_verify(pending.get(), set.get(), kNow, nullptr, 0, nullptr, 0, nullptr, nullptr));
    char expected_key[AJWT_NONCE_KEY_SIZE + 1];
    ASSERT_OK(ajwt_nonce_key("alice", 5, kNow, "n1", 2, expected_key, sizeof expected_key, nullptr));
    const char* nonce_key = ajwt_pending_nonce_key(pending.get(), &len);
    ASSERT_NE(nonce_key, nullptr);
    EXPECT_EQ(std::string(nonce_key, len), expected_key);
    EXPECT_EQ(len, AJWT_NONCE_KEY_SIZE);
    EXPECT_EQ(ajwt_pending_nonce_ttl(pending.get()), 41);

    ajwt_token* token = nullptr;
    ajwt_key* key = nullptr;
    ASSERT_OK(ajwt_pending_finish(pending.get(), AJWT_NONCE_RECORDED, &token, &key, nullptr));
    Token token_owner(token);
    Key key_owner(key);
    EXPECT_STREQ(ajwt_token_username(token, nullptr), "alice");
    EXPECT_EQ(ajwt_key_equal(key, k.alice_ec.get()), 1);
    EXPECT_EQ(callbacks, 0) << "the two-phase form leaves every lookup to the host";
    // The username stays readable until the pending authentication is freed.
    EXPECT_STREQ(ajwt_pending_username(pending.get(), nullptr), "alice");
}

TEST(CapiPending, TokenWithoutKidHasNullKid) {
    Verifier verifier = new_verifier();
    ajwt_authenticator* a = nullptr;
    ASSERT_OK(ajwt_authenticator_new(verifier.get(), &a, nullptr));
    Auth auth(a);
    TokenParts parts = split_token(sign(keys().alice.get(), "alice", kNow, "n1"));
    json header = decode_part(parts.header);
    header.erase("kid");
    parts.header = encode_part(header);
    const std::string text = "JWT " + join_token(parts);
    ajwt_pending* raw = nullptr;
    ASSERT_OK(ajwt_authenticate_begin(a, text.data(), text.size(), &raw, nullptr));
    Pending pending(raw);
    size_t len = 99;
    EXPECT_EQ(ajwt_pending_kid(pending.get(), &len), nullptr);
    EXPECT_EQ(len, 0u);
}

TEST(CapiPending, VerifierStoreIsSharedWithOneCall) {
    // USE_VERIFIER_STORE records in the same memory store the one-call form checks.
    Service service(keys().users(), NonceMode::VerifierStore);
    const std::string header = "JWT " + sign(keys().alice.get(), "alice", kNow, "shared");
    EXPECT_OK(service.two_phase(header, {}, kNow));
    EXPECT_STATUS(AJWT_ERR_NONCE_REPLAYED, service.one_call(header, {}, kNow));
}

TEST(CapiPending, PendingOutlivesItsAuthenticator) {
    Service service(keys().users(), NonceMode::VerifierStore);
    const std::string header = "JWT " + sign(keys().alice.get(), "alice", kNow, "n1");
    ajwt_pending* raw = nullptr;
    ASSERT_OK(ajwt_authenticate_begin(service.auth.get(), header.data(), header.size(), &raw, nullptr));
    Pending pending(raw);
    service.auth.reset();
    service.verifier.reset();
    Keyset set = new_keyset();
    ASSERT_OK(add_user_keys(service.users, "alice", set.get()));
    EXPECT_OK(ajwt_pending_verify(pending.get(), set.get(), kNow, nullptr, 0, nullptr, 0, nullptr, nullptr));
    EXPECT_OK(ajwt_pending_finish(pending.get(), AJWT_NONCE_USE_VERIFIER_STORE, nullptr, nullptr, nullptr));
}

TEST(CapiPending, MisuseIsInvalidArgument) {
    Service service(keys().users(), NonceMode::VerifierStore);
    const std::string header = "JWT " + sign(keys().alice.get(), "alice", kNow, "n1");
    Keyset set = new_keyset();
    ASSERT_OK(add_user_keys(service.users, "alice", set.get()));
    auto begin = [&] {
        ajwt_pending* raw = nullptr;
        if (ajwt_authenticate_begin(service.auth.get(), header.data(), header.size(), &raw, nullptr) != AJWT_OK)
            throw std::runtime_error("begin");
        return Pending(raw);
    };
    auto verify = [&](ajwt_pending* p) {
        return ajwt_pending_verify(p, set.get(), kNow, nullptr, 0, nullptr, 0, nullptr, nullptr);
    };

    // NULLs.
    ajwt_pending* out = reinterpret_cast<ajwt_pending*>(&service);
    Err err;
    EXPECT_STATUS(AJWT_ERR_INVALID_ARGUMENT,
                  ajwt_authenticate_begin(nullptr, header.data(), header.size(), &out, err.get()));
    EXPECT_EQ(out, nullptr);
    EXPECT_EQ(err.e.status, AJWT_ERR_INVALID_ARGUMENT);
    EXPECT_STATUS(AJWT_ERR_INVALID_ARGUMENT,
                  ajwt_authenticate_begin(service.auth.get(), header.data(), header.size(), nullptr, nullptr));
    EXPECT_STATUS(AJWT_ERR_INVALID_ARGUMENT, ajwt_authenticate_begin(service.auth.get(), nullptr, 5, &out, nullptr));
    EXPECT_STATUS(AJWT_ERR_NO_AUTH_HEADER, ajwt_authenticate_begin(service.auth.get(), nullptr, 0, &out, nullptr));
    EXPECT_STATUS(AJWT_ERR_INVALID_ARGUMENT, verify(nullptr));
    EXPECT_STATUS(AJWT_ERR_INVALID_ARGUMENT,
                  ajwt_pending_finish(nullptr, AJWT_NONCE_RECORDED, nullptr, nullptr, nullptr));
    size_t len = 7;
    EXPECT_EQ(ajwt_pending_username(nullptr, &len), nullptr);
    EXPECT_EQ(len, 0u);
    EXPECT_EQ(ajwt_pending_kid(nullptr, nullptr), nullptr);
    EXPECT_EQ(ajwt_pending_nonce_key(nullptr, nullptr), nullptr);
    EXPECT_EQ(ajwt_pending_nonce_ttl(nullptr), 0);
    ajwt_pending_free(nullptr);

    {  // finish before verify; the nonce key is not given out before a successful verify
        Pending p = begin();
        EXPECT_EQ(ajwt_pending_nonce_key(p.get(), nullptr), nullptr);
        EXPECT_EQ(ajwt_pending_nonce_ttl(p.get()), 0);
        EXPECT_STATUS(AJWT_ERR_INVALID_ARGUMENT,
                      ajwt_pending_finish(p.get(), AJWT_NONCE_RECORDED, nullptr, nullptr, nullptr));
        EXPECT_OK(verify(p.get())) << "a refused finish leaves the pending authentication usable";
    }
    {  // verify twice
        Pending p = begin();
        EXPECT_OK(verify(p.get()));
        EXPECT_STATUS(AJWT_ERR_INVALID_ARGUMENT, verify(p.get()));
    }
    {  // verify again after a failed verify: no second try with other keys
        Pending p = begin();
        Keyset empty = new_keyset();
        EXPECT_STATUS(AJWT_ERR_NO_MATCHING_KEY,
                      ajwt_pending_verify(p.get(), empty.get(), kNow, nullptr, 0, nullptr, 0, nullptr, nullptr));
        EXPECT_STATUS(AJWT_ERR_INVALID_ARGUMENT, verify(p.get()));
        EXPECT_STATUS(AJWT_ERR_INVALID_ARGUMENT,
                      ajwt_pending_finish(p.get(), AJWT_NONCE_RECORDED, nullptr, nullptr, nullptr));
    }
    {  // a bad outcome value, then finish twice
        Pending p = begin();
        EXPECT_OK(verify(p.get()));
        const auto bad = static_cast<ajwt_nonce_outcome>(7);
        ajwt_token* token = reinterpret_cast<ajwt_token*>(&service);
        EXPECT_STATUS(AJWT_ERR_INVALID_ARGUMENT, ajwt_pending_finish(p.get(), bad, &token, nullptr, nullptr));
        EXPECT_EQ(token, nullptr);
        EXPECT_OK(ajwt_pending_finish(p.get(), AJWT_NONCE_RECORDED, nullptr, nullptr, nullptr));
        EXPECT_STATUS(AJWT_ERR_INVALID_ARGUMENT,
                      ajwt_pending_finish(p.get(), AJWT_NONCE_RECORDED, nullptr, nullptr, nullptr));
        EXPECT_EQ(ajwt_pending_nonce_key(p.get(), nullptr), nullptr) << "finished";
    }
    {  // request details: NULL with a length
        Pending p = begin();
        EXPECT_STATUS(AJWT_ERR_INVALID_ARGUMENT,
                      ajwt_pending_verify(p.get(), set.get(), kNow, nullptr, 3, nullptr, 0, nullptr, nullptr));
        EXPECT_OK(verify(p.get())) << "an argument error is not the verify attempt";
    }
}

TEST(CapiPending, FinishOutcomes) {
    Service service(keys().users(), NonceMode::NoStore);
    Keyset set = new_keyset();
    ASSERT_OK(add_user_keys(service.users, "alice", set.get()));
    const std::pair<ajwt_nonce_outcome, ajwt_status> table[] = {
        {AJWT_NONCE_RECORDED, AJWT_OK},
        {AJWT_NONCE_ALREADY_RECORDED, AJWT_ERR_NONCE_REPLAYED},
        {AJWT_NONCE_STORE_FAILED, AJWT_ERR_CALLBACK_FAILED},
        {AJWT_NONCE_USE_VERIFIER_STORE, AJWT_OK},  // no verifier store: nothing to record, as ajwt_authenticate
    };
    int n = 0;
    for (const auto& [outcome, expected] : table) {
        const std::string header = "JWT " + sign(keys().alice.get(), "alice", kNow, "o" + std::to_string(n++));
        ajwt_pending* raw = nullptr;
        ASSERT_OK(ajwt_authenticate_begin(service.auth.get(), header.data(), header.size(), &raw, nullptr));
        Pending p(raw);
        ASSERT_OK(ajwt_pending_verify(p.get(), set.get(), kNow, nullptr, 0, nullptr, 0, nullptr, nullptr));
        ajwt_token* token = nullptr;
        ajwt_key* key = nullptr;
        EXPECT_STATUS(expected, ajwt_pending_finish(p.get(), outcome, &token, &key, nullptr));
        Token token_owner(token);
        Key key_owner(key);
        EXPECT_EQ(token != nullptr, expected == AJWT_OK);
        EXPECT_EQ(key != nullptr, expected == AJWT_OK);
    }
}

TEST(CapiNonceKey, Vectors) {
    const json vectors = json::parse(ajwt_test::read_vector_file("nonce-keys.json"));
    ASSERT_GE(vectors["cases"].size(), 10u);
    for (const json& c : vectors["cases"]) {
        SCOPED_TRACE(c["name"].get<std::string>());
        const std::string username = c["username"], nonce = c["nonce"], expected = c["key"];
        char out[AJWT_NONCE_KEY_SIZE + 1];
        std::memset(out, 'X', sizeof out);
        ASSERT_OK(ajwt_nonce_key(username.data(), username.size(), c["time"].get<int64_t>(), nonce.data(), nonce.size(),
                                 out, sizeof out, nullptr));
        EXPECT_EQ(std::string(out), expected);
        EXPECT_EQ(expected.size(), AJWT_NONCE_KEY_SIZE);
    }
}

TEST(CapiNonceKey, FieldsDoNotRunTogether) {
    char a[AJWT_NONCE_KEY_SIZE + 1], b[AJWT_NONCE_KEY_SIZE + 1];
    ASSERT_OK(ajwt_nonce_key("ab", 2, kNow, "c", 1, a, sizeof a, nullptr));
    ASSERT_OK(ajwt_nonce_key("a", 1, kNow, "bc", 2, b, sizeof b, nullptr));
    EXPECT_STRNE(a, b);
    ASSERT_OK(ajwt_nonce_key("alice", 5, 12, "3", 1, a, sizeof a, nullptr));
    ASSERT_OK(ajwt_nonce_key("alice", 5, 1, "23", 2, b, sizeof b, nullptr));
    EXPECT_STRNE(a, b);
}

TEST(CapiNonceKey, Arguments) {
    EXPECT_EQ(ajwt_nonce_key_size(), static_cast<size_t>(AJWT_NONCE_KEY_SIZE));
    char out[AJWT_NONCE_KEY_SIZE + 1];
    Err err;
    EXPECT_STATUS(AJWT_ERR_INVALID_ARGUMENT, ajwt_nonce_key("a", 1, 0, "n", 1, out, AJWT_NONCE_KEY_SIZE, err.get()));
    EXPECT_NE(err.message().find("AJWT_NONCE_KEY_SIZE + 1"), std::string::npos) << err.message();
    EXPECT_STATUS(AJWT_ERR_INVALID_ARGUMENT, ajwt_nonce_key("a", 1, 0, "n", 1, nullptr, sizeof out, nullptr));
    EXPECT_STATUS(AJWT_ERR_INVALID_ARGUMENT, ajwt_nonce_key(nullptr, 1, 0, "n", 1, out, sizeof out, nullptr));
    EXPECT_STATUS(AJWT_ERR_INVALID_ARGUMENT, ajwt_nonce_key("a", 1, 0, nullptr, 1, out, sizeof out, nullptr));
    EXPECT_OK(ajwt_nonce_key(nullptr, 0, 0, nullptr, 0, out, sizeof out, nullptr)) << "(NULL, 0) is empty";
}

TEST(CapiNonceKey, TtlFollowsTheTolerance) {
    Verifier verifier = new_verifier();
    EXPECT_EQ(ajwt_verifier_nonce_ttl(verifier.get()), 2 * AJWT_DEFAULT_TOLERANCE + 1);
    ASSERT_OK(ajwt_verifier_set_tolerance(verifier.get(), 5, nullptr));
    EXPECT_EQ(ajwt_verifier_nonce_ttl(verifier.get()), 11);
    ASSERT_OK(ajwt_verifier_set_tolerance(verifier.get(), 0, nullptr));
    EXPECT_EQ(ajwt_verifier_nonce_ttl(verifier.get()), 1);
    EXPECT_EQ(ajwt_verifier_nonce_ttl(nullptr), 0);

    // A pending authentication gives its verifier's.
    ASSERT_OK(ajwt_verifier_set_tolerance(verifier.get(), 7, nullptr));
    ajwt_authenticator* a = nullptr;
    ASSERT_OK(ajwt_authenticator_new(verifier.get(), &a, nullptr));
    Auth auth(a);
    const std::string header = "JWT " + sign(keys().alice.get(), "alice", kNow, "n1");
    ajwt_pending* raw = nullptr;
    ASSERT_OK(ajwt_authenticate_begin(a, header.data(), header.size(), &raw, nullptr));
    Pending p(raw);
    Users users = keys().users();
    Keyset set = new_keyset();
    ASSERT_OK(add_user_keys(users, "alice", set.get()));
    ASSERT_OK(ajwt_pending_verify(p.get(), set.get(), kNow, nullptr, 0, nullptr, 0, nullptr, nullptr));
    EXPECT_EQ(ajwt_pending_nonce_ttl(p.get()), 15);
}
