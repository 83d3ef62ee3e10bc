// One authentication split at its host lookups, for asynchronous hosts: the host reads the
// claimed username and kid, fetches the keys with its own (async) client, and records the
// nonce in its own store. The same steps as Authenticator::authenticate, in the same order.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "authenticator.hpp"

namespace ajwt {

class PendingAuthentication {
public:
    // Phase 1: method word → token parse. No repository function is called.
    PendingAuthentication(std::shared_ptr<const Authenticator> authenticator, std::string_view header);

    const ParsedToken& token() const noexcept { return token_; }

    // Phase 2, once: `keys` NULL = the user does not exist (decoy check, then UNKNOWN_USER).
    // Signature (kid first) → registered claims → time → request binding. No nonce store.
    void verify(const KeySet* keys, int64_t now, const RequestDetails* request);
    bool verified() const noexcept { return stage_ == Stage::Verified; }
    // After a successful verify: where and how long the host records the nonce.
    const std::string& nonce_key() const;
    int64_t nonce_ttl() const;

    // Phase 3, once, after a successful verify: the host's nonce outcome decides.
    Authentication finish(NonceOutcome outcome);

private:
    enum class Stage { Begun, Verified, Done };
    void require_stage(Stage stage, const char* what) const;

    std::shared_ptr<const Authenticator> authenticator_;
    ParsedToken token_;
    Stage stage_ = Stage::Begun;
    KeyPtr signer_;
    int64_t now_ = 0;
    std::string nonce_key_;
};

}  // namespace ajwt
