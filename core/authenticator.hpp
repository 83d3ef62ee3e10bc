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
    // Optional: told which key verified.
    std::function<void(std::string_view username, const KeyPtr& key)> key_used;
};

struct Authentication {
    ParsedToken token;
    KeyPtr key;
};

class Authenticator {
public:
    Authenticator(Verifier verifier, Repository repository, std::string method = std::string(kDefaultAuthMethod));
    void set_method(std::string method);
    Repository& repository() noexcept { return repository_; }

    // parse → method → claimed username → user exists → keys (kid first) → signature →
    // registered claims → time → nonce → key used. Throws Error with the failing step's
    // status. An unknown user's token is checked against a decoy key first (equal time).
    // `request` (may be NULL): the request, for the verifier's binding policy.
    Authentication authenticate(std::string_view header, int64_t now, const RequestDetails* request = nullptr) const;

private:
    std::string_view token_part(std::string_view header) const;
    KeySet collect_keys(const ParsedToken& token) const;
    void check_decoy(const ParsedToken& token) const;

    Verifier verifier_;
    Repository repository_;
    std::string method_;
};

}  // namespace ajwt
