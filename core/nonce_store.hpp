// Replay protection: atomic check-and-record of (username, time, nonce).
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string_view>

#include "ajwt.h"

namespace ajwt {

class NonceStore {
public:
    virtual ~NonceStore() = default;
    // Records the triple if new; throws TokenError(NONCE_REPLAYED) if it was seen,
    // Error(NONCE_STORE_FULL) / CallbackError on failure. Atomic.
    virtual void check_and_record(std::string_view username, int64_t time, std::string_view nonce, int64_t now) = 0;
    virtual size_t size() const = 0;
};

inline constexpr int64_t kDefaultNonceTtl = 2 * AJWT_DEFAULT_TOLERANCE;
inline constexpr size_t kDefaultNonceCapacity = 1000000;

// Thread-safe in-memory store. Entries expire ttl seconds after they were recorded; expired
// entries are purged incrementally. At `capacity` live entries new nonces are refused
// (fail closed) rather than evicting live ones, which would reopen replay.
std::shared_ptr<NonceStore> make_memory_nonce_store(int64_t ttl_seconds, size_t capacity);

// A store whose check-and-record is a host function returning an ajwt_status
// (OK = new, NONCE_REPLAYED = seen, anything else = failure).
using NonceCallback = std::function<ajwt_status(std::string_view username, int64_t time, std::string_view nonce)>;
std::shared_ptr<NonceStore> make_callback_nonce_store(NonceCallback callback);

}  // namespace ajwt
