#include "nonce_store.hpp"

#include <algorithm>
#include <array>
#include <cstring>
#include <limits>
#include <mutex>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include <sodium.h>

#include "error.hpp"
#include "token.hpp"

namespace ajwt {
namespace {

static_assert(kMaxNonceStoreInput >= kMaxClaimStringSize, "the store must take every claim the parser accepts");
static_assert(AJWT_DEFAULT_NONCE_TTL == 2 * AJWT_DEFAULT_TOLERANCE + 1, "entries outlive the whole time window");

// Expired entries purged per call on the normal path: enough to keep up with inserts
// (one per call) while bounding the latency any single request pays.
constexpr size_t kPurgeBatch = 8;

// 128 bits: an accidental collision (which would refuse a fresh nonce as a replay) is out of
// reach at any capacity, and the per-store random key keeps anyone from engineering one.
using Digest = std::array<unsigned char, 16>;

struct DigestHash {
    size_t operator()(const Digest& digest) const noexcept {
        size_t value;  // the digest is already uniformly random under the store's key
        std::memcpy(&value, digest.data(), sizeof value);
        return value;
    }
};

struct UserHash {
    size_t operator()(uint64_t user) const noexcept { return static_cast<size_t>(user); }
};

// Keyed BLAKE2b over length-prefixed fields after a domain label, so no two distinct inputs
// (or the two uses, entry and user) share an encoding.
class KeyedHasher {
public:
    KeyedHasher() {
        if (sodium_init() < 0) throw Error(AJWT_ERR_INTERNAL, "libsodium failed to initialise");
        randombytes_buf(key_.data(), key_.size());
    }
    KeyedHasher(const KeyedHasher&) = delete;
    KeyedHasher& operator=(const KeyedHasher&) = delete;
    ~KeyedHasher() { sodium_memzero(key_.data(), key_.size()); }

    Digest entry(std::string_view username, int64_t time, std::string_view nonce) const {
        State state = begin("ajwt nonce entry v1");
        field(state, username);
        number(state, static_cast<uint64_t>(time));
        field(state, nonce);
        return finish(state);
    }

    uint64_t user(std::string_view username) const {
        State state = begin("ajwt nonce user v1");
        field(state, username);
        const Digest digest = finish(state);
        uint64_t value;
        std::memcpy(&value, digest.data(), sizeof value);
        return value;
    }

private:
    using State = crypto_generichash_blake2b_state;

    State begin(std::string_view label) const {
        State state;
        crypto_generichash_blake2b_init(&state, key_.data(), key_.size(), Digest().size());
        field(state, label);
        return state;
    }
    static void number(State& state, uint64_t value) {
        unsigned char bytes[8];
        for (int i = 0; i < 8; ++i) bytes[i] = static_cast<unsigned char>(value >> (8 * i));
        crypto_generichash_blake2b_update(&state, bytes, sizeof bytes);
    }
    static void field(State& state, std::string_view value) {
        number(state, value.size());
        crypto_generichash_blake2b_update(&state, reinterpret_cast<const unsigned char*>(value.data()), value.size());
    }
    static Digest finish(State& state) {
        Digest digest;
        crypto_generichash_blake2b_final(&state, digest.data(), digest.size());
        return digest;
    }

    std::array<unsigned char, crypto_generichash_blake2b_KEYBYTES> key_;
};

void check_input_size(std::string_view value, const char* what) {
    if (value.size() > kMaxNonceStoreInput)
        throw TokenError(AJWT_ERR_TOKEN_CLAIMS,
                         std::string(what) + " longer than " + std::to_string(kMaxNonceStoreInput) + " bytes");
}

class MemoryNonceStore final : public NonceStore {
public:
    MemoryNonceStore(int64_t ttl, size_t capacity, size_t per_user_capacity)
        : ttl_(ttl),
          capacity_(capacity),
          per_user_capacity_(per_user_capacity),
          counts_users_(per_user_capacity < capacity) {}

    void check_and_record(std::string_view username, int64_t time, std::string_view nonce, int64_t now) override {
        check_input_size(username, "username");
        check_input_size(nonce, "nonce");
        const Digest digest = hasher_.entry(username, time, nonce);
        const uint64_t user = counts_users_ ? hasher_.user(username) : 0;
        std::lock_guard<std::mutex> lock(mutex_);
        purge(now, kPurgeBatch);
        auto found = entries_.find(digest);
        if (found != entries_.end()) {
            if (!expired(found->second.recorded, now)) throw TokenError(AJWT_ERR_NONCE_REPLAYED, "nonce already used");
            // Expired but not yet purged: record it afresh (same user, so no count changes).
            // The old heap item has an earlier time (old <= now - ttl < now), so it is popped,
            // and seen to be stale, first.
            found->second.recorded = now;
            push(now, &found->first);
            return;
        }
        // Fail closed in both cases: evicting a live entry would let its token be replayed.
        if (entries_.size() >= capacity_) {
            purge(now, std::numeric_limits<size_t>::max());
            if (entries_.size() >= capacity_)
                throw Error(AJWT_ERR_NONCE_STORE_FULL,
                            "nonce store is full (" + std::to_string(capacity_) + " live entries)");
        }
        if (counts_users_ && user_count(user) >= per_user_capacity_) {
            purge(now, std::numeric_limits<size_t>::max());
            if (user_count(user) >= per_user_capacity_)
                throw Error(AJWT_ERR_NONCE_STORE_FULL, "this user holds its share of the nonce store (" +
                                                           std::to_string(per_user_capacity_) + " live entries)");
        }
        auto inserted = entries_.emplace(digest, Entry{now, user}).first;
        if (counts_users_) ++per_user_[user];
        push(now, &inserted->first);
    }

    size_t size() const override {
        std::lock_guard<std::mutex> lock(mutex_);
        return entries_.size();
    }

private:
    struct Entry {
        int64_t recorded;  // when, by the caller's clock
        uint64_t user;     // keyed digest of the username, for the per-user count (0 without a per-user cap)
    };
    // (recorded at, key in entries_). unordered_map keys never move, so the pointer stays
    // valid until the entry is erased, which only happens when its newest heap item is popped.
    using HeapItem = std::pair<int64_t, const Digest*>;

    static bool later(const HeapItem& a, const HeapItem& b) noexcept { return a.first > b.first; }

    // recorded + ttl <= now, written so that no value of the host's clock can overflow.
    bool expired(int64_t recorded, int64_t now) const noexcept {
        return now >= std::numeric_limits<int64_t>::min() + ttl_ && recorded <= now - ttl_;
    }

    size_t user_count(uint64_t user) const {
        auto found = per_user_.find(user);
        return found == per_user_.end() ? 0 : found->second;
    }

    void push(int64_t recorded, const Digest* digest) {
        heap_.emplace_back(recorded, digest);
        std::push_heap(heap_.begin(), heap_.end(), later);
    }

    void forget(std::unordered_map<Digest, Entry, DigestHash>::iterator entry) {
        if (counts_users_) {
            auto count = per_user_.find(entry->second.user);
            if (count != per_user_.end() && --count->second == 0) per_user_.erase(count);
        }
        entries_.erase(entry);
    }

    // Drops up to `limit` expired entries, oldest first (min-heap on the recording time).
    void purge(int64_t now, size_t limit) {
        while (limit > 0 && !heap_.empty() && expired(heap_.front().first, now)) {
            std::pop_heap(heap_.begin(), heap_.end(), later);
            const HeapItem item = heap_.back();
            heap_.pop_back();
            auto found = entries_.find(*item.second);
            // A stale item (the entry was recorded again later) is just dropped.
            if (found != entries_.end() && found->second.recorded == item.first) forget(found);
            --limit;
        }
    }

    const int64_t ttl_;
    const size_t capacity_;
    const size_t per_user_capacity_;
    const bool counts_users_;  // a per-user cap below the capacity is set
    const KeyedHasher hasher_;
    mutable std::mutex mutex_;
    std::unordered_map<Digest, Entry, DigestHash> entries_;
    std::unordered_map<uint64_t, size_t, UserHash> per_user_;  // live entries per user digest (with a per-user cap)
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

std::shared_ptr<NonceStore> make_memory_nonce_store(int64_t ttl_seconds, size_t capacity, size_t per_user_capacity) {
    if (ttl_seconds == 0) ttl_seconds = kDefaultNonceTtl;
    if (capacity == 0) capacity = kDefaultNonceCapacity;
    if (per_user_capacity == 0) per_user_capacity = capacity;
    if (ttl_seconds < 0 || ttl_seconds > kMaxNonceTtl)
        throw Error(AJWT_ERR_INVALID_ARGUMENT, "nonce ttl must be 1.." + std::to_string(kMaxNonceTtl) + " seconds");
    if (per_user_capacity > capacity)
        throw Error(AJWT_ERR_INVALID_ARGUMENT, "the per-user cap (" + std::to_string(per_user_capacity) +
                                                   ") exceeds the store's capacity (" + std::to_string(capacity) + ")");
    return std::make_shared<MemoryNonceStore>(ttl_seconds, capacity, per_user_capacity);
}

std::shared_ptr<NonceStore> make_callback_nonce_store(NonceCallback callback) {
    if (!callback) throw Error(AJWT_ERR_INVALID_ARGUMENT, "nonce store callback is empty");
    return std::make_shared<CallbackNonceStore>(std::move(callback));
}

}  // namespace ajwt
