// Shared by the libFuzzer targets: the fixed keys, the fixed clock, and invariant checks.
// The targets use ajwt.h only, so they attack exactly the surface every binding uses.
//
// Each target defines its entry with AJWT_FUZZ_TARGET(name). In a fuzz build that is
// LLVMFuzzerTestOneInput; with AJWT_FUZZ_REPLAY defined it is a plain function `name`, so
// tests/capi/fuzz_regressions_test.cpp can replay tests/fuzz/regressions/ in the normal suite.
#pragma once

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <initializer_list>
#include <stdexcept>
#include <string>
#include <vector>

#include "ajwt.h"
#include "fuzz_keys.hpp"

#ifdef AJWT_FUZZ_REPLAY
#define AJWT_FUZZ_TARGET(name) int name(const uint8_t* data, size_t size)
#else
#define AJWT_FUZZ_TARGET(name) extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
#endif

namespace ajwt_fuzz {

// Seeds are signed at this time and every target verifies at it, so seeds reach the time
// and nonce checks.
inline constexpr int64_t kNow = 1700000000;
inline constexpr size_t kMaxClaimSize = 1024;  // ajwt.h: username, nonce and kid length cap

// A broken invariant is a bug: abort, so libFuzzer records the input as a crash. Replayed in the
// test suite, it throws instead, so the test names the input and goes on.
[[noreturn]] inline void fail(const char* what, ajwt_status status = AJWT_OK) {
    const std::string message = std::string("libajwt fuzz invariant violated: ") + what + " (status " +
                                std::to_string(static_cast<int>(status)) + ": " + ajwt_status_str(status) + ")";
#ifdef AJWT_FUZZ_REPLAY
    throw std::runtime_error(message);
#else
    std::fprintf(stderr, "%s\n", message.c_str());
    std::abort();
#endif
}

inline void require(bool ok, const char* what, ajwt_status status = AJWT_OK) {
    if (!ok) fail(what, status);
}

// Every failure fills the caller's error: same status, a NUL-terminated non-empty message.
inline void check_error(ajwt_status status, const ajwt_error& err) {
    if (status == AJWT_OK) return;
    require(err.status == status, "ajwt_error.status differs from the returned status", status);
    const void* nul = std::memchr(err.message, '\0', sizeof err.message);
    require(nul != nullptr, "ajwt_error.message is not NUL-terminated", status);
    require(err.message[0] != '\0', "ajwt_error.message is empty", status);
    require(std::strcmp(ajwt_status_str(status), "unknown status") != 0, "status without a name", status);
}

// A refusal of untrusted input must carry one of the statuses that describe it; anything else
// (INTERNAL, INVALID_ARGUMENT, OUT_OF_MEMORY, ...) means the library mistook input for a fault.
inline void require_status_in(ajwt_status status, const std::vector<ajwt_status>& allowed, const char* what) {
    if (status == AJWT_OK) return;
    for (ajwt_status s : allowed)
        if (s == status) return;
    fail(what, status);
}

// What parsing an untrusted token may answer, plus `more`.
inline std::vector<ajwt_status> parse_statuses(std::initializer_list<ajwt_status> more = {}) {
    std::vector<ajwt_status> statuses = {AJWT_ERR_TOKEN_TOO_LARGE, AJWT_ERR_TOKEN_FORMAT, AJWT_ERR_TOKEN_BASE64,
                                         AJWT_ERR_TOKEN_JSON,      AJWT_ERR_TOKEN_HEADER, AJWT_ERR_TOKEN_CLAIMS,
                                         AJWT_ERR_TOKEN_TIME,      AJWT_ERR_ALGORITHM_NOT_ALLOWED};
    statuses.insert(statuses.end(), more.begin(), more.end());
    return statuses;
}

// A claim string as the C ABI promises it: non-empty, capped, NUL-terminated, no inner NUL.
inline void check_claim_string(const char* value, size_t len, const char* what) {
    require(value != nullptr, what);
    require(len > 0 && len <= kMaxClaimSize, what);
    require(value[len] == '\0' && std::strlen(value) == len, what);
}

inline ajwt_key* load_private_or_die(const char* pem) {
    ajwt_key* key = nullptr;
    ajwt_error err{};
    if (ajwt_key_load_private(pem, std::strlen(pem), nullptr, 0, &key, &err) != AJWT_OK) {
        std::fprintf(stderr, "fixed fuzz key does not load: %s\n", err.message);
        std::abort();
    }
    return key;
}

inline ajwt_key* public_or_die(const ajwt_key* key) {
    ajwt_key* pub = nullptr;
    if (ajwt_key_public(key, &pub, nullptr) != AJWT_OK) fail("ajwt_key_public of a fixed key");
    return pub;
}

// The fixed keys, loaded once and kept for the life of the process (never destroyed, so they
// stay reachable for LeakSanitizer's exit-time check).
struct FixedKeys {
    std::vector<ajwt_key*> private_keys;
    std::vector<ajwt_key*> public_keys;
};

inline const FixedKeys& fixed_keys() {
    static const FixedKeys* keys = [] {
        auto* k = new FixedKeys;
        for (const char* pem : {fuzz_keys::kRsaPrivatePem, fuzz_keys::kEd25519PrivatePem, fuzz_keys::kEd448PrivatePem,
                                fuzz_keys::kP256PrivatePem, fuzz_keys::kP384PrivatePem, fuzz_keys::kP521PrivatePem}) {
            ajwt_key* priv = load_private_or_die(pem);
            k->private_keys.push_back(priv);
            k->public_keys.push_back(public_or_die(priv));
        }
        return k;
    }();
    return *keys;
}

// Every algorithm, PS* included: the targets explore every verification path.
inline const std::vector<ajwt_alg>& all_algorithms() {
    static const std::vector<ajwt_alg> algs = {AJWT_ALG_RS256, AJWT_ALG_RS384, AJWT_ALG_RS512, AJWT_ALG_PS256,
                                               AJWT_ALG_PS384, AJWT_ALG_PS512, AJWT_ALG_ES256, AJWT_ALG_ES384,
                                               AJWT_ALG_ES512, AJWT_ALG_EDDSA};
    return algs;
}

}  // namespace ajwt_fuzz
