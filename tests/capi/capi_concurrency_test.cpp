// Concurrency: replay protection under simultaneous presentation, and shared keys/verifiers.
#include <atomic>
#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "capi_support.hpp"

using namespace capi_test;

namespace {

constexpr int kThreads = 16;
constexpr int kRounds = 200;

// Releases all waiting threads at once, reusable round after round.
class Barrier {
public:
    explicit Barrier(int count) : count_(count) {}
    void arrive_and_wait() {
        std::unique_lock<std::mutex> lock(mutex_);
        int generation = generation_;
        if (++waiting_ == count_) {
            waiting_ = 0;
            ++generation_;
            cv_.notify_all();
            return;
        }
        cv_.wait(lock, [&] { return generation != generation_; });
    }

private:
    std::mutex mutex_;
    std::condition_variable cv_;
    const int count_;
    int waiting_ = 0;
    int generation_ = 0;
};

}  // namespace

TEST(CapiConcurrency, OneTokenSixteenThreadsExactlyOneWins) {
    Key key = generate(AJWT_KEY_ED25519);
    Key pub = public_of(key.get());
    Keyset keys = new_keyset();
    ASSERT_OK(ajwt_keyset_add(keys.get(), pub.get(), nullptr));
    Verifier verifier = new_verifier();
    Store store = new_memory_store();
    ASSERT_OK(ajwt_verifier_set_nonce_store(verifier.get(), store.get(), nullptr));

    const int64_t now = ajwt_now();
    std::vector<std::string> tokens;
    for (int round = 0; round < kRounds; ++round)
        tokens.push_back(sign(key.get(), "guido", now, "nonce-" + std::to_string(round)));

    // statuses[round][thread]
    std::vector<std::vector<ajwt_status>> statuses(kRounds, std::vector<ajwt_status>(kThreads, AJWT_ERR_INTERNAL));
    Barrier barrier(kThreads);
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t) {
        threads.emplace_back([&, t] {
            for (int round = 0; round < kRounds; ++round) {
                const std::string& token = tokens[round];
                barrier.arrive_and_wait();
                ajwt_token* parsed = nullptr;
                ajwt_error err{};
                ajwt_status status = ajwt_verifier_parse(verifier.get(), token.data(), token.size(), &parsed, &err);
                if (status == AJWT_OK)
                    status = ajwt_verify_keyset(verifier.get(), parsed, keys.get(), now, nullptr, &err);
                ajwt_token_free(parsed);
                statuses[round][t] = status;
            }
        });
    }
    for (auto& thread : threads) thread.join();

    for (int round = 0; round < kRounds; ++round) {
        int ok = 0, replayed = 0, other = 0;
        for (ajwt_status status : statuses[round]) {
            if (status == AJWT_OK)
                ++ok;
            else if (status == AJWT_ERR_NONCE_REPLAYED)
                ++replayed;
            else
                ++other;
        }
        ASSERT_EQ(ok, 1) << "round " << round;
        ASSERT_EQ(replayed, kThreads - 1) << "round " << round;
        ASSERT_EQ(other, 0) << "round " << round;
    }
    EXPECT_EQ(ajwt_nonce_store_size(store.get()), static_cast<size_t>(kRounds));
}

TEST(CapiConcurrency, AuthenticatorUnderConcurrentReplay) {
    struct Repo {
        std::string pem;
        static ajwt_status keys(void* self, const char*, size_t, const char*, size_t, ajwt_keyset* out) {
            const std::string& pem = static_cast<Repo*>(self)->pem;
            return ajwt_keyset_add_text(out, pem.data(), pem.size(), AJWT_FORMAT_PEM, nullptr);
        }
    };
    Key key = generate(AJWT_KEY_EC_P256);
    Repo repo{export_key(key.get(), AJWT_EXPORT_PUBLIC_PEM)};
    Verifier verifier = new_verifier();
    Store store = new_memory_store();
    ASSERT_OK(ajwt_verifier_set_nonce_store(verifier.get(), store.get(), nullptr));
    ajwt_authenticator* a = nullptr;
    ASSERT_OK(ajwt_authenticator_new(verifier.get(), &a, nullptr));
    Auth auth(a);
    ASSERT_OK(ajwt_authenticator_set_user_keys(a, &Repo::keys, &repo, nullptr));

    const int64_t now = 1700000000;
    constexpr int kAuthRounds = 50;
    std::vector<std::string> headers;
    for (int round = 0; round < kAuthRounds; ++round)
        headers.push_back("JWT " + sign(key.get(), "svc", now, std::to_string(round)));
    std::vector<std::atomic<int>> ok(kAuthRounds), replayed(kAuthRounds);
    Barrier barrier(kThreads);
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t) {
        threads.emplace_back([&] {
            for (int round = 0; round < kAuthRounds; ++round) {
                barrier.arrive_and_wait();
                const std::string& header = headers[round];
                ajwt_status status = ajwt_authenticate(a, header.data(), header.size(), now, nullptr, nullptr, nullptr);
                if (status == AJWT_OK) ++ok[round];
                if (status == AJWT_ERR_NONCE_REPLAYED) ++replayed[round];
            }
        });
    }
    for (auto& thread : threads) thread.join();
    for (int round = 0; round < kAuthRounds; ++round) {
        EXPECT_EQ(ok[round].load(), 1) << round;
        EXPECT_EQ(replayed[round].load(), kThreads - 1) << round;
    }
}

TEST(CapiConcurrency, SharedKeysAndVerifiers) {
    // One private key, one verifier, one key set, one store: many threads sign and verify at once.
    Key rsa = compat_rsa_private();
    Key ed = generate(AJWT_KEY_ED25519);
    Key p256 = generate(AJWT_KEY_EC_P256);
    Keyset keys = new_keyset();
    for (const Key* key : {&rsa, &ed, &p256})
        ASSERT_OK(ajwt_keyset_add(keys.get(), public_of(key->get()).get(), nullptr));
    Verifier verifier = new_verifier();
    Store store = new_memory_store();
    ASSERT_OK(ajwt_verifier_set_nonce_store(verifier.get(), store.get(), nullptr));
    const int64_t now = ajwt_now();

    constexpr int kPerThread = 30;
    std::atomic<int> failures{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < 8; ++t) {
        threads.emplace_back([&, t] {
            const ajwt_key* signers[] = {rsa.get(), ed.get(), p256.get()};
            for (int i = 0; i < kPerThread; ++i) {
                const ajwt_key* signer = signers[(t + i) % 3];
                std::string nonce = std::to_string(t) + "-" + std::to_string(i);
                char* token = nullptr;
                size_t len = 0;
                if (ajwt_sign(signer, "svc", 3, now, nonce.data(), nonce.size(), AJWT_ALG_UNKNOWN, &token, &len,
                              nullptr) != AJWT_OK) {
                    ++failures;
                    continue;
                }
                ajwt_token* parsed = nullptr;
                const ajwt_key* used = nullptr;
                ajwt_status status = ajwt_verifier_parse(verifier.get(), token, len, &parsed, nullptr);
                if (status == AJWT_OK)
                    status = ajwt_verify_keyset(verifier.get(), parsed, keys.get(), now, &used, nullptr);
                if (status != AJWT_OK || ajwt_key_equal(used, signer) != 1) ++failures;
                // The same token again is a replay.
                if (ajwt_verify_keyset(verifier.get(), parsed, keys.get(), now, nullptr, nullptr) !=
                    AJWT_ERR_NONCE_REPLAYED)
                    ++failures;
                ajwt_token_free(parsed);
                ajwt_free(token);
            }
        });
    }
    for (auto& thread : threads) thread.join();
    EXPECT_EQ(failures.load(), 0);
    EXPECT_EQ(ajwt_nonce_store_size(store.get()), 8u * kPerThread);
}

// One client floods from many threads while others keep working: the flood gets exactly its
// share, every other user's nonce is recorded.
TEST(CapiConcurrency, PerUserCapHoldsUnderAFlood) {
    constexpr size_t kShare = 500;
    constexpr int kFlooders = 6, kPerFlooder = 400, kHonest = 2, kPerHonest = 300;
    ajwt_nonce_store* raw = nullptr;
    ASSERT_OK(ajwt_nonce_store_new_memory_with_user_cap(0, 10 * kShare, kShare, &raw, nullptr));
    Store store(raw);
    const int64_t now = ajwt_now();
    std::atomic<int> flood_ok{0}, flood_full{0}, honest_ok{0}, unexpected{0};
    Barrier start(kFlooders + kHonest);
    std::vector<std::thread> threads;
    for (int t = 0; t < kFlooders + kHonest; ++t) {
        threads.emplace_back([&, t] {
            const bool flooder = t < kFlooders;
            const std::string user = flooder ? "mallory" : "honest" + std::to_string(t);
            start.arrive_and_wait();
            for (int i = 0; i < (flooder ? kPerFlooder : kPerHonest); ++i) {
                const std::string nonce = std::to_string(t) + "-" + std::to_string(i);
                const ajwt_status status = ajwt_nonce_store_check_and_record(store.get(), user.data(), user.size(), now,
                                                                             nonce.data(), nonce.size(), now, nullptr);
                if (flooder && status == AJWT_OK)
                    ++flood_ok;
                else if (flooder && status == AJWT_ERR_NONCE_STORE_FULL)
                    ++flood_full;
                else if (!flooder && status == AJWT_OK)
                    ++honest_ok;
                else
                    ++unexpected;
            }
        });
    }
    for (auto& thread : threads) thread.join();
    EXPECT_EQ(unexpected.load(), 0);
    EXPECT_EQ(flood_ok.load(), static_cast<int>(kShare));
    EXPECT_EQ(flood_full.load(), kFlooders * kPerFlooder - static_cast<int>(kShare));
    EXPECT_EQ(honest_ok.load(), kHonest * kPerHonest);
    EXPECT_EQ(ajwt_nonce_store_size(store.get()), kShare + kHonest * kPerHonest);
}

TEST(CapiConcurrency, CachedKeyLoadsFromManyThreads) {
    const std::string text = compat()["public_keys"]["rsa_pem"]["text"];
    const std::string expected = compat()["public_keys"]["rsa_pem"]["fingerprint"];
    std::atomic<int> failures{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < 8; ++t) {
        threads.emplace_back([&] {
            for (int i = 0; i < 200; ++i) {
                ajwt_key* key = nullptr;
                if (ajwt_key_load_public(text.data(), text.size(), AJWT_FORMAT_ANY, &key, nullptr) != AJWT_OK) {
                    ++failures;
                    continue;
                }
                char fp[AJWT_FINGERPRINT_SIZE];
                if (ajwt_key_fingerprint(key, fp, nullptr) != AJWT_OK || expected != fp) ++failures;
                ajwt_key_free(key);
            }
        });
    }
    for (auto& thread : threads) thread.join();
    EXPECT_EQ(failures.load(), 0);
}
