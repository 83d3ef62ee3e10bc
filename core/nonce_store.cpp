#include "nonce_store.hpp"

#include <algorithm>
#include <limits>
#include <mutex>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "error.hpp"

namespace ajwt {
namespace {

// Ten years: far beyond any sensible ttl.
constexpr int64_t kMaxNonceTtl = int64_t{10} * 365 * 24 * 3600;
// Expired entries purged per call on the normal path: enough to keep up with inserts
// (one per call) while bounding the latency any single request pays.
constexpr size_t kPurgeBatch = 8;

// Unambiguous key: 8-byte username length, username, 8-byte time, nonce. The fixed-width
// length prefix keeps ("a:b", "c") and ("a", "b:c") apart.
std::string store_key(std::string_view username, int64_t time, std::string_view nonce) {
    const uint64_t length = username.size();
    std::string key;
    key.reserve(16 + username.size() + nonce.size());
    key.append(reinterpret_cast<const char*>(&length), sizeof length);
    key.append(username.data(), username.size());
    key.append(reinterpret_cast<const char*>(&time), sizeof time);
    key.append(nonce.data(), nonce.size());
    return key;
}

class MemoryNonceStore final : public NonceStore {
public:
    MemoryNonceStore(int64_t ttl, size_t capacity) : ttl_(ttl), capacity_(capacity) {}

    void check_and_record(std::string_view username, int64_t time, std::string_view nonce, int64_t now) override {
        std::string key = store_key(username, time, nonce);
        std::lock_guard<std::mutex> lock(mutex_);
        purge(now, kPurgeBatch);
        auto found = entries_.find(key);
        if (found != entries_.end()) {
            if (!expired(found->second, now)) throw TokenError(AJWT_ERR_NONCE_REPLAYED, "nonce already used");
            // Expired but not yet purged: record it afresh. The old heap item has an earlier
            // time (old <= now - ttl < now), so it is popped, and seen to be stale, first.
            found->second = now;
            push(now, &found->first);
            return;
        }
        if (entries_.size() >= capacity_) {
            purge(now, std::numeric_limits<size_t>::max());
            // Fail closed: evicting a live entry would let its token be replayed.
            if (entries_.size() >= capacity_)
                throw Error(AJWT_ERR_NONCE_STORE_FULL,
                            "nonce store is full (" + std::to_string(capacity_) + " live entries)");
        }
        auto inserted = entries_.emplace(std::move(key), now).first;
        push(now, &inserted->first);
    }

    size_t size() const override {
        std::lock_guard<std::mutex> lock(mutex_);
        return entries_.size();
    }

private:
    // (recorded at, key in entries_). unordered_map keys never move, so the pointer stays
    // valid until the entry is erased, which only happens when its newest heap item is popped.
    using HeapItem = std::pair<int64_t, const std::string*>;

    static bool later(const HeapItem& a, const HeapItem& b) noexcept { return a.first > b.first; }

    // recorded + ttl <= now, written so that no value of the host's clock can overflow.
    bool expired(int64_t recorded, int64_t now) const noexcept {
        return now >= std::numeric_limits<int64_t>::min() + ttl_ && recorded <= now - ttl_;
    }

    void push(int64_t recorded, const std::string* key) {
        heap_.emplace_back(recorded, key);
        std::push_heap(heap_.begin(), heap_.end(), later);
    }

    // Drops up to `limit` expired entries, oldest first (min-heap on the recording time).
    void purge(int64_t now, size_t limit) {
        while (limit > 0 && !heap_.empty() && expired(heap_.front().first, now)) {
            std::pop_heap(heap_.begin(), heap_.end(), later);
            const HeapItem item = heap_.back();
            heap_.pop_back();
            auto found = entries_.find(*item.second);
            // A stale item (the entry was recorded again later) is just dropped.
            if (found != entries_.end() && found->second == item.first) entries_.erase(found);
            --limit;
        }
    }

    const int64_t ttl_;
    const size_t capacity_;
    mutable std::mutex mutex_;
    std::unordered_map<std::string, int64_t> entries_;  // key -> when it was recorded
    std::vector<HeapItem> heap_;
};

class CallbackNonceStore final : public NonceStore {
public:
    explicit CallbackNonceStore(NonceCallback callback) : callback_(std::move(callback)) {}

    void check_and_record(std::string_view username, int64_t time, std::string_view nonce, int64_t) override {
        const ajwt_status status = callback_(username, time, nonce);
        if (status == AJWT_OK) return;
        if (status == AJWT_ERR_NONCE_REPLAYED) throw TokenError(AJWT_ERR_NONCE_REPLAYED, "nonce already used");
        throw CallbackError(AJWT_ERR_CALLBACK_FAILED,
                            "nonce store callback failed with status " + std::to_string(static_cast<int>(status)));
    }

    size_t size() const override { return 0; }

private:
    NonceCallback callback_;
};

}  // namespace

std::shared_ptr<NonceStore> make_memory_nonce_store(int64_t ttl_seconds, size_t capacity) {
    if (ttl_seconds == 0) ttl_seconds = kDefaultNonceTtl;
    if (capacity == 0) capacity = kDefaultNonceCapacity;
    if (ttl_seconds < 0 || ttl_seconds > kMaxNonceTtl)
        throw Error(AJWT_ERR_INVALID_ARGUMENT, "nonce ttl must be 1.." + std::to_string(kMaxNonceTtl) + " seconds");
    return std::make_shared<MemoryNonceStore>(ttl_seconds, capacity);
}

std::shared_ptr<NonceStore> make_callback_nonce_store(NonceCallback callback) {
    if (!callback) throw Error(AJWT_ERR_INVALID_ARGUMENT, "nonce store callback is empty");
    return std::make_shared<CallbackNonceStore>(std::move(callback));
}

}  // namespace ajwt
