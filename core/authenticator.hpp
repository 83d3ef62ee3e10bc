// The whole server-side flow: Authorization header in, authenticated user and key out.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "key.hpp"
#include "keyset.hpp"
#include "token.hpp"
#include "verifier.hpp"

namespace ajwt {

// Host repositories. Each function throws (typically CallbackError) to report failure.
struct Repository {
    // Empty = every claimed user exists.
    std::function<bool(std::string_view username)> user_exists;
    // Required: adds the user's registered keys (kid is a hint).
    std::function<void(std::string_view username, const std::optional<std::string>& kid, KeySet& out)> user_keys;
    // Optional: asked only when user_keys gave no member matching the token's kid.
    std::function<void(std::string_view username, const std::optional<std::string>& kid, KeySet& out)> user_jwks;
    // Optional: keys of the user's trusted JWKS URLs through a JwksCache at the request's
    // `now`; asked after user_jwks, under the same condition.
    std::function<void(std::string_view username, const std::string& kid, int64_t now, KeySet& out)> jwks_cache_keys;
    // Optional: told which key verified.
    std::function<void(std::string_view username, const KeyPtr& key)> key_used;
};

struct Authentication {
    ParsedToken token;
    KeyPtr key;
};

// What the host's own nonce store said about a verified token's nonce (ajwt_nonce_outcome).
enum class NonceOutcome { Recorded, AlreadyRecorded, StoreFailed, UseVerifierStore };

class Authenticator {
public:
    Authenticator(Verifier verifier, Repository repository, std::string method = "JWT");
    void set_method(std::string method);
    Repository& repository() noexcept { return repository_; }

    // parse → method → claimed username → user exists → keys (kid first) → signature →
    // registered claims → time → nonce → key used. Throws Error with the failing step's
    // status. An unknown user's token is checked against a decoy key first (equal time).
    // `request` (may be NULL): the request, for the verifier's binding policy.
    Authentication authenticate(std::string_view header, int64_t now, const RequestDetails* request = nullptr) const;

    // The steps authenticate() runs, for hosts that do the lookups in between themselves
    // (PendingAuthentication); they call no repository function.
    // Method word → token parse (the verifier's size cap and policy).
    ParsedToken read_header(std::string_view header) const;
    // `keys` NULL = the user does not exist: the decoy check, then UNKNOWN_USER. Otherwise
    // signature (kid first) → registered claims → time → request binding; returns the signer.
    KeyPtr check_token(const ParsedToken& token, const KeySet* keys, int64_t now, const RequestDetails* request) const;
    // The nonce step: the host's outcome, or the verifier's store's check-and-record.
    void settle_nonce(const ParsedToken& token, NonceOutcome outcome, int64_t now) const;
    const Verifier& verifier() const noexcept { return verifier_; }

private:
    std::string_view token_part(std::string_view header) const;
    KeySet collect_keys(const ParsedToken& token, int64_t now) const;
    void check_decoy(const ParsedToken& token) const;

    Verifier verifier_;
    Repository repository_;
    std::string method_;
};

}  // namespace ajwt
