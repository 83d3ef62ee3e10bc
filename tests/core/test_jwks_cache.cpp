// The JWKS cache's policy with a fake clock (the `now` argument) and a fake endpoint.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <sys/wait.h>
#include <unistd.h>

#include "error.hpp"
#include "jwks_cache.hpp"
#include "key_io.hpp"
#include "keyset.hpp"
#include "status_of.hpp"

using ajwt::HttpResponse;
using ajwt::JwksAction;
using ajwt::JwksCache;
using ajwt::KeyPtr;
using ajwt::KeySet;
using ajwt_test::status_of;

namespace {

const std::string kUrl = "https://issuer.example/.well-known/jwks.json";
constexpr int64_t kT0 = 1'700'000'000;

KeyPtr new_key() {
    KeyPtr key = ajwt::generate_key(AJWT_KEY_ED25519, 0, 0);
    return key->public_key(key);
}

std::string jwks_of(const std::vector<KeyPtr>& keys) {
    KeySet set;
    for (const KeyPtr& key : keys) set.add(key);
    return set.to_jwks();
}

HttpResponse response(int status, const std::string& body) {
    HttpResponse r(body.size() + 1);
    if (status == 0) {
        r.fail("connection refused");
        return r;
    }
    r.set_status(status);
    r.append(body);
    return r;
}

// A fake endpoint: serves `body` with `status` (0 = transport failure) and counts GETs.
struct Endpoint {
    std::mutex mutex;
    int status = 200;
    std::string body;
    int gets = 0;

    ajwt::HttpGet get() {
        return [this](const std::string&, uint32_t, size_t, HttpResponse& out) {
            std::lock_guard<std::mutex> lock(mutex);
            ++gets;
            if (status == 0) throw ajwt::Error(AJWT_ERR_CALLBACK_FAILED, "connection refused");
            out.set_status(status);
            out.append(body);
        };
    }
    void serve(int new_status, std::string new_body) {
        std::lock_guard<std::mutex> lock(mutex);
        status = new_status;
        body = std::move(new_body);
    }
    int count() {
        std::lock_guard<std::mutex> lock(mutex);
        return gets;
    }
};

struct Lookup {
    JwksAction action;
    KeySet keys;
};

Lookup lookup(JwksCache& cache, const KeyPtr& key, int64_t now, const std::string& url = kUrl) {
    Lookup result{JwksAction::none, KeySet()};
    result.action = cache.lookup(url, std::string_view(key->kid()), now, result.keys);
    return result;
}

bool holds(const KeySet& set, const KeyPtr& key) { return set.find(key->kid()) != nullptr; }

class JwksCacheTest : public ::testing::Test {
protected:
    void SetUp() override {
        cache.update_policy([](ajwt::JwksPolicy& p) {
            p.ttl = 300;
            p.max_age = 3600;
            p.refresh_cooldown = 30;
        });
    }
    JwksCache cache;
    KeyPtr a = new_key();
    KeyPtr b = new_key();
};

}  // namespace

TEST_F(JwksCacheTest, NothingCachedAsksToFetchNowThenServesTheStoredSet) {
    Lookup first = lookup(cache, a, kT0);
    EXPECT_EQ(first.action, JwksAction::fetch_now);
    EXPECT_TRUE(first.keys.keys().empty());
    cache.store(kUrl, response(200, jwks_of({a, b})), kT0);
    Lookup second = lookup(cache, a, kT0);
    EXPECT_EQ(second.action, JwksAction::none);
    ASSERT_EQ(second.keys.keys().size(), 1u);  // only the kid's member
    EXPECT_TRUE(holds(second.keys, a));
}

TEST_F(JwksCacheTest, NoKidServesEveryMemberAndAsksNoRefresh) {
    cache.store(kUrl, response(200, jwks_of({a, b})), kT0);
    KeySet out;
    EXPECT_EQ(cache.lookup(kUrl, std::nullopt, kT0 + 1, out), JwksAction::none);
    EXPECT_EQ(out.keys().size(), 2u);
}

TEST_F(JwksCacheTest, FreshHitDoesNotFetch) {
    Endpoint endpoint;
    endpoint.serve(200, jwks_of({a}));
    cache.set_http_get(endpoint.get());
    KeySet first;
    cache.keys(kUrl, std::string_view(a->kid()), kT0, first);
    EXPECT_TRUE(holds(first, a));
    KeySet again;
    cache.keys(kUrl, std::string_view(a->kid()), kT0 + 299, again);
    EXPECT_TRUE(holds(again, a));
    EXPECT_EQ(endpoint.count(), 1);
}

TEST_F(JwksCacheTest, StaleSetIsServedWhileOneRefreshIsAskedFor) {
    cache.store(kUrl, response(200, jwks_of({a})), kT0);
    Lookup stale = lookup(cache, a, kT0 + 300);
    EXPECT_EQ(stale.action, JwksAction::refresh);
    EXPECT_TRUE(holds(stale.keys, a));
    // In flight: the next callers are served and ask for nothing
    Lookup meanwhile = lookup(cache, a, kT0 + 301);
    EXPECT_EQ(meanwhile.action, JwksAction::none);
    EXPECT_TRUE(holds(meanwhile.keys, a));
    cache.store(kUrl, response(200, jwks_of({b})), kT0 + 301);
    EXPECT_TRUE(holds(lookup(cache, b, kT0 + 302).keys, b));
    EXPECT_FALSE(holds(lookup(cache, a, kT0 + 302).keys, a));  // rotated out
}

TEST_F(JwksCacheTest, FailedFetchesKeepTheSetUntilMaxAgeThenRefuseIt) {
    cache.store(kUrl, response(200, jwks_of({a})), kT0);
    ASSERT_EQ(lookup(cache, a, kT0 + 300).action, JwksAction::refresh);
    EXPECT_EQ(status_of([&] { cache.store(kUrl, response(503, jwks_of({b})), kT0 + 300); }), AJWT_ERR_JWKS_FETCH);
    // Within the cooldown after the failure: no new fetch, still served
    Lookup cooling = lookup(cache, a, kT0 + 329);
    EXPECT_EQ(cooling.action, JwksAction::none);
    EXPECT_TRUE(holds(cooling.keys, a));
    ASSERT_EQ(lookup(cache, a, kT0 + 330).action, JwksAction::refresh);
    EXPECT_EQ(status_of([&] { cache.store(kUrl, response(0, ""), kT0 + 330); }), AJWT_ERR_JWKS_FETCH);
    Lookup last = lookup(cache, a, kT0 + 3599);
    EXPECT_EQ(last.action, JwksAction::refresh);
    EXPECT_TRUE(holds(last.keys, a));
    EXPECT_EQ(status_of([&] { cache.store(kUrl, response(500, ""), kT0 + 3599); }), AJWT_ERR_JWKS_FETCH);
    // max_age after it was fetched, the set is no longer trusted
    Lookup refused = lookup(cache, a, kT0 + 3600);
    EXPECT_EQ(refused.action, JwksAction::none);  // cooling down
    EXPECT_TRUE(refused.keys.keys().empty());
    // Cooled down: nothing usable, so fetch before deciding
    Lookup expired = lookup(cache, a, kT0 + 3629);
    EXPECT_EQ(expired.action, JwksAction::fetch_now);
    EXPECT_TRUE(expired.keys.keys().empty());
    cache.store(kUrl, response(200, jwks_of({a})), kT0 + 3629);
    EXPECT_TRUE(holds(lookup(cache, a, kT0 + 3630).keys, a));
}

TEST_F(JwksCacheTest, FirstFetchFailingIsRetriedOncePerCooldown) {
    ASSERT_EQ(lookup(cache, a, kT0).action, JwksAction::fetch_now);
    EXPECT_EQ(status_of([&] { cache.store(kUrl, response(0, ""), kT0); }), AJWT_ERR_JWKS_FETCH);
    EXPECT_EQ(lookup(cache, a, kT0 + 29).action, JwksAction::none);
    EXPECT_EQ(lookup(cache, a, kT0 + 30).action, JwksAction::fetch_now);
}

TEST_F(JwksCacheTest, UnknownKidRefetchesAtMostOncePerCooldown) {
    cache.store(kUrl, response(200, jwks_of({a})), kT0);
    // Just fetched: an unknown kid waits for the cooldown
    Lookup early = lookup(cache, b, kT0 + 10);
    EXPECT_EQ(early.action, JwksAction::none);
    EXPECT_TRUE(early.keys.keys().empty());
    EXPECT_EQ(lookup(cache, b, kT0 + 30).action, JwksAction::refresh);
    cache.store(kUrl, response(200, jwks_of({a})), kT0 + 31);  // still no b
    for (int64_t t = kT0 + 31; t < kT0 + 61; ++t) EXPECT_EQ(lookup(cache, b, t).action, JwksAction::none) << t;
    EXPECT_EQ(lookup(cache, b, kT0 + 61).action, JwksAction::refresh);
}

TEST_F(JwksCacheTest, UnknownKidThroughTheSyncPathFetchesOncePerCooldown) {
    Endpoint endpoint;
    endpoint.serve(200, jwks_of({a}));
    cache.set_http_get(endpoint.get());
    cache.set_refresh_mode(ajwt::JwksRefreshMode::inline_fetch);
    KeySet out;
    cache.keys(kUrl, std::string_view(a->kid()), kT0, out);
    for (int64_t t = kT0 + 30; t < kT0 + 60; ++t) {
        KeySet none;
        cache.keys(kUrl, std::string_view(b->kid()), t, none);
        EXPECT_TRUE(none.keys().empty());
    }
    EXPECT_EQ(endpoint.count(), 2);
    endpoint.serve(200, jwks_of({a, b}));
    KeySet found;
    cache.keys(kUrl, std::string_view(b->kid()), kT0 + 60, found);  // inline: fetched before answering
    EXPECT_TRUE(holds(found, b));
    EXPECT_EQ(endpoint.count(), 3);
}

TEST_F(JwksCacheTest, OversizeBodyIsRefusedAndKeepsTheCachedSet) {
    cache.store(kUrl, response(200, jwks_of({a})), kT0);
    const std::string big = jwks_of({b});
    cache.update_policy([&](ajwt::JwksPolicy& p) { p.max_body_size = big.size() - 1; });
    ASSERT_EQ(lookup(cache, b, kT0 + 30).action, JwksAction::refresh);
    EXPECT_EQ(status_of([&] { cache.store(kUrl, response(200, big), kT0 + 30); }), AJWT_ERR_JWKS_PARSE);
    EXPECT_FALSE(holds(lookup(cache, b, kT0 + 31).keys, b));
    EXPECT_TRUE(holds(lookup(cache, a, kT0 + 31).keys, a));
}

TEST_F(JwksCacheTest, OversizeBodyThroughTheHostGetStopsAtTheCap) {
    Endpoint endpoint;
    const std::string body = jwks_of({a});
    endpoint.serve(200, body);
    cache.update_policy([&](ajwt::JwksPolicy& p) { p.max_body_size = body.size() - 1; });
    size_t cap_seen = 0;
    cache.set_http_get([&](const std::string& url, uint32_t timeout, size_t cap, HttpResponse& out) {
        cap_seen = cap;
        EXPECT_EQ(status_of([&] { endpoint.get()(url, timeout, cap, out); }), AJWT_ERR_JWKS_PARSE);
    });
    KeySet out;
    EXPECT_EQ(status_of([&] { cache.keys(kUrl, std::string_view(a->kid()), kT0, out); }), AJWT_ERR_JWKS_PARSE);
    EXPECT_EQ(cap_seen, body.size() - 1);
    EXPECT_TRUE(out.keys().empty());
}

TEST_F(JwksCacheTest, Non200AndMalformedBodiesAreFailures) {
    EXPECT_EQ(status_of([&] { cache.store(kUrl, response(404, jwks_of({a})), kT0); }), AJWT_ERR_JWKS_FETCH);
    EXPECT_EQ(status_of([&] { cache.store(kUrl, response(302, ""), kT0); }), AJWT_ERR_JWKS_FETCH);
    EXPECT_EQ(status_of([&] { cache.store(kUrl, response(200, "{\"keys\": [}"), kT0); }), AJWT_ERR_JWKS_PARSE);
    EXPECT_EQ(status_of([&] { cache.store(kUrl, response(200, "[]"), kT0); }), AJWT_ERR_JWKS_PARSE);
    EXPECT_TRUE(lookup(cache, a, kT0).keys.keys().empty());
    cache.store(kUrl, response(200, jwks_of({a})), kT0);
    EXPECT_EQ(status_of([&] { cache.store(kUrl, response(200, "not json"), kT0 + 400); }), AJWT_ERR_JWKS_PARSE);
    EXPECT_TRUE(holds(lookup(cache, a, kT0 + 401).keys, a));
}

TEST_F(JwksCacheTest, EmptySetIsAnAnswerThatTrustsNoKey) {
    cache.store(kUrl, response(200, jwks_of({a})), kT0);
    cache.store(kUrl, response(200, R"({"keys":[]})"), kT0 + 300);
    EXPECT_TRUE(lookup(cache, a, kT0 + 301).keys.keys().empty());
}

TEST_F(JwksCacheTest, MoreUsableKeysThanTheCapIsRefused) {
    cache.update_policy([](ajwt::JwksPolicy& p) { p.max_keys = 1; });
    EXPECT_EQ(status_of([&] { cache.store(kUrl, response(200, jwks_of({a, b})), kT0); }), AJWT_ERR_JWKS_PARSE);
    cache.store(kUrl, response(200, jwks_of({a})), kT0);
    EXPECT_TRUE(holds(lookup(cache, a, kT0).keys, a));
}

TEST_F(JwksCacheTest, UrlLengthIsCapped) {
    const std::string longest = "https://x/" + std::string(ajwt::kMaxJwksUrlLength - 10, 'a');
    KeySet out;
    EXPECT_EQ(status_of([&] { cache.lookup(longest, std::nullopt, kT0, out); }), AJWT_OK);
    EXPECT_EQ(status_of([&] { cache.lookup(longest + "a", std::nullopt, kT0, out); }), AJWT_ERR_INVALID_ARGUMENT);
    EXPECT_EQ(status_of([&] { cache.lookup("", std::nullopt, kT0, out); }), AJWT_ERR_INVALID_ARGUMENT);
}

TEST_F(JwksCacheTest, EntriesAreCappedLeastRecentlyUsedFirst) {
    cache.update_policy([](ajwt::JwksPolicy& p) { p.max_entries = 2; });
    cache.store("https://one/", response(200, jwks_of({a})), kT0);
    cache.store("https://two/", response(200, jwks_of({a})), kT0);
    EXPECT_EQ(lookup(cache, a, kT0, "https://one/").action, JwksAction::none);  // one is now the most recent
    cache.store("https://three/", response(200, jwks_of({a})), kT0);
    EXPECT_EQ(cache.size(), 2u);
    EXPECT_TRUE(holds(lookup(cache, a, kT0, "https://one/").keys, a));
    EXPECT_EQ(lookup(cache, a, kT0, "https://two/").action, JwksAction::fetch_now);  // evicted
}

TEST_F(JwksCacheTest, FetchNeverStoredIsForgottenAfterTheTimeout) {
    cache.update_policy([](ajwt::JwksPolicy& p) {
        p.fetch_timeout_ms = 5000;
        p.refresh_cooldown = 0;
    });
    ASSERT_EQ(lookup(cache, a, kT0).action, JwksAction::fetch_now);
    EXPECT_EQ(lookup(cache, a, kT0 + 6).action, JwksAction::none);  // 5 s + 1 s: still in flight
    EXPECT_EQ(lookup(cache, a, kT0 + 7).action, JwksAction::fetch_now);
}

TEST_F(JwksCacheTest, ExtremeClockValuesDoNotOverflow) {
    cache.store(kUrl, response(200, jwks_of({a})), kT0);
    EXPECT_EQ(lookup(cache, a, INT64_MAX).action, JwksAction::fetch_now);  // far future: too old
    EXPECT_EQ(status_of([&] { cache.store(kUrl, response(0, ""), INT64_MAX); }), AJWT_ERR_JWKS_FETCH);
    Lookup past = lookup(cache, a, INT64_MIN);  // a clock far behind sees the set as new
    EXPECT_EQ(past.action, JwksAction::none);
    EXPECT_TRUE(holds(past.keys, a));
}

TEST_F(JwksCacheTest, SyncFetchFailureWithNothingCachedReportsWhy) {
    Endpoint endpoint;
    endpoint.serve(0, "");
    cache.set_http_get(endpoint.get());
    KeySet out;
    EXPECT_EQ(status_of([&] { cache.keys(kUrl, std::string_view(a->kid()), kT0, out); }), AJWT_ERR_JWKS_FETCH);
    // Cooling down: no fetch, no error, no key
    EXPECT_EQ(status_of([&] { cache.keys(kUrl, std::string_view(a->kid()), kT0 + 1, out); }), AJWT_OK);
    EXPECT_EQ(endpoint.count(), 1);
    EXPECT_TRUE(out.keys().empty());
}

TEST_F(JwksCacheTest, SyncPathWithoutCallbackIsAnArgumentError) {
    KeySet out;
    EXPECT_EQ(status_of([&] { cache.keys(kUrl, std::nullopt, kT0, out); }), AJWT_ERR_INVALID_ARGUMENT);
}

TEST_F(JwksCacheTest, ConcurrentSyncCallersShareOneFetch) {
    constexpr int kCallers = 8;
    std::mutex mutex;
    std::condition_variable cv;
    int started = 0;
    std::atomic<int> gets{0};
    const std::string body = jwks_of({a});
    cache.set_http_get([&](const std::string&, uint32_t, size_t, HttpResponse& out) {
        ++gets;
        {
            // Hold the fetch until every caller has entered, so they overlap it
            std::unique_lock<std::mutex> lock(mutex);
            cv.wait(lock, [&] { return started == kCallers; });
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
        out.set_status(200);
        out.append(body);
    });
    std::vector<std::thread> callers;
    std::vector<int> found(kCallers, 0);
    for (int i = 0; i < kCallers; ++i) {
        callers.emplace_back([&, i] {
            {
                std::lock_guard<std::mutex> lock(mutex);
                ++started;
            }
            cv.notify_all();
            KeySet out;
            cache.keys(kUrl, std::string_view(a->kid()), kT0, out);
            found[i] = holds(out, a) ? 1 : 0;
        });
    }
    for (std::thread& t : callers) t.join();
    EXPECT_EQ(gets.load(), 1);
    for (int i = 0; i < kCallers; ++i) EXPECT_EQ(found[i], 1) << "caller " << i;
}

TEST_F(JwksCacheTest, BackgroundThreadRefreshesWhileCallersAreServed) {
    Endpoint endpoint;
    endpoint.serve(200, jwks_of({a}));
    cache.set_http_get(endpoint.get());
    KeySet first;
    cache.keys(kUrl, std::string_view(a->kid()), kT0, first);
    endpoint.serve(200, jwks_of({a, b}));
    KeySet stale;
    cache.keys(kUrl, std::string_view(a->kid()), kT0 + 300, stale);
    EXPECT_TRUE(holds(stale, a));
    cache.wait_idle();
    EXPECT_EQ(endpoint.count(), 2);
    KeySet fresh;
    cache.keys(kUrl, std::string_view(b->kid()), kT0 + 301, fresh);
    EXPECT_TRUE(holds(fresh, b));
    EXPECT_EQ(endpoint.count(), 2);
}

TEST_F(JwksCacheTest, ForkedChildRefreshesOnItsOwnThread) {
    Endpoint endpoint;
    endpoint.serve(200, jwks_of({a}));
    cache.set_http_get(endpoint.get());
    KeySet first;
    cache.keys(kUrl, std::string_view(a->kid()), kT0, first);
    KeySet stale;
    cache.keys(kUrl, std::string_view(a->kid()), kT0 + 300, stale);  // starts the refresh thread
    cache.wait_idle();
    ASSERT_EQ(endpoint.count(), 2);
    endpoint.serve(200, jwks_of({a, b}));
    const pid_t child = ::fork();
    ASSERT_GE(child, 0);
    if (child == 0) {
        // The parent's thread is not here: the child's stale lookup must start its own
        ::alarm(60);  // a child stuck waiting for the parent's thread dies instead of hanging the suite
        KeySet served;
        cache.keys(kUrl, std::string_view(a->kid()), kT0 + 600, served);
        cache.wait_idle();
        KeySet fresh;
        cache.keys(kUrl, std::string_view(b->kid()), kT0 + 601, fresh);
        ::_exit(endpoint.count() == 3 && holds(served, a) && holds(fresh, b) ? 0 : 1);
    }
    int status = 0;
    ASSERT_EQ(::waitpid(child, &status, 0), child);
    ASSERT_TRUE(WIFEXITED(status));
    EXPECT_EQ(WEXITSTATUS(status), 0);
}
