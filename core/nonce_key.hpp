// How a host's own nonce store (e.g. a Redis shared by services in several languages) records
// a used nonce: one key and one lifetime for every binding, so services sharing the store
// refuse each other's replays.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "ajwt.h"

namespace ajwt {

inline constexpr size_t kNonceKeySize = AJWT_NONCE_KEY_SIZE;

// "ajwt-nonce-" + lowercase hex SHA-256 over (u64 big-endian length, bytes) of the username,
// the decimal time and the nonce. The lengths make the encoding injective: no two triples
// share a key, whatever bytes they hold.
std::string nonce_key(std::string_view username, int64_t time, std::string_view nonce);

// Seconds a recorded nonce must live under a verifier's tolerance: a token's time is accepted
// over the 2 * tolerance + 1 whole seconds of its window, so its record must outlive all of them.
int64_t nonce_ttl(int64_t tolerance) noexcept;

}  // namespace ajwt
