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

inline constexpr int64_t kDefaultNonceTtl = AJWT_DEFAULT_NONCE_TTL;
inline constexpr size_t kDefaultNonceCapacity = AJWT_DEFAULT_NONCE_MAX_ENTRIES;
// Ten years: far beyond any sensible ttl.
inline constexpr int64_t kMaxNonceTtl = int64_t{10} * 365 * 24 * 3600;
// Longest username or nonce the memory store takes (the token parser's claim cap, so every
// parsed token fits); longer ones are refused with TOKEN_CLAIMS before anything is hashed.
inline constexpr size_t kMaxNonceStoreInput = AJWT_NONCE_STORE_MAX_INPUT;

// Thread-safe in-memory store. Entries expire ttl seconds after they were recorded; expired
// entries are purged incrementally. At `capacity` live entries new nonces are refused
// (fail closed) rather than evicting live ones, which would reopen replay; so are a user's
// new nonces once that user holds `per_user_capacity` live entries, so that one client
// cannot fill the store for everyone. 0 means the default for each (per-user: no cap of its
// own, i.e. `capacity`); a negative ttl, or a per-user cap above the capacity, is
// INVALID_ARGUMENT. Each entry is a keyed 128-bit digest of the triple, so its memory does
// not depend on the lengths of username and nonce.
std::shared_ptr<NonceStore> make_memory_nonce_store(int64_t ttl_seconds, size_t capacity, size_t per_user_capacity = 0);

// A store whose check-and-record is a host function returning an ajwt_status
// (OK = new, NONCE_REPLAYED = seen, anything else = failure).
using NonceCallback = std::function<ajwt_status(std::string_view username, int64_t time, std::string_view nonce)>;
std::shared_ptr<NonceStore> make_callback_nonce_store(NonceCallback callback);

}  // namespace ajwt
