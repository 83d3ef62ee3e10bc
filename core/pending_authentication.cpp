#include "pending_authentication.hpp"

#include "error.hpp"
#include "nonce_key.hpp"

namespace ajwt {

PendingAuthentication::PendingAuthentication(std::shared_ptr<const Authenticator> authenticator,
                                             std::string_view header)
    : authenticator_(std::move(authenticator)),
      token_(authenticator_ ? authenticator_->read_header(header)
                            : throw Error(AJWT_ERR_INVALID_ARGUMENT, "no authenticator")) {}

void PendingAuthentication::require_stage(Stage stage, const char* what) const {
    if (stage_ == stage) return;
    if (stage == Stage::Begun) throw Error(AJWT_ERR_INVALID_ARGUMENT, std::string(what) + ": already verified once");
    throw Error(AJWT_ERR_INVALID_ARGUMENT, std::string(what) + ": needs a successful verify and no finish yet");
}

void PendingAuthentication::verify(const KeySet* keys, int64_t now, const RequestDetails* request) {
    require_stage(Stage::Begun, "verify");
    // One attempt: a failed pending authentication cannot be retried with other keys.
    stage_ = Stage::Done;
    signer_ = authenticator_->check_token(token_, keys, now, request);
    const Claims& claims = token_.claims();
    nonce_key_ = ajwt::nonce_key(claims.username, claims.time, claims.nonce);
    now_ = now;
    stage_ = Stage::Verified;
}

const std::string& PendingAuthentication::nonce_key() const {
    require_stage(Stage::Verified, "nonce key");
    return nonce_key_;
}

int64_t PendingAuthentication::nonce_ttl() const {
    require_stage(Stage::Verified, "nonce ttl");
    return ajwt::nonce_ttl(authenticator_->verifier().policy().tolerance);
}

Authentication PendingAuthentication::finish(NonceOutcome outcome) {
    require_stage(Stage::Verified, "finish");
    stage_ = Stage::Done;
    authenticator_->settle_nonce(token_, outcome, now_);
    return Authentication{token_, signer_};  // the token stays readable through token()
}

}  // namespace ajwt
