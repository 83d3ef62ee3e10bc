// Verification policy and the verify steps: signature, time window, nonce.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "ajwt.h"
#include "key.hpp"
#include "keyset.hpp"
#include "nonce_store.hpp"
#include "token.hpp"

namespace ajwt {

// The verifier's `now`: whole Unix seconds (the C ABI's int64 now), or a fractional host clock
// (Python's time.time()) as its floor plus the fraction in [0, 1).
struct Clock {
    int64_t seconds = 0;
    double fraction = 0;
    Clock(int64_t whole_seconds) : seconds(whole_seconds) {}  // NOLINT: implicit, as int64 now
    // INVALID_ARGUMENT unless finite and within ±9e18.
    static Clock from_seconds(double now);
};

struct VerifierPolicy {
    int64_t tolerance = AJWT_DEFAULT_TOLERANCE;
    std::vector<ajwt_alg> algorithms = {};  // empty = every key type's defaults (no PS*)
    size_t max_token_size = AJWT_DEFAULT_MAX_TOKEN_SIZE;
    std::shared_ptr<NonceStore> nonce_store;
    int64_t leeway = AJWT_DEFAULT_LEEWAY;  // for exp/nbf/iat
    ajwt_compat compat = AJWT_COMPAT_STRICT;
    ajwt_binding_policy binding = AJWT_BINDING_OFF;
    std::optional<std::string> audience;  // for the ajwt_aud claim (never "aud")
};

class Verifier {
public:
    Verifier() = default;
    explicit Verifier(VerifierPolicy policy);

    const VerifierPolicy& policy() const noexcept { return policy_; }
    // Setters validate (INVALID_ARGUMENT) and are not synchronised with verification.
    void set_tolerance(int64_t seconds);
    void set_leeway(int64_t seconds);
    void set_compat(ajwt_compat compat);
    void set_algorithms(std::vector<ajwt_alg> algorithms);
    void set_max_token_size(size_t size);
    void set_nonce_store(std::shared_ptr<NonceStore> store);
    void set_binding(ajwt_binding_policy policy);
    void set_audience(std::optional<std::string> audience);  // empty = none

    ParsedToken parse(std::string_view token) const;
    // ALGORITHM_NOT_ALLOWED unless the token's alg is in the policy and fits the key;
    // BAD_SIGNATURE unless the signature verifies.
    void check_signature(const ParsedToken& token, const Key& key) const;
    // PyJWT 2.x's checks, in its order: iat (type, then > now + leeway → IAT_FUTURE), nbf
    // (> now + leeway → NOT_YET_VALID), exp (<= now - leeway → EXP_PASSED), aud (present →
    // AUDIENCE), sub, jti (not strings → REGISTERED_CLAIM). A wrong type is REGISTERED_CLAIM.
    void check_registered_claims(const ParsedToken& token, int64_t now) const;
    // TOKEN_EXPIRED / TOKEN_FROM_FUTURE outside |time - now| <= tolerance (a fractional time
    // compared exactly).
    void check_time(const ParsedToken& token, Clock now) const;
    // The store's check-and-record, if there is a store.
    void check_nonce(const ParsedToken& token, int64_t now) const;
    // The request-binding claims against the request and the audience (check_binding in
    // request_binding.hpp); `request` NULL = nothing known of the request.
    void check_request(const ParsedToken& token, const RequestDetails* request) const;
    // Signature → registered claims → time → request binding → nonce.
    void verify(const ParsedToken& token, const Key& key, Clock now, const RequestDetails* request = nullptr) const;
    // The kid's member first, then the others whose type fits the alg. NO_MATCHING_KEY when no
    // member can take the token's alg; BAD_SIGNATURE when none verifies. Returns the member.
    const KeyPtr& verify(const ParsedToken& token, const KeySet& keys, Clock now,
                         const RequestDetails* request = nullptr) const;
    // As verify over a set, without the nonce step (hosts that record nonces themselves).
    const KeyPtr& verify_signed_claims(const ParsedToken& token, const KeySet& keys, Clock now,
                                       const RequestDetails* request = nullptr) const;
    // Signature only, over a key set (kid first): the member that verified.
    const KeyPtr& find_signer(const ParsedToken& token, const KeySet& keys) const;
    bool allows(ajwt_alg alg) const noexcept;

private:
    VerifierPolicy policy_;
};

}  // namespace ajwt
