// Internals of the extern "C" layer: the handle structs behind ajwt.h's opaque types and the
// one guard every fallible entry point runs its body through.
#pragma once

#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <new>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "ajwt.h"
#include "authenticator.hpp"
#include "error.hpp"
#include "key.hpp"
#include "keyset.hpp"
#include "nonce_store.hpp"
#include "pending_authentication.hpp"
#include "token.hpp"
#include "verifier.hpp"

struct ajwt_key {
    ajwt::KeyPtr key;
};

struct ajwt_token {
    ajwt::ParsedToken token;
};

// A key set owns its KeySet, or (for the view handed to a repository callback) points at one
// the core owns. Each member has a handle so ajwt_keyset_get/_find can return stable borrowed
// pointers; handles are created when members are added, never by readers, so concurrent
// reads need no lock.
struct ajwt_keyset {
    ajwt_keyset() : set(&owned) {}
    explicit ajwt_keyset(ajwt::KeySet& external) : set(&external) { sync(); }
    ajwt_keyset(const ajwt_keyset&) = delete;
    ajwt_keyset& operator=(const ajwt_keyset&) = delete;

    // Creates handles for members added since the last call (members are only ever appended).
    void sync() {
        const auto& keys = set->keys();
        handles.reserve(keys.size());
        for (size_t i = handles.size(); i < keys.size(); ++i)
            handles.push_back(std::unique_ptr<ajwt_key>(new ajwt_key{keys[i]}));
    }
    // The handle of a member given by reference into set->keys(), or nullptr.
    const ajwt_key* handle_of(const ajwt::KeyPtr* member) const noexcept {
        const auto& keys = set->keys();
        if (member == nullptr || keys.empty()) return nullptr;
        if (member < keys.data() || member >= keys.data() + keys.size()) return nullptr;
        size_t index = static_cast<size_t>(member - keys.data());
        return index < handles.size() ? handles[index].get() : nullptr;
    }

    ajwt::KeySet owned;
    ajwt::KeySet* set;
    std::vector<std::unique_ptr<ajwt_key>> handles;
};

struct ajwt_nonce_store {
    std::shared_ptr<ajwt::NonceStore> store;
};

struct ajwt_verifier {
    ajwt::Verifier verifier;
};

// Shared, so that a pending two-phase authentication keeps it alive after ajwt_authenticator_free.
struct ajwt_authenticator {
    std::shared_ptr<ajwt::Authenticator> authenticator;
    bool has_user_keys = false;
};

struct ajwt_pending {
    ajwt::PendingAuthentication pending;
};

namespace ajwt_capi {

// Optional request details of a C call (each NULL = unknown), as ajwt_verify_request takes them.
ajwt::RequestDetails request_details(const char* method, size_t method_len, const char* target, size_t target_len,
                                     const uint8_t* body_digest);

// The value of an enum the caller passed. A C caller may pass any int, and reading a value
// outside the enum's range through the C++ enum type is undefined behaviour, so the object
// representation is read instead. Take the enum by reference (passing it by value would load it).
template <typename E>
long long enum_value(const E& value) noexcept {
    static_assert(std::is_enum_v<E>);
    std::underlying_type_t<E> raw;
    std::memcpy(&raw, &value, sizeof raw);
    return static_cast<long long>(raw);
}

template <typename E>
bool enum_in(const E& value, long long lo, long long hi) noexcept {
    const long long v = enum_value(value);
    return v >= lo && v <= hi;
}

// ajwt_status_str() for any integer value.
const char* status_string(long long status) noexcept;

// Copies `message` into err (truncated, always NUL-terminated). Never throws.
inline void set_error(ajwt_error* err, ajwt_status status, const char* message) noexcept {
    if (err == nullptr) return;
    err->status = status;
    size_t length = message ? std::strlen(message) : 0;
    if (length >= sizeof err->message) length = sizeof err->message - 1;
    if (length) std::memcpy(err->message, message, length);
    err->message[length] = '\0';
}

inline ajwt_status fail(ajwt_error* err, ajwt_status status, const char* message) noexcept {
    set_error(err, status, message);
    return status;
}

// Runs `body` and turns every exception into a status: no exception crosses the C boundary.
// `body` returns void (success) or an ajwt_status.
template <typename Body>
ajwt_status guard(ajwt_error* err, Body&& body) noexcept {
    try {
        ajwt_status status = AJWT_OK;
        if constexpr (std::is_void_v<std::invoke_result_t<Body>>)
            body();
        else
            status = body();
        if (status == AJWT_OK) {
            set_error(err, AJWT_OK, "");
        } else {
            set_error(err, status, status_string(status));
        }
        return status;
    } catch (const ajwt::Error& e) {
        // An Error must carry a failure; OK here would be a core bug, not a success.
        ajwt_status status = e.status() == AJWT_OK ? AJWT_ERR_INTERNAL : e.status();
        return fail(err, status, e.what());
    } catch (const std::bad_alloc&) {
        return fail(err, AJWT_ERR_OUT_OF_MEMORY, "out of memory");
    } catch (const std::exception& e) {
        return fail(err, AJWT_ERR_INTERNAL, e.what());
    } catch (...) {
        return fail(err, AJWT_ERR_INTERNAL, "unknown exception");
    }
}

[[noreturn]] inline void invalid_argument(const std::string& message) {
    throw ajwt::Error(AJWT_ERR_INVALID_ARGUMENT, message);
}

template <typename T>
T& require(T* handle, const char* name) {
    if (handle == nullptr) invalid_argument(std::string(name) + " is NULL");
    return *handle;
}

// A (pointer, length) input. (NULL, 0) is the empty input, as in zstd and libsodium, so FFI
// callers that pass empty buffers as NULL get the format's own status; NULL with a length is
// an argument error.
inline std::string_view bytes(const void* data, size_t length, const char* name) {
    if (data == nullptr) {
        if (length != 0) invalid_argument(std::string(name) + " is NULL with a non-zero length");
        return std::string_view();
    }
    return std::string_view(static_cast<const char*>(data), length);
}

// An output pointer, cleared first so a failed call never leaves a stale value behind.
template <typename T>
T*& output(T** out, const char* name) {
    if (out == nullptr) invalid_argument(std::string(name) + " is NULL");
    *out = nullptr;
    return *out;
}

// Library-allocated bytes for the caller: malloc'd, NUL-terminated, released by ajwt_free().
inline void give_bytes(std::string_view text, char** out, size_t* out_len) {
    char* copy = static_cast<char*>(std::malloc(text.size() + 1));
    if (copy == nullptr) throw std::bad_alloc();
    if (!text.empty()) std::memcpy(copy, text.data(), text.size());
    copy[text.size()] = '\0';
    *out = copy;
    if (out_len) *out_len = text.size();
}

// Checks the (out, out_len) pair of a byte-returning function and clears both.
inline void byte_output(char** out, size_t* out_len) {
    output(out, "out");
    if (out_len) *out_len = 0;
}

// The Authorization header a host passed: (NULL, 0) is the host saying "no header", which the
// flow answers with NO_AUTH_HEADER.
inline std::string_view header_text(const char* header, size_t header_len) {
    return header == nullptr && header_len == 0 ? std::string_view() : bytes(header, header_len, "header");
}

// Hands a successful authentication's token and key (each output may be NULL) to the caller:
// both or neither.
inline void give_authentication(ajwt::Authentication result, ajwt_token** token_out, ajwt_key** key_out) {
    std::unique_ptr<ajwt_token> token;
    std::unique_ptr<ajwt_key> key;
    if (token_out) token.reset(new ajwt_token{std::move(result.token)});
    if (key_out) key.reset(new ajwt_key{std::move(result.key)});
    if (token_out) *token_out = token.release();
    if (key_out) *key_out = key.release();
}

// "<text> (<number>)" for a status a host callback returned (any integer).
inline std::string status_text(const ajwt_status& status) {
    const long long value = enum_value(status);
    return std::string(status_string(value)) + " (" + std::to_string(value) + ")";
}

}  // namespace ajwt_capi
