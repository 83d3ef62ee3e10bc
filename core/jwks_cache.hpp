// Keys of trusted JWK Set URLs, cached per URL with the refresh policy of the Django package's
// JWKS repository. The HTTP GET is the host's (a function, or the async lookup/store pair).
#pragma once

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <unordered_map>

#include "keyset.hpp"

namespace ajwt {

inline constexpr size_t kMaxJwksUrlLength = 2048;

struct JwksPolicy {
    int64_t ttl = 300;                 // a set this old is refreshed in the background
    int64_t max_age = 3600;            // a set this old is no longer trusted
    int64_t refresh_cooldown = 30;     // at most one fetch per URL in this long
    uint32_t fetch_timeout_ms = 5000;  // given to the host's GET
    size_t max_body_size = kMaxJwksSize;
    size_t max_keys = kMaxJwksMembers;
    size_t max_entries = 1000;
};

enum class JwksAction { none = 0, fetch_now = 1, refresh = 2 };

enum class JwksRefreshMode { thread = 0, inline_fetch = 1 };

// What the host's GET got. status 0 = transport failure (failure says why).
class HttpResponse {
public:
    explicit HttpResponse(size_t max_body_size) : max_body_size_(max_body_size) {}
    void set_status(int status);
    // Throws KeyError(JWKS_PARSE) past max_body_size, keeping nothing more.
    void append(std::string_view data);
    void fail(std::string reason);

    int status() const noexcept { return status_; }
    const std::string& body() const noexcept { return body_; }
    bool too_large() const noexcept { return too_large_; }
    const std::string& failure() const noexcept { return failure_; }

private:
    size_t max_body_size_;
    int status_ = 0;
    std::string body_;
    bool too_large_ = false;
    std::string failure_;
};

// Host blocking GET: fills the response, or throws (a transport failure).
using HttpGet =
    std::function<void(const std::string& url, uint32_t timeout_ms, size_t max_body_size, HttpResponse& response)>;

class JwksCache {
public:
    JwksCache() = default;
    ~JwksCache();  // stops the refresh thread after its current fetch
    JwksCache(const JwksCache&) = delete;
    JwksCache& operator=(const JwksCache&) = delete;

    JwksPolicy policy() const;
    void update_policy(const std::function<void(JwksPolicy&)>& change);
    void set_http_get(HttpGet get);
    void set_refresh_mode(JwksRefreshMode mode);
    size_t size() const;

    // Async hosts: adds the usable keys (the kid's member, or all when kid is empty) to
    // `out` and says what to fetch; fetch_now/refresh mark the URL in flight until store().
    JwksAction lookup(std::string_view url, const std::optional<std::string_view>& kid, int64_t now, KeySet& out);
    // The fetch result. A failure is recorded, then thrown (JWKS_FETCH or JWKS_PARSE).
    void store(std::string_view url, const HttpResponse& response, int64_t now);

    // Sync hosts: runs the policy and the GET when needed (single flight per URL).
    void keys(std::string_view url, const std::optional<std::string_view>& kid, int64_t now, KeySet& out);
    // Until the refresh thread has nothing queued or running.
    void wait_idle();

private:
    struct Entry {
        std::shared_ptr<const KeySet> keys;   // the last good set, or null
        int64_t fetched_at = 0;               // when `keys` was stored
        std::optional<int64_t> last_attempt;  // when the last fetch was decided
        bool in_flight = false;
        int64_t in_flight_since = 0;
        uint64_t last_used = 0;  // for least-recently-used eviction
    };
    struct Decision {
        JwksAction action = JwksAction::none;
        bool usable = false;     // keys served from a trusted set
        bool in_flight = false;  // a fetch of this URL is under way
    };
    struct Refresh {
        std::string url;
        int64_t now;
    };

    Entry& entry_for(const std::string& url);
    Decision decide(Entry& entry, const std::optional<std::string_view>& kid, int64_t now, KeySet& out, bool mark);
    std::shared_ptr<const KeySet> parse(const HttpResponse& response) const;
    static HttpResponse run_get(const HttpGet& get, const std::string& url, const JwksPolicy& policy);
    void fetch_and_store(const HttpGet& get, const std::string& url, int64_t now);
    void enqueue_refresh(std::string url, int64_t now);
    bool refresher_in_other_process() const;
    void abandon_refresher();
    void run_refreshes();

    mutable std::mutex mutex_;
    std::condition_variable fetched_;  // a URL's in-flight fetch ended
    JwksPolicy policy_;
    HttpGet http_get_;
    JwksRefreshMode refresh_mode_ = JwksRefreshMode::thread;
    std::unordered_map<std::string, Entry> entries_;
    uint64_t use_counter_ = 0;

    std::deque<Refresh> refreshes_;
    std::condition_variable refresh_wanted_;
    std::condition_variable refresh_idle_;
    bool refresh_running_ = false;
    bool stopping_ = false;
    std::thread refresher_;
    long refresher_pid_ = 0;  // the process the thread runs in (a forked child has none)
};

}  // namespace ajwt
