// Replay protection stores: the built-in memory store and the host-callback store.
#include <gtest/gtest.h>

#include <malloc.h>

#include <atomic>
#include <cstdio>
#include <limits>
#include <string>
#include <thread>
#include <vector>

#include "error.hpp"
#include "nonce_store.hpp"
#include "token_test_helpers.hpp"

namespace {

using ajwt_test::status_of;

ajwt_status record(ajwt::NonceStore& store, std::string_view user, int64_t time, std::string_view nonce, int64_t now) {
    return status_of([&] { store.check_and_record(user, time, nonce, now); });
}

TEST(MemoryNonceStore, SecondUseIsReplay) {
    auto store = ajwt::make_memory_nonce_store(40, 100);
    EXPECT_EQ(record(*store, "guido", 1000, "n", 1000), AJWT_OK);
    EXPECT_EQ(record(*store, "guido", 1000, "n", 1000), AJWT_ERR_NONCE_REPLAYED);
    EXPECT_EQ(record(*store, "guido", 1000, "n", 1010), AJWT_ERR_NONCE_REPLAYED);
    // Any different part makes a different triple.
    EXPECT_EQ(record(*store, "guido", 1000, "m", 1000), AJWT_OK);
    EXPECT_EQ(record(*store, "guido", 1001, "n", 1000), AJWT_OK);
    EXPECT_EQ(record(*store, "alice", 1000, "n", 1000), AJWT_OK);
    EXPECT_EQ(store->size(), 4u);
}

TEST(MemoryNonceStore, ReplayIsATokenError) {
    auto store = ajwt::make_memory_nonce_store(40, 100);
    store->check_and_record("u", 1, "n", 1);
    EXPECT_THROW(store->check_and_record("u", 1, "n", 1), ajwt::TokenError);
}

TEST(MemoryNonceStore, PartsCannotCollide) {
    auto store = ajwt::make_memory_nonce_store(40, 100);
    EXPECT_EQ(record(*store, "a:b", 5, "c", 0), AJWT_OK);
    EXPECT_EQ(record(*store, "a", 5, "b:c", 0), AJWT_OK);
    EXPECT_EQ(record(*store, "a:b:", 5, "c", 0), AJWT_OK);
    EXPECT_EQ(record(*store, "ab", 5, "c", 0), AJWT_OK);
    EXPECT_EQ(record(*store, "a", 5, "bc", 0), AJWT_OK);
    EXPECT_EQ(record(*store, std::string("a\0", 2), 5, "c", 0), AJWT_OK);
    EXPECT_EQ(record(*store, "a", 5, std::string("\0c", 2), 0), AJWT_OK);
    // Time bytes could otherwise shift into the nonce: (u, 0x…41, "") vs (u, 0x…, "A").
    EXPECT_EQ(record(*store, "u", 0x41, "x", 0), AJWT_OK);
    EXPECT_EQ(record(*store, "u", 0x4100, "x", 0), AJWT_OK);
    EXPECT_EQ(store->size(), 9u);
    EXPECT_EQ(record(*store, "a", 5, "b:c", 0), AJWT_ERR_NONCE_REPLAYED);
}

TEST(MemoryNonceStore, EntriesExpireAfterTtl) {
    auto store = ajwt::make_memory_nonce_store(40, 100);
    EXPECT_EQ(record(*store, "u", 1000, "n", 1000), AJWT_OK);
    EXPECT_EQ(record(*store, "u", 1000, "n", 1039), AJWT_ERR_NONCE_REPLAYED);
    EXPECT_EQ(record(*store, "u", 1000, "n", 1040), AJWT_OK);  // expired, recorded afresh
    EXPECT_EQ(record(*store, "u", 1000, "n", 1079), AJWT_ERR_NONCE_REPLAYED);
    EXPECT_EQ(record(*store, "u", 1000, "n", 1080), AJWT_OK);
}

TEST(MemoryNonceStore, ZeroTtlMeansTheDefault) {
    auto store = ajwt::make_memory_nonce_store(0, 0);
    EXPECT_EQ(record(*store, "u", 0, "n", 0), AJWT_OK);
    EXPECT_EQ(record(*store, "u", 0, "n", ajwt::kDefaultNonceTtl - 1), AJWT_ERR_NONCE_REPLAYED);
    EXPECT_EQ(record(*store, "u", 0, "n", ajwt::kDefaultNonceTtl), AJWT_OK);
}

TEST(MemoryNonceStore, RejectsBadTtl) {
    EXPECT_EQ(status_of([] { ajwt::make_memory_nonce_store(-1, 10); }), AJWT_ERR_INVALID_ARGUMENT);
    EXPECT_EQ(status_of([] { ajwt::make_memory_nonce_store(std::numeric_limits<int64_t>::max(), 10); }),
              AJWT_ERR_INVALID_ARGUMENT);
}

TEST(MemoryNonceStore, ExpiredEntriesArePurgedIncrementally) {
    auto store = ajwt::make_memory_nonce_store(10, 1000);
    for (int i = 0; i < 100; ++i) ASSERT_EQ(record(*store, "u", 0, "old" + std::to_string(i), 0), AJWT_OK);
    EXPECT_EQ(store->size(), 100u);
    // Each later call purges a bounded batch; within 100 calls all old entries are gone.
    for (int i = 0; i < 100; ++i) ASSERT_EQ(record(*store, "u", 20, "new" + std::to_string(i), 20), AJWT_OK);
    EXPECT_EQ(store->size(), 100u);
}

TEST(MemoryNonceStore, FullStoreFailsClosed) {
    auto store = ajwt::make_memory_nonce_store(40, 3);
    EXPECT_EQ(record(*store, "u", 0, "a", 0), AJWT_OK);
    EXPECT_EQ(record(*store, "u", 0, "b", 0), AJWT_OK);
    EXPECT_EQ(record(*store, "u", 0, "c", 10), AJWT_OK);
    EXPECT_EQ(record(*store, "u", 0, "d", 20), AJWT_ERR_NONCE_STORE_FULL);
    EXPECT_EQ(store->size(), 3u);
    // A replay is still a replay (not masked as "full"), and the refused nonce was not recorded.
    EXPECT_EQ(record(*store, "u", 0, "a", 20), AJWT_ERR_NONCE_REPLAYED);
    EXPECT_EQ(record(*store, "u", 0, "d", 39), AJWT_ERR_NONCE_STORE_FULL);
    // Once "a" and "b" expire there is room again; "c" (recorded at 10) is still live.
    EXPECT_EQ(record(*store, "u", 0, "d", 40), AJWT_OK);
    EXPECT_EQ(record(*store, "u", 0, "e", 40), AJWT_OK);
    EXPECT_EQ(record(*store, "u", 0, "f", 40), AJWT_ERR_NONCE_STORE_FULL);
    EXPECT_EQ(record(*store, "u", 0, "c", 40), AJWT_ERR_NONCE_REPLAYED);
}

TEST(MemoryNonceStore, FullStoreErrorType) {
    auto store = ajwt::make_memory_nonce_store(40, 1);
    store->check_and_record("u", 0, "a", 0);
    try {
        store->check_and_record("u", 0, "b", 0);
        FAIL() << "no exception";
    } catch (const ajwt::TokenError&) {
        FAIL() << "a full store is not the token's fault";
    } catch (const ajwt::Error& e) {
        EXPECT_EQ(e.status(), AJWT_ERR_NONCE_STORE_FULL);
    }
}

TEST(MemoryNonceStore, ClockGoingBackwardsOrToExtremes) {
    auto store = ajwt::make_memory_nonce_store(40, 100);
    EXPECT_EQ(record(*store, "u", 0, "a", 1000), AJWT_OK);
    EXPECT_EQ(record(*store, "u", 0, "b", 900), AJWT_OK);  // another thread's older clock
    EXPECT_EQ(record(*store, "u", 0, "b", 939), AJWT_ERR_NONCE_REPLAYED);
    EXPECT_EQ(record(*store, "u", 0, "a", 1039), AJWT_ERR_NONCE_REPLAYED);
    EXPECT_EQ(record(*store, "u", 0, "a", 1040), AJWT_OK);
    const auto max = std::numeric_limits<int64_t>::max(), min = std::numeric_limits<int64_t>::min();
    EXPECT_EQ(record(*store, "u", 0, "x", max), AJWT_OK);
    EXPECT_EQ(record(*store, "u", 0, "x", max), AJWT_ERR_NONCE_REPLAYED);
    EXPECT_EQ(record(*store, "u", 0, "y", min), AJWT_OK);
    EXPECT_EQ(record(*store, "u", 0, "y", min), AJWT_ERR_NONCE_REPLAYED);
}

TEST(MemoryNonceStore, ConcurrentRecordersAgree) {
    constexpr int kThreads = 8, kNonces = 2000;
    auto store = ajwt::make_memory_nonce_store(40, 100000);
    std::atomic<int> wins{0}, replays{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t) {
        threads.emplace_back([&] {
            for (int i = 0; i < kNonces; ++i) {
                const ajwt_status status = record(*store, "u", 1, std::to_string(i), 1);
                (status == AJWT_OK ? wins : replays)++;
            }
        });
    }
    for (auto& thread : threads) thread.join();
    EXPECT_EQ(wins.load(), kNonces);
    EXPECT_EQ(replays.load(), kNonces * (kThreads - 1));
    EXPECT_EQ(store->size(), static_cast<size_t>(kNonces));
}

TEST(MemoryNonceStore, InputsUpToTheClaimCapAreTaken) {
    auto store = ajwt::make_memory_nonce_store(40, 100);
    const std::string longest(ajwt::kMaxNonceStoreInput, 'x'), too_long(ajwt::kMaxNonceStoreInput + 1, 'x');
    EXPECT_EQ(record(*store, longest, 0, longest, 0), AJWT_OK);
    EXPECT_EQ(record(*store, longest, 0, longest, 0), AJWT_ERR_NONCE_REPLAYED);
    EXPECT_EQ(record(*store, "u", 0, too_long, 0), AJWT_ERR_TOKEN_CLAIMS);
    EXPECT_EQ(record(*store, too_long, 0, "n", 0), AJWT_ERR_TOKEN_CLAIMS);
    EXPECT_EQ(store->size(), 1u);
}

// Digests of long inputs that differ only at the end stay apart.
TEST(MemoryNonceStore, LongInputsDifferingInTheLastByteAreDistinct) {
    auto store = ajwt::make_memory_nonce_store(40, 100);
    std::string user(1024, 'u'), nonce(1024, 'n');
    EXPECT_EQ(record(*store, user, 0, nonce, 0), AJWT_OK);
    nonce.back() = 'm';
    EXPECT_EQ(record(*store, user, 0, nonce, 0), AJWT_OK);
    user.back() = 'v';
    EXPECT_EQ(record(*store, user, 0, nonce, 0), AJWT_OK);
    EXPECT_EQ(store->size(), 3u);
}

TEST(MemoryNonceStore, PerUserCapLeavesRoomForOthers) {
    auto store = ajwt::make_memory_nonce_store(40, 10, 3);
    for (int i = 0; i < 3; ++i) ASSERT_EQ(record(*store, "mallory", 0, "m" + std::to_string(i), 0), AJWT_OK);
    EXPECT_EQ(record(*store, "mallory", 0, "m3", 0), AJWT_ERR_NONCE_STORE_FULL);
    EXPECT_EQ(record(*store, "mallory", 0, "m0", 0), AJWT_ERR_NONCE_REPLAYED);  // a replay stays a replay
    EXPECT_EQ(record(*store, "alice", 0, "a0", 0), AJWT_OK);
    EXPECT_EQ(record(*store, "bob", 0, "b0", 0), AJWT_OK);
    EXPECT_EQ(store->size(), 5u);
    // Once mallory's entries expire, mallory has room again.
    EXPECT_EQ(record(*store, "mallory", 0, "m3", 39), AJWT_ERR_NONCE_STORE_FULL);
    EXPECT_EQ(record(*store, "mallory", 0, "m3", 40), AJWT_OK);
}

TEST(MemoryNonceStore, PerUserCapRefusalIsNotTheTokensFault) {
    auto store = ajwt::make_memory_nonce_store(40, 10, 1);
    store->check_and_record("u", 0, "a", 0);
    try {
        store->check_and_record("u", 0, "b", 0);
        FAIL() << "no exception";
    } catch (const ajwt::TokenError&) {
        FAIL() << "a full share is not the token's fault";
    } catch (const ajwt::Error& e) {
        EXPECT_EQ(e.status(), AJWT_ERR_NONCE_STORE_FULL);
        EXPECT_NE(std::string(e.what()).find("share"), std::string::npos) << e.what();
    }
}

TEST(MemoryNonceStore, GlobalCapStillAppliesUnderPerUserCap) {
    auto store = ajwt::make_memory_nonce_store(40, 4, 2);
    EXPECT_EQ(record(*store, "a", 0, "1", 0), AJWT_OK);
    EXPECT_EQ(record(*store, "a", 0, "2", 0), AJWT_OK);
    EXPECT_EQ(record(*store, "b", 0, "1", 0), AJWT_OK);
    EXPECT_EQ(record(*store, "b", 0, "2", 0), AJWT_OK);
    EXPECT_EQ(record(*store, "c", 0, "1", 0), AJWT_ERR_NONCE_STORE_FULL);
}

TEST(MemoryNonceStore, PerUserCapBounds) {
    EXPECT_EQ(status_of([] { ajwt::make_memory_nonce_store(40, 10, 11); }), AJWT_ERR_INVALID_ARGUMENT);
    EXPECT_EQ(status_of([] { ajwt::make_memory_nonce_store(40, 0, ajwt::kDefaultNonceCapacity + 1); }),
              AJWT_ERR_INVALID_ARGUMENT);
    EXPECT_EQ(status_of([] { ajwt::make_memory_nonce_store(40, 10, 10); }), AJWT_OK);
    // 0 = no cap of its own: one user may fill the whole store, as before.
    auto store = ajwt::make_memory_nonce_store(40, 5, 0);
    for (int i = 0; i < 5; ++i) EXPECT_EQ(record(*store, "u", 0, std::to_string(i), 0), AJWT_OK);
    EXPECT_EQ(record(*store, "u", 0, "5", 0), AJWT_ERR_NONCE_STORE_FULL);
}

TEST(MemoryNonceStore, ConcurrentFloodKeepsToItsShare) {
    constexpr int kThreads = 4, kPerThread = 3000;
    constexpr size_t kShare = 1000;
    auto store = ajwt::make_memory_nonce_store(40, 10 * kShare, kShare);
    std::atomic<int> flood_ok{0}, flood_full{0}, others_ok{0}, others_failed{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t) {
        threads.emplace_back([&, t] {
            for (int i = 0; i < kPerThread; ++i) {
                const std::string nonce = std::to_string(t) + "-" + std::to_string(i);
                const ajwt_status flood = record(*store, "flood", 1, nonce, 1);
                (flood == AJWT_OK ? flood_ok : flood == AJWT_ERR_NONCE_STORE_FULL ? flood_full : others_failed)++;
                if (i % 10 == 0) {  // another user's traffic, interleaved
                    const ajwt_status other = record(*store, "user" + std::to_string(t), 1, nonce, 1);
                    (other == AJWT_OK ? others_ok : others_failed)++;
                }
            }
        });
    }
    for (auto& thread : threads) thread.join();
    EXPECT_EQ(flood_ok.load(), static_cast<int>(kShare));
    EXPECT_EQ(flood_full.load(), kThreads * kPerThread - static_cast<int>(kShare));
    EXPECT_EQ(others_ok.load(), kThreads * kPerThread / 10);
    EXPECT_EQ(others_failed.load(), 0);
    EXPECT_EQ(store->size(), kShare + static_cast<size_t>(others_ok.load()));
}

// Memory per live entry, with the longest username and nonce the parser lets through.
// Measured from the allocator's own count of bytes in use (glibc mallinfo2).
TEST(MemoryNonceStore, MemoryPerEntry) {
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
    GTEST_SKIP() << "sanitizer allocators do not report through mallinfo2";
#else
    constexpr size_t kEntries = 200000;
    const std::string user(ajwt::kMaxNonceStoreInput, 'u');
    std::string nonce(ajwt::kMaxNonceStoreInput, 'n');
    // uordblks: bytes in use from the heap; hblkhd: large blocks (bucket array, heap vector) mmapped.
    const auto in_use = [] {
        const struct mallinfo2 info = mallinfo2();
        return info.uordblks + info.hblkhd;
    };
    const size_t before = in_use();
    {
        auto store = ajwt::make_memory_nonce_store(40, kEntries);
        for (size_t i = 0; i < kEntries; ++i) {
            const std::string suffix = std::to_string(i);
            nonce.replace(nonce.size() - suffix.size(), suffix.size(), suffix);
            ASSERT_EQ(record(*store, user, 0, nonce, 0), AJWT_OK);
        }
        const size_t after = in_use();
        const double per_entry = static_cast<double>(after - before) / kEntries;
        std::printf("memory nonce store: %.1f bytes per live entry (%zu entries, 1 KiB username and nonce)\n",
                    per_entry, kEntries);
        // A stored copy of the triple alone would take over 2 KiB per entry.
        EXPECT_LT(per_entry, 160.0);
    }
    // With a per-user cap, each user holding entries is counted too: the worst case is one
    // entry per user.
    const size_t before_users = in_use();
    {
        auto store = ajwt::make_memory_nonce_store(40, kEntries, 10);
        std::string each_user = user;
        for (size_t i = 0; i < kEntries; ++i) {
            const std::string suffix = std::to_string(i);
            each_user.replace(each_user.size() - suffix.size(), suffix.size(), suffix);
            ASSERT_EQ(record(*store, each_user, 0, nonce, 0), AJWT_OK);
        }
        const double per_entry = static_cast<double>(in_use() - before_users) / kEntries;
        std::printf("memory nonce store with a per-user cap: %.1f bytes per live entry, one user each\n", per_entry);
        EXPECT_LT(per_entry, 240.0);
    }
#endif
}

TEST(CallbackNonceStore, MapsStatuses) {
    ajwt_status answer = AJWT_OK;
    std::string seen_user, seen_nonce;
    int64_t seen_time = 0;
    int calls = 0;
    auto store = ajwt::make_callback_nonce_store([&](std::string_view user, int64_t time, std::string_view nonce) {
        ++calls;
        seen_user = user;
        seen_time = time;
        seen_nonce = nonce;
        return answer;
    });
    EXPECT_EQ(record(*store, "guido", 1439216312, std::string("n\0x", 3), 5), AJWT_OK);
    EXPECT_EQ(seen_user, "guido");
    EXPECT_EQ(seen_time, 1439216312);
    EXPECT_EQ(seen_nonce, std::string("n\0x", 3));
    answer = AJWT_ERR_NONCE_REPLAYED;
    EXPECT_THROW(store->check_and_record("u", 1, "n", 1), ajwt::TokenError);
    EXPECT_EQ(record(*store, "u", 1, "n", 1), AJWT_ERR_NONCE_REPLAYED);
    for (ajwt_status failure : {AJWT_ERR_INTERNAL, AJWT_ERR_OUT_OF_MEMORY, AJWT_ERR_NONCE_STORE_FULL,
                                AJWT_ERR_BAD_SIGNATURE, static_cast<ajwt_status>(60)}) {
        answer = failure;
        try {
            store->check_and_record("u", 1, "n", 1);
            ADD_FAILURE() << "no exception for " << failure;
        } catch (const ajwt::CallbackError& e) {
            EXPECT_EQ(e.status(), AJWT_ERR_CALLBACK_FAILED);
            EXPECT_NE(std::string(e.what()).find(std::to_string(static_cast<int>(failure))), std::string::npos)
                << e.what();
        }
    }
    EXPECT_EQ(calls, 8);
    EXPECT_EQ(store->size(), 0u);
}

TEST(CallbackNonceStore, ExceptionsFromTheCallbackPropagate) {
    auto store = ajwt::make_callback_nonce_store([](std::string_view, int64_t, std::string_view) -> ajwt_status {
        throw ajwt::CallbackError(AJWT_ERR_CALLBACK_FAILED, "redis down");
    });
    EXPECT_EQ(record(*store, "u", 1, "n", 1), AJWT_ERR_CALLBACK_FAILED);
}

TEST(CallbackNonceStore, NeedsACallback) {
    EXPECT_EQ(status_of([] { ajwt::make_callback_nonce_store(nullptr); }), AJWT_ERR_INVALID_ARGUMENT);
}

}  // namespace
