/* ajwt.hpp — the header-only C++17 API over the public C ABI (ajwt.h), installed beside it.
 *
 * Owns every handle with a unique_ptr whose deleter is the matching ajwt_*_free (the
 * *Handle aliases, for code that calls ajwt.h itself), turns failing statuses into one
 * exception, ajwt_cpp::Error (the ajwt_status and the library's message), and copies
 * library-allocated bytes into std::string (releasing them with ajwt_free). Verification
 * results are returned as a Result instead of thrown, because a rejected token is an
 * expected outcome, not an error.
 *
 * It depends on nothing but ajwt.h and the standard library. Users: the ajwt tool, the
 * Python module, the C ABI tests. */
#ifndef AJWT_HPP
#define AJWT_HPP

#include <cstdint>
#include <cstring>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "ajwt.h"

namespace ajwt_cpp {

// A failing ajwt_status with the library's message.
class Error : public std::runtime_error {
public:
    Error(ajwt_status status, const std::string& message) : std::runtime_error(message), status_(status) {}
    ajwt_status status() const noexcept { return status_; }

private:
    ajwt_status status_;
};

// Outcome of a verification: status AJWT_OK or the reason for rejection.
struct Result {
    ajwt_status status = AJWT_OK;
    std::string message;
    bool ok() const noexcept { return status == AJWT_OK; }
};

// The error's message: the library's detail, or the static status text when there is none.
inline std::string message_of(ajwt_status status, const ajwt_error& err) {
    const void* nul = std::memchr(err.message, '\0', sizeof err.message);
    const size_t length = nul ? static_cast<size_t>(static_cast<const char*>(nul) - err.message) : sizeof err.message;
    if (length != 0) return std::string(err.message, length);
    return std::string(ajwt_status_str(status));
}

// Throws Error unless `status` is AJWT_OK.
inline void check(ajwt_status status, const ajwt_error& err) {
    if (status != AJWT_OK) throw Error(status, message_of(status, err));
}

inline Result result_of(ajwt_status status, const ajwt_error& err) {
    if (status == AJWT_OK) return {};
    return Result{status, message_of(status, err)};
}

namespace detail {

template <class T, void (*Free)(T*)>
struct Deleter {
    void operator()(T* p) const noexcept { Free(p); }
};

inline void release_bytes(char* p) noexcept { ajwt_free(p); }

inline std::string copy(const char* data, size_t len) { return data ? std::string(data, len) : std::string(); }

}  // namespace detail

using KeyHandle = std::unique_ptr<ajwt_key, detail::Deleter<ajwt_key, ajwt_key_free>>;
using KeySetHandle = std::unique_ptr<ajwt_keyset, detail::Deleter<ajwt_keyset, ajwt_keyset_free>>;
using TokenHandle = std::unique_ptr<ajwt_token, detail::Deleter<ajwt_token, ajwt_token_free>>;
using NonceStoreHandle = std::unique_ptr<ajwt_nonce_store, detail::Deleter<ajwt_nonce_store, ajwt_nonce_store_free>>;
using VerifierHandle = std::unique_ptr<ajwt_verifier, detail::Deleter<ajwt_verifier, ajwt_verifier_free>>;
using AuthenticatorHandle =
    std::unique_ptr<ajwt_authenticator, detail::Deleter<ajwt_authenticator, ajwt_authenticator_free>>;
// Bytes the library allocated (released with ajwt_free).
using BytesHandle = std::unique_ptr<char, detail::Deleter<char, detail::release_bytes>>;

// Takes bytes the library allocated and releases them; `secret` ones (private key text) are
// wiped first, so only the returned string holds them.
inline std::string take(char* data, size_t len, bool secret = false) {
    BytesHandle owner(data);
    if (!data) return std::string();
    std::string text(data, len);
    if (secret) {
        volatile char* p = data;
        for (size_t i = 0; i < len; ++i) p[i] = 0;
    }
    return text;
}

inline std::string version() { return ajwt_version(); }
inline std::string status_text(ajwt_status status) { return ajwt_status_str(status); }
inline int64_t now() { return ajwt_now(); }

// JOSE name of an algorithm; "" for AJWT_ALG_UNKNOWN.
inline std::string alg_name(ajwt_alg alg) {
    const char* name = ajwt_alg_name(alg);
    return name ? std::string(name) : std::string();
}
inline ajwt_alg alg_from_name(std::string_view name) { return ajwt_alg_from_name(name.data(), name.size()); }

// A parsed key (public or private). Immutable; copies share nothing but are cheap to make
// through public_key() for public keys (the library reference-counts them).
class Key {
public:
    explicit Key(KeyHandle handle) : handle_(std::move(handle)) {
        if (!handle_) throw Error(AJWT_ERR_INVALID_ARGUMENT, "null key handle");
    }

    static Key load_public(std::string_view text, ajwt_key_format format = AJWT_FORMAT_ANY) {
        ajwt_error err{};
        ajwt_key* out = nullptr;
        check(ajwt_key_load_public(text.data(), text.size(), format, &out, &err), err);
        return Key(KeyHandle(out));
    }

    static Key load_private(std::string_view text, const std::optional<std::string_view>& password = std::nullopt) {
        ajwt_error err{};
        ajwt_key* out = nullptr;
        const char* pw = password ? password->data() : nullptr;
        if (password && pw == nullptr) pw = "";  // an empty password is a password, not "none"
        const size_t pw_len = password ? password->size() : 0;
        check(ajwt_key_load_private(text.data(), text.size(), pw, pw_len, &out, &err), err);
        return Key(KeyHandle(out));
    }

    static Key generate(ajwt_key_type type, unsigned rsa_bits = 0, uint64_t rsa_exponent = 0) {
        ajwt_error err{};
        ajwt_key* out = nullptr;
        check(ajwt_key_generate(type, rsa_bits, rsa_exponent, &out, &err), err);
        return Key(KeyHandle(out));
    }

    // A new owning reference to a borrowed key (e.g. a key set member).
    static Key reference(const ajwt_key* key) {
        ajwt_error err{};
        ajwt_key* out = nullptr;
        check(ajwt_key_public(key, &out, &err), err);
        return Key(KeyHandle(out));
    }

    Key public_key() const { return reference(get()); }

    const ajwt_key* get() const noexcept { return handle_.get(); }
    ajwt_key_type type() const noexcept { return ajwt_key_get_type(get()); }
    bool is_private() const noexcept { return ajwt_key_is_private(get()) != 0; }
    unsigned bits() const noexcept { return ajwt_key_bits(get()); }

    std::string comment() const {
        size_t len = 0;
        const char* text = ajwt_key_comment(get(), &len);
        return detail::copy(text, len);
    }

    std::string fingerprint() const {
        ajwt_error err{};
        char out[AJWT_FINGERPRINT_SIZE] = {};
        check(ajwt_key_fingerprint(get(), out, &err), err);
        return std::string(out);
    }

    std::vector<ajwt_alg> algorithms() const {
        ajwt_alg buffer[16];
        const size_t count = ajwt_key_algorithms(get(), buffer, 16);
        std::vector<ajwt_alg> algs(buffer, buffer + (count < 16 ? count : 16));
        return algs;
    }

    bool supports(ajwt_alg alg) const noexcept { return ajwt_key_supports_alg(get(), alg) != 0; }

    std::string export_as(ajwt_export_format format,
                          const std::optional<std::string_view>& password = std::nullopt) const {
        ajwt_error err{};
        char* out = nullptr;
        size_t out_len = 0;
        const char* pw = password ? password->data() : nullptr;
        if (password && pw == nullptr) pw = "";  // an empty password is a password, not "none"
        const size_t pw_len = password ? password->size() : 0;
        check(ajwt_key_export(get(), format, pw, pw_len, &out, &out_len, &err), err);
        return take(out, out_len, format == AJWT_EXPORT_PRIVATE_PKCS8);
    }

    bool same_public_key(const Key& other) const noexcept { return ajwt_key_equal(get(), other.get()) != 0; }

private:
    KeyHandle handle_;
};

// A parsed, not yet trusted token.
class Token {
public:
    explicit Token(TokenHandle handle) : handle_(std::move(handle)) {
        if (!handle_) throw Error(AJWT_ERR_INVALID_ARGUMENT, "null token handle");
    }

    static Token parse(std::string_view text, size_t max_size = 0) {
        ajwt_error err{};
        ajwt_token* out = nullptr;
        check(ajwt_token_parse(text.data(), text.size(), max_size, &out, &err), err);
        return Token(TokenHandle(out));
    }

    const ajwt_token* get() const noexcept { return handle_.get(); }

    std::string username() const {
        size_t len = 0;
        const char* text = ajwt_token_username(get(), &len);
        return detail::copy(text, len);
    }
    std::string nonce() const {
        size_t len = 0;
        const char* text = ajwt_token_nonce(get(), &len);
        return detail::copy(text, len);
    }
    int64_t time() const noexcept { return ajwt_token_time(get()); }
    double exact_time() const noexcept { return ajwt_token_time_exact(get()); }
    ajwt_alg alg() const noexcept { return ajwt_token_alg(get()); }
    std::optional<std::string> kid() const {
        size_t len = 0;
        const char* text = ajwt_token_kid(get(), &len);
        if (!text) return std::nullopt;
        return std::string(text, len);
    }

private:
    TokenHandle handle_;
};

// A set of public keys (e.g. a JWKS document).
class KeySet {
public:
    KeySet() {
        ajwt_error err{};
        ajwt_keyset* out = nullptr;
        check(ajwt_keyset_new(&out, &err), err);
        handle_.reset(out);
    }

    static KeySet parse_jwks(std::string_view json) {
        KeySet set;
        set.add_jwks(json);
        return set;
    }

    void add(const Key& key) {
        ajwt_error err{};
        check(ajwt_keyset_add(get(), key.get(), &err), err);
    }
    void add_text(std::string_view text, ajwt_key_format format = AJWT_FORMAT_ANY) {
        ajwt_error err{};
        check(ajwt_keyset_add_text(get(), text.data(), text.size(), format, &err), err);
    }
    void add_jwks(std::string_view json) {
        ajwt_error err{};
        check(ajwt_keyset_add_jwks(get(), json.data(), json.size(), &err), err);
    }

    ajwt_keyset* get() noexcept { return handle_.get(); }
    const ajwt_keyset* get() const noexcept { return handle_.get(); }
    size_t size() const noexcept { return ajwt_keyset_count(get()); }
    const ajwt_key* borrow(size_t index) const noexcept { return ajwt_keyset_get(get(), index); }
    Key at(size_t index) const {
        const ajwt_key* key = borrow(index);
        if (!key) throw std::out_of_range("key set index out of range");
        return Key::reference(key);
    }

    // Index of a borrowed member pointer, or nullopt.
    std::optional<size_t> index_of(const ajwt_key* member) const noexcept {
        if (!member) return std::nullopt;
        for (size_t i = 0, n = size(); i < n; ++i)
            if (borrow(i) == member) return i;
        return std::nullopt;
    }

    std::optional<size_t> find(std::string_view kid) const noexcept {
        return index_of(ajwt_keyset_find(get(), kid.data(), kid.size()));
    }

    std::vector<std::string> skipped() const {
        std::vector<std::string> reasons;
        for (size_t i = 0, n = ajwt_keyset_skipped_count(get()); i < n; ++i) {
            const char* reason = ajwt_keyset_skipped_reason(get(), i);
            reasons.emplace_back(reason ? reason : "");
        }
        return reasons;
    }

    std::string to_jwks() const {
        ajwt_error err{};
        char* out = nullptr;
        size_t out_len = 0;
        check(ajwt_keyset_to_jwks(get(), &out, &out_len, &err), err);
        return take(out, out_len);
    }

private:
    KeySetHandle handle_;
};

// A nonce store: the built-in memory store or one backed by a host callback.
class NonceStore {
public:
    explicit NonceStore(NonceStoreHandle handle) : handle_(std::move(handle)) {
        if (!handle_) throw Error(AJWT_ERR_INVALID_ARGUMENT, "null nonce store handle");
    }

    static NonceStore memory(int64_t ttl_seconds = 0, size_t max_entries = 0, size_t max_entries_per_user = 0) {
        ajwt_error err{};
        ajwt_nonce_store* out = nullptr;
        check(ajwt_nonce_store_new_memory_with_user_cap(ttl_seconds, max_entries, max_entries_per_user, &out, &err),
              err);
        return NonceStore(NonceStoreHandle(out));
    }

    // `destroy(user_data)` runs when the library drops its last reference, also on failure here.
    static NonceStore callback(ajwt_nonce_callback check_and_record, void* user_data, void (*destroy)(void*)) {
        ajwt_error err{};
        ajwt_nonce_store* out = nullptr;
        const ajwt_status status = ajwt_nonce_store_new_callback(check_and_record, user_data, destroy, &out, &err);
        if (status != AJWT_OK && destroy) destroy(user_data);
        check(status, err);
        return NonceStore(NonceStoreHandle(out));
    }

    Result check_and_record(std::string_view username, int64_t time, std::string_view nonce, int64_t now) {
        ajwt_error err{};
        const ajwt_status status = ajwt_nonce_store_check_and_record(handle_.get(), username.data(), username.size(),
                                                                     time, nonce.data(), nonce.size(), now, &err);
        return result_of(status, err);
    }

    size_t size() const noexcept { return ajwt_nonce_store_size(handle_.get()); }
    ajwt_nonce_store* get() const noexcept { return handle_.get(); }

private:
    NonceStoreHandle handle_;
};

// Verification policy. Configure first, then share: verify() is safe to call concurrently.
class Verifier {
public:
    Verifier() {
        ajwt_error err{};
        ajwt_verifier* out = nullptr;
        check(ajwt_verifier_new(&out, &err), err);
        handle_.reset(out);
    }

    void set_tolerance(int64_t seconds) {
        ajwt_error err{};
        check(ajwt_verifier_set_tolerance(handle_.get(), seconds, &err), err);
    }
    void set_leeway(int64_t seconds) {
        ajwt_error err{};
        check(ajwt_verifier_set_leeway(handle_.get(), seconds, &err), err);
    }
    void set_compat(ajwt_compat compat) {
        ajwt_error err{};
        check(ajwt_verifier_set_compat(handle_.get(), compat, &err), err);
    }
    void set_algorithms(const std::vector<ajwt_alg>& algs) {
        ajwt_error err{};
        check(ajwt_verifier_set_algorithms(handle_.get(), algs.data(), algs.size(), &err), err);
    }
    void set_max_token_size(size_t size) {
        ajwt_error err{};
        check(ajwt_verifier_set_max_token_size(handle_.get(), size, &err), err);
    }
    // The verifier keeps its own reference to the store.
    void set_nonce_store(const NonceStore* store) {
        ajwt_error err{};
        check(ajwt_verifier_set_nonce_store(handle_.get(), store ? store->get() : nullptr, &err), err);
    }

    void set_binding(ajwt_binding_policy policy) {
        ajwt_error err{};
        check(ajwt_verifier_set_binding(handle_.get(), policy, &err), err);
    }
    void set_audience(const std::optional<std::string>& audience) {
        ajwt_error err{};
        check(ajwt_verifier_set_audience(handle_.get(), audience ? audience->data() : nullptr,
                                         audience ? audience->size() : 0, &err),
              err);
    }

    // The request-binding step alone (ajwt_check_request_binding); each std::nullopt = unknown.
    Result check_request_binding(const Token& token, const std::optional<std::string>& method,
                                 const std::optional<std::string>& target,
                                 const std::optional<std::string>& body_digest) const {
        ajwt_error err{};
        if (body_digest && body_digest->size() != AJWT_BODY_DIGEST_SIZE)
            return Result{AJWT_ERR_INVALID_ARGUMENT, "the body digest must be 32 bytes (SHA-256)"};
        const ajwt_status status = ajwt_check_request_binding(
            handle_.get(), token.get(), method ? method->data() : nullptr, method ? method->size() : 0,
            target ? target->data() : nullptr, target ? target->size() : 0,
            body_digest ? reinterpret_cast<const uint8_t*>(body_digest->data()) : nullptr, &err);
        return result_of(status, err);
    }

    Token parse(std::string_view text) const {
        ajwt_error err{};
        ajwt_token* out = nullptr;
        check(ajwt_verifier_parse(handle_.get(), text.data(), text.size(), &out, &err), err);
        return Token(TokenHandle(out));
    }

    Result verify(const Token& token, const Key& key, int64_t now) const {
        ajwt_error err{};
        const ajwt_status status = ajwt_verify(handle_.get(), token.get(), key.get(), now, &err);
        return result_of(status, err);
    }

    // As verify, against a fractional clock (ajwt_verify_at).
    Result verify_at(const Token& token, const Key& key, double now) const {
        ajwt_error err{};
        const ajwt_status status = ajwt_verify_at(handle_.get(), token.get(), key.get(), now, &err);
        return result_of(status, err);
    }

    // On success, *used_index receives the index of the member that verified.
    Result verify(const Token& token, const KeySet& keys, int64_t now, std::optional<size_t>* used_index) const {
        ajwt_error err{};
        const ajwt_key* used = nullptr;
        const ajwt_status status = ajwt_verify_keyset(handle_.get(), token.get(), keys.get(), now, &used, &err);
        if (used_index) *used_index = status == AJWT_OK ? keys.index_of(used) : std::nullopt;
        return result_of(status, err);
    }

    // Seconds a host's own store keeps a recorded nonce (ajwt_verifier_nonce_ttl).
    int64_t nonce_ttl() const noexcept { return ajwt_verifier_nonce_ttl(handle_.get()); }

    const ajwt_verifier* get() const noexcept { return handle_.get(); }

private:
    VerifierHandle handle_;
};

// The shared key a host's own nonce store records a used nonce under (ajwt_nonce_key).
inline std::string nonce_key(std::string_view username, int64_t time, std::string_view nonce) {
    ajwt_error err{};
    char out[AJWT_NONCE_KEY_SIZE + 1];
    check(ajwt_nonce_key(username.data(), username.size(), time, nonce.data(), nonce.size(), out, sizeof out, &err),
          err);
    return std::string(out, AJWT_NONCE_KEY_SIZE);
}

// Signs {username, time, nonce}; alg AJWT_ALG_UNKNOWN = the key's preferred algorithm.
inline std::string sign(const Key& private_key, std::string_view username, int64_t time, std::string_view nonce,
                        ajwt_alg alg = AJWT_ALG_UNKNOWN) {
    ajwt_error err{};
    char* out = nullptr;
    size_t out_len = 0;
    check(ajwt_sign(private_key.get(), username.data(), username.size(), time, nonce.data(), nonce.size(), alg, &out,
                    &out_len, &err),
          err);
    return take(out, out_len);
}

// As sign, bound to a request (ajwt_sign_request); each std::nullopt = not bound. body_digest:
// the 32 bytes of SHA-256 over the body.
inline std::string sign_request(const Key& private_key, std::string_view username, int64_t time, std::string_view nonce,
                                ajwt_alg alg, const std::optional<std::string>& method,
                                const std::optional<std::string>& target, const std::optional<std::string>& body_digest,
                                const std::optional<std::string>& audience) {
    ajwt_error err{};
    if (body_digest && body_digest->size() != AJWT_BODY_DIGEST_SIZE)
        throw Error(AJWT_ERR_INVALID_ARGUMENT, "the body digest must be 32 bytes (SHA-256)");
    char* out = nullptr;
    size_t out_len = 0;
    check(
        ajwt_sign_request(private_key.get(), username.data(), username.size(), time, nonce.data(), nonce.size(), alg,
                          method ? method->data() : nullptr, method ? method->size() : 0,
                          target ? target->data() : nullptr, target ? target->size() : 0,
                          body_digest ? reinterpret_cast<const uint8_t*>(body_digest->data()) : nullptr,
                          audience ? audience->data() : nullptr, audience ? audience->size() : 0, &out, &out_len, &err),
        err);
    return take(out, out_len);
}

// The canonical request target (ajwt_request_target_normalize).
inline std::string normalize_target(std::string_view target) {
    ajwt_error err{};
    char* out = nullptr;
    size_t out_len = 0;
    check(ajwt_request_target_normalize(target.data(), target.size(), &out, &out_len, &err), err);
    return take(out, out_len);
}

// "<method> <token>"; std::nullopt = the default method word "JWT".
inline std::string auth_header(const std::optional<std::string_view>& method, std::string_view token) {
    ajwt_error err{};
    char* out = nullptr;
    size_t out_len = 0;
    const char* m = method ? method->data() : nullptr;
    // A present but empty method must reach the library (and be refused), not read as NULL.
    if (method && m == nullptr) m = "";
    check(ajwt_auth_header(m, method ? method->size() : 0, token.data(), token.size(), &out, &out_len, &err), err);
    return take(out, out_len);
}

// A fresh random nonce (ajwt_generate_nonce).
inline std::string generate_nonce() {
    ajwt_error err{};
    char out[AJWT_NONCE_SIZE] = {};
    check(ajwt_generate_nonce(out, &err), err);
    return std::string(out);
}

// SHA-256 of a request body as the binding claims use it (ajwt_body_digest), as 32 bytes.
inline std::string body_digest(std::string_view body) {
    ajwt_error err{};
    uint8_t out[AJWT_BODY_DIGEST_SIZE] = {};
    check(ajwt_body_digest(reinterpret_cast<const uint8_t*>(body.data()), body.size(), out, &err), err);
    return std::string(reinterpret_cast<const char*>(out), sizeof out);
}

// The whole server-side flow over repository callbacks (ajwt_authenticator). Configure
// first, then share: authenticate() is safe to call concurrently.
class Authenticator {
public:
    // Copies the verifier's policy (and takes a reference to its nonce store).
    explicit Authenticator(const Verifier& verifier) {
        ajwt_error err{};
        ajwt_authenticator* out = nullptr;
        check(ajwt_authenticator_new(verifier.get(), &out, &err), err);
        handle_.reset(out);
    }

    void set_method(std::string_view method) {
        ajwt_error err{};
        check(ajwt_authenticator_set_method(handle_.get(), method.data(), method.size(), &err), err);
    }
    void set_user_keys(ajwt_user_keys_callback cb, void* user_data) {
        ajwt_error err{};
        check(ajwt_authenticator_set_user_keys(handle_.get(), cb, user_data, &err), err);
    }
    void set_user_exists(ajwt_user_exists_callback cb, void* user_data) {
        ajwt_error err{};
        check(ajwt_authenticator_set_user_exists(handle_.get(), cb, user_data, &err), err);
    }

    // Authenticates an Authorization header value; on success *token (if given) is the token.
    Result authenticate(std::string_view header, int64_t now, std::optional<Token>* token = nullptr) const {
        ajwt_error err{};
        ajwt_token* out = nullptr;
        const ajwt_status status =
            ajwt_authenticate(handle_.get(), header.data(), header.size(), now, token ? &out : nullptr, nullptr, &err);
        return finish(status, err, out, token);
    }

    // As authenticate, with the request for the binding policy; each std::nullopt = unknown.
    // body_digest: the 32 bytes of body_digest().
    Result authenticate_request(std::string_view header, int64_t now, const std::optional<std::string>& method,
                                const std::optional<std::string>& target, const std::optional<std::string>& body_digest,
                                std::optional<Token>* token = nullptr) const {
        if (body_digest && body_digest->size() != AJWT_BODY_DIGEST_SIZE)
            return Result{AJWT_ERR_INVALID_ARGUMENT, "the body digest must be 32 bytes (SHA-256)"};
        ajwt_error err{};
        ajwt_token* out = nullptr;
        const ajwt_status status = ajwt_authenticate_request(
            handle_.get(), header.data(), header.size(), now, method ? method->data() : nullptr,
            method ? method->size() : 0, target ? target->data() : nullptr, target ? target->size() : 0,
            body_digest ? reinterpret_cast<const uint8_t*>(body_digest->data()) : nullptr, token ? &out : nullptr,
            nullptr, &err);
        return finish(status, err, out, token);
    }

    const ajwt_authenticator* get() const noexcept { return handle_.get(); }

private:
    static Result finish(ajwt_status status, const ajwt_error& err, ajwt_token* out, std::optional<Token>* token) {
        TokenHandle owner(out);
        if (token) {
            token->reset();
            if (owner) token->emplace(std::move(owner));
        }
        return result_of(status, err);
    }

    AuthenticatorHandle handle_;
};

}  // namespace ajwt_cpp

#endif
