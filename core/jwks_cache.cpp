#include "jwks_cache.hpp"

#include <algorithm>
#include <chrono>
#include <exception>

#include <unistd.h>

#include "error.hpp"

namespace ajwt {

namespace {

void check_url(std::string_view url) {
    if (url.empty()) throw Error(AJWT_ERR_INVALID_ARGUMENT, "JWKS URL is empty");
    if (url.size() > kMaxJwksUrlLength)
        throw Error(AJWT_ERR_INVALID_ARGUMENT, "JWKS URL longer than " + std::to_string(kMaxJwksUrlLength) + " bytes");
    if (url.find('\0') != std::string_view::npos) throw Error(AJWT_ERR_INVALID_ARGUMENT, "JWKS URL holds a NUL byte");
}

// now - since, saturated: `now` is the host's and may be any value.
int64_t elapsed(int64_t now, int64_t since) {
    int64_t result;
    if (__builtin_sub_overflow(now, since, &result)) return now < since ? INT64_MIN : INT64_MAX;
    return result;
}

// How long after `now` a fetch that was never stored is given up on: the host's deadline,
// rounded up to seconds, plus one.
int64_t in_flight_limit(const JwksPolicy& policy) {
    return static_cast<int64_t>((policy.fetch_timeout_ms + 999) / 1000) + 1;
}

void add_matching(const KeySet& keys, const std::optional<std::string_view>& kid, KeySet& out, bool& found) {
    if (!kid) {
        for (const KeyPtr& key : keys.keys()) out.add(key);
        found = true;
        return;
    }
    if (const KeyPtr* key = keys.find(*kid)) {
        out.add(*key);
        found = true;
    }
}

}  // namespace

// ---- HttpResponse --------------------------------------------------------------------------

void HttpResponse::set_status(int status) {
    if (status < 100 || status > 599)
        throw Error(AJWT_ERR_INVALID_ARGUMENT, "HTTP status " + std::to_string(status) + " is not 100..599");
    status_ = status;
}

void HttpResponse::append(std::string_view data) {
    if (too_large_ || data.size() > max_body_size_ - body_.size()) {
        too_large_ = true;
        throw KeyError(AJWT_ERR_JWKS_PARSE,
                       "JWKS response body larger than " + std::to_string(max_body_size_) + " bytes");
    }
    body_.append(data);
}

void HttpResponse::fail(std::string reason) {
    status_ = 0;
    failure_ = std::move(reason);
}

// ---- configuration -------------------------------------------------------------------------

JwksCache::~JwksCache() {
    {
        std::lock_guard<std::mutex> lock(mutex_);
        stopping_ = true;
        if (refresher_in_other_process()) abandon_refresher();
    }
    refresh_wanted_.notify_all();
    if (refresher_.joinable()) refresher_.join();
}

JwksPolicy JwksCache::policy() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return policy_;
}

void JwksCache::update_policy(const std::function<void(JwksPolicy&)>& change) {
    std::lock_guard<std::mutex> lock(mutex_);
    JwksPolicy updated = policy_;
    change(updated);
    policy_ = updated;
}

void JwksCache::set_http_get(HttpGet get) {
    HttpGet previous;  // released outside the lock: its destructor may call the host
    {
        std::lock_guard<std::mutex> lock(mutex_);
        previous = std::move(http_get_);
        http_get_ = std::move(get);
    }
}

void JwksCache::set_refresh_mode(JwksRefreshMode mode) {
    std::lock_guard<std::mutex> lock(mutex_);
    refresh_mode_ = mode;
}

size_t JwksCache::size() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return entries_.size();
}

// ---- policy --------------------------------------------------------------------------------

JwksCache::Entry& JwksCache::entry_for(const std::string& url) {
    auto found = entries_.find(url);
    if (found == entries_.end()) {
        if (entries_.size() >= policy_.max_entries) {
            // The least recently used URL that no fetch is running for goes
            auto victim = entries_.end();
            for (auto it = entries_.begin(); it != entries_.end(); ++it) {
                if (it->second.in_flight) continue;
                if (victim == entries_.end() || it->second.last_used < victim->second.last_used) victim = it;
            }
            if (victim == entries_.end())
                throw Error(AJWT_ERR_JWKS_FETCH, "JWKS cache full: a fetch is running for every cached URL");
            entries_.erase(victim);
        }
        found = entries_.emplace(url, Entry{}).first;
    }
    found->second.last_used = ++use_counter_;
    return found->second;
}

JwksCache::Decision JwksCache::decide(Entry& entry, const std::optional<std::string_view>& kid, int64_t now,
                                      KeySet& out, bool mark) {
    Decision decision;
    if (entry.in_flight && elapsed(now, entry.in_flight_since) > in_flight_limit(policy_)) entry.in_flight = false;
    decision.in_flight = entry.in_flight;
    decision.usable = entry.keys != nullptr && elapsed(now, entry.fetched_at) < policy_.max_age;
    bool found = false;
    if (decision.usable) add_matching(*entry.keys, kid, out, found);

    // The cooldown runs from the last fetch or attempt, whichever is later
    std::optional<int64_t> last = entry.last_attempt;
    if (entry.keys) last = std::max(last.value_or(entry.fetched_at), entry.fetched_at);
    const bool cooled = !last || elapsed(now, *last) >= policy_.refresh_cooldown;
    if (decision.in_flight || !cooled) return decision;
    if (!decision.usable) {
        decision.action = JwksAction::fetch_now;
    } else if (elapsed(now, entry.fetched_at) >= policy_.ttl || !found) {
        decision.action = JwksAction::refresh;
    }
    if (decision.action != JwksAction::none && mark) {
        entry.in_flight = true;
        entry.in_flight_since = now;
        entry.last_attempt = now;
    }
    return decision;
}

JwksAction JwksCache::lookup(std::string_view url, const std::optional<std::string_view>& kid, int64_t now,
                             KeySet& out) {
    check_url(url);
    std::lock_guard<std::mutex> lock(mutex_);
    KeySet found;
    const Decision decision = decide(entry_for(std::string(url)), kid, now, found, true);
    for (const KeyPtr& key : found.keys()) out.add(key);
    return decision.action;
}

std::shared_ptr<const KeySet> JwksCache::parse(const HttpResponse& response) const {
    const JwksPolicy policy = this->policy();
    if (response.status() == 0)
        throw Error(AJWT_ERR_JWKS_FETCH,
                    "JWKS fetch failed" + (response.failure().empty() ? "" : ": " + response.failure()));
    if (response.status() != 200)
        throw Error(AJWT_ERR_JWKS_FETCH, "JWKS endpoint answered HTTP " + std::to_string(response.status()));
    if (response.too_large() || response.body().size() > policy.max_body_size)
        throw KeyError(AJWT_ERR_JWKS_PARSE,
                       "JWKS response body larger than " + std::to_string(policy.max_body_size) + " bytes");
    auto keys = std::make_shared<KeySet>();
    keys->add_jwks(response.body());
    if (keys->keys().size() > policy.max_keys)
        throw KeyError(AJWT_ERR_JWKS_PARSE, "JWK Set: more than " + std::to_string(policy.max_keys) + " usable keys");
    return keys;
}

void JwksCache::store(std::string_view url, const HttpResponse& response, int64_t now) {
    check_url(url);
    std::shared_ptr<const KeySet> keys;
    std::exception_ptr failure;
    try {
        keys = parse(response);  // outside the lock: up to max_body_size of JSON
    } catch (const Error&) {
        failure = std::current_exception();
    }
    {
        std::lock_guard<std::mutex> lock(mutex_);
        Entry& entry = entry_for(std::string(url));
        entry.in_flight = false;
        // A failed fetch keeps the set it would have replaced, and cools down like any fetch
        entry.last_attempt = std::max(entry.last_attempt.value_or(now), now);
        if (keys) {
            entry.keys = std::move(keys);
            entry.fetched_at = now;
        }
    }
    fetched_.notify_all();
    if (failure) std::rethrow_exception(failure);
}

// ---- sync hosts ----------------------------------------------------------------------------

HttpResponse JwksCache::run_get(const HttpGet& get, const std::string& url, const JwksPolicy& policy) {
    HttpResponse response(policy.max_body_size);
    try {
        get(url, policy.fetch_timeout_ms, policy.max_body_size, response);
    } catch (const std::exception& e) {
        if (!response.too_large()) response.fail(e.what());
    } catch (...) {
        response.fail("unknown exception");
    }
    return response;
}

void JwksCache::fetch_and_store(const HttpGet& get, const std::string& url, int64_t now) {
    if (!get) {
        // The callback was removed after this fetch was decided: record a failure, ending it
        HttpResponse response(0);
        response.fail("no HTTP GET callback set");
        store(url, response, now);
        return;
    }
    store(url, run_get(get, url, policy()), now);
}

void JwksCache::keys(std::string_view url, const std::optional<std::string_view>& kid, int64_t now, KeySet& out) {
    check_url(url);
    const std::string key(url);
    std::unique_lock<std::mutex> lock(mutex_);
    if (!http_get_)
        throw Error(AJWT_ERR_INVALID_ARGUMENT,
                    "no HTTP GET callback set on the JWKS cache (ajwt_jwks_cache_set_http_get)");
    KeySet found;
    Decision decision;
    for (;;) {
        found = KeySet();
        decision = decide(entry_for(key), kid, now, found, true);
        if (decision.action != JwksAction::none || decision.usable || !decision.in_flight) break;
        // Nothing usable yet and another caller is fetching: share its result (single flight).
        const auto limit = std::chrono::milliseconds(policy_.fetch_timeout_ms) + std::chrono::seconds(1);
        const bool ended = fetched_.wait_for(lock, limit, [&] {
            auto it = entries_.find(key);
            return it == entries_.end() || !it->second.in_flight;
        });
        if (!ended) break;
    }
    const bool fetch_here = decision.action == JwksAction::fetch_now ||
                            (decision.action == JwksAction::refresh && refresh_mode_ == JwksRefreshMode::inline_fetch);
    if (decision.action == JwksAction::refresh && !fetch_here) {
        lock.unlock();
        enqueue_refresh(key, now);
    } else if (fetch_here) {
        const HttpGet get = http_get_;
        lock.unlock();
        std::exception_ptr failure;
        try {
            fetch_and_store(get, key, now);
        } catch (const Error&) {
            failure = std::current_exception();
        }
        lock.lock();
        found = KeySet();
        decision = decide(entry_for(key), kid, now, found, false);
        lock.unlock();
        if (failure && !decision.usable) std::rethrow_exception(failure);
    }
    for (const KeyPtr& k : found.keys()) out.add(k);
}

// ---- refresh thread ------------------------------------------------------------------------

bool JwksCache::refresher_in_other_process() const {
    return refresher_.joinable() && refresher_pid_ != static_cast<long>(::getpid());
}

// In a forked child the refresh thread stayed in the parent: its handle can be neither joined
// nor detached (it names no thread here), so it is left behind, and so is the parent's queue.
void JwksCache::abandon_refresher() {
    new std::thread(std::move(refresher_));  // never destroyed: destroying it would terminate
    refreshes_.clear();
    refresh_running_ = false;
}

void JwksCache::enqueue_refresh(std::string url, int64_t now) {
    {
        std::lock_guard<std::mutex> lock(mutex_);
        if (stopping_) return;
        if (refresher_in_other_process()) abandon_refresher();
        refreshes_.push_back(Refresh{std::move(url), now});
        if (!refresher_.joinable()) {
            refresher_ = std::thread([this] { run_refreshes(); });
            refresher_pid_ = static_cast<long>(::getpid());
        }
    }
    refresh_wanted_.notify_one();
}

void JwksCache::run_refreshes() {
    std::unique_lock<std::mutex> lock(mutex_);
    for (;;) {
        refresh_wanted_.wait(lock, [&] { return stopping_ || !refreshes_.empty(); });
        if (stopping_) break;
        Refresh next = std::move(refreshes_.front());
        refreshes_.pop_front();
        refresh_running_ = true;
        HttpGet get = http_get_;
        lock.unlock();
        try {
            fetch_and_store(get, next.url, next.now);
        } catch (...) {
            // A failed refresh is recorded in the entry; the cached set stays.
        }
        get = nullptr;  // released unlocked: the last copy calls the host's destroy
        lock.lock();
        refresh_running_ = false;
        refresh_idle_.notify_all();
    }
    refresh_running_ = false;
    refresh_idle_.notify_all();
}

void JwksCache::wait_idle() {
    std::unique_lock<std::mutex> lock(mutex_);
    refresh_idle_.wait(lock, [&] { return stopping_ || (refreshes_.empty() && !refresh_running_); });
}

}  // namespace ajwt
