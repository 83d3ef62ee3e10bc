#include "verifier.hpp"

#include <algorithm>
#include <cmath>

#include "algorithm.hpp"
#include "error.hpp"
#include "signature.hpp"

namespace ajwt {
namespace {

constexpr int64_t kMaxTolerance = 86400;

const char* name_or_unknown(ajwt_alg alg) noexcept {
    const char* name = alg_name(alg);
    return name ? name : "unknown";
}

}  // namespace

Verifier::Verifier(VerifierPolicy policy) {
    set_tolerance(policy.tolerance);
    set_leeway(policy.leeway);
    set_compat(policy.compat);
    if (!policy.algorithms.empty()) set_algorithms(std::move(policy.algorithms));
    set_max_token_size(policy.max_token_size);
    set_nonce_store(std::move(policy.nonce_store));
    set_binding(policy.binding);
    set_audience(std::move(policy.audience));
}

void Verifier::set_binding(ajwt_binding_policy policy) {
    if (policy != AJWT_BINDING_OFF && policy != AJWT_BINDING_WHEN_PRESENT && policy != AJWT_BINDING_REQUIRED)
        throw Error(AJWT_ERR_INVALID_ARGUMENT, "unknown request binding policy");
    policy_.binding = policy;
}

void Verifier::set_audience(std::optional<std::string> audience) {
    if (audience) validate_audience(*audience);
    policy_.audience = std::move(audience);
}

void Verifier::check_request(const ParsedToken& token, const RequestDetails* request) const {
    check_binding(token.bound(), policy_.binding, policy_.audience, request);
}

void Verifier::set_tolerance(int64_t seconds) {
    if (seconds < 0 || seconds > kMaxTolerance)
        throw Error(AJWT_ERR_INVALID_ARGUMENT, "tolerance must be 0.." + std::to_string(kMaxTolerance) + " seconds");
    policy_.tolerance = seconds;
}

void Verifier::set_leeway(int64_t seconds) {
    if (seconds < 0 || seconds > kMaxTolerance)
        throw Error(AJWT_ERR_INVALID_ARGUMENT, "leeway must be 0.." + std::to_string(kMaxTolerance) + " seconds");
    policy_.leeway = seconds;
}

void Verifier::set_compat(ajwt_compat compat) {
    if (compat != AJWT_COMPAT_STRICT && compat != AJWT_COMPAT_1X)
        throw Error(AJWT_ERR_INVALID_ARGUMENT, "unknown token policy");
    policy_.compat = compat;
}

void Verifier::set_algorithms(std::vector<ajwt_alg> algorithms) {
    if (algorithms.empty()) throw Error(AJWT_ERR_INVALID_ARGUMENT, "the algorithm list must not be empty");
    for (ajwt_alg alg : algorithms)
        if (!alg_is_valid(alg))
            throw Error(AJWT_ERR_INVALID_ARGUMENT, "unknown algorithm " + std::to_string(static_cast<int>(alg)));
    policy_.algorithms = std::move(algorithms);
}

void Verifier::set_max_token_size(size_t size) {
    if (size < kMinTokenSizeLimit || size > kMaxTokenSizeLimit)
        throw Error(AJWT_ERR_INVALID_ARGUMENT, "max token size must be " + std::to_string(kMinTokenSizeLimit) + ".." +
                                                   std::to_string(kMaxTokenSizeLimit) + " bytes");
    policy_.max_token_size = size;
}

void Verifier::set_nonce_store(std::shared_ptr<NonceStore> store) { policy_.nonce_store = std::move(store); }

ParsedToken Verifier::parse(std::string_view token) const {
    return parse_token(token, policy_.max_token_size, policy_.compat);
}

bool Verifier::allows(ajwt_alg alg) const noexcept {
    const auto& list = policy_.algorithms.empty() ? all_default_algorithms() : policy_.algorithms;
    return std::find(list.begin(), list.end(), alg) != list.end();
}

void Verifier::check_signature(const ParsedToken& token, const Key& key) const {
    const ajwt_alg alg = token.alg();
    if (!allows(alg))
        throw TokenError(AJWT_ERR_ALGORITHM_NOT_ALLOWED,
                         std::string("algorithm ") + name_or_unknown(alg) + " is not allowed by this verifier");
    if (!key.supports(alg))
        throw TokenError(AJWT_ERR_ALGORITHM_NOT_ALLOWED,
                         std::string("algorithm ") + name_or_unknown(alg) + " cannot be used with this key type");
    if (!verify_bytes(key, alg, token.signing_input(), token.signature()))
        throw TokenError(AJWT_ERR_BAD_SIGNATURE, "signature does not verify");
}

void Verifier::check_registered_claims(const ParsedToken& token, int64_t now) const {
    const RegisteredClaims& claims = token.registered();
    const int64_t leeway = policy_.leeway;
    // Dates are within ±2^62 and leeway within a day, so moving leeway to their side cannot
    // overflow, whatever int64 `now` the host passes.
    if (claims.iat.state == NumericDate::State::Invalid)
        throw TokenError(AJWT_ERR_TOKEN_REGISTERED_CLAIM, "claim \"iat\" must be a number");
    if (claims.iat.state == NumericDate::State::Number && claims.iat.value - leeway > now)
        throw TokenError(AJWT_ERR_TOKEN_IAT_FUTURE, "token is not yet valid (iat is in the future)");
    if (claims.nbf.state == NumericDate::State::Invalid)
        throw TokenError(AJWT_ERR_TOKEN_REGISTERED_CLAIM, "claim \"nbf\" must be a number");
    if (claims.nbf.state == NumericDate::State::Number && claims.nbf.value - leeway > now)
        throw TokenError(AJWT_ERR_TOKEN_NOT_YET_VALID, "token is not yet valid (nbf)");
    if (claims.exp.state == NumericDate::State::Invalid)
        throw TokenError(AJWT_ERR_TOKEN_REGISTERED_CLAIM, "claim \"exp\" must be a number");
    if (claims.exp.state == NumericDate::State::Number && claims.exp.value + leeway <= now)
        throw TokenError(AJWT_ERR_TOKEN_EXP_PASSED, "token has expired (exp)");
    if (claims.audience)
        throw TokenError(AJWT_ERR_TOKEN_AUDIENCE, "token names an audience (aud) and none is configured");
    if (claims.subject_invalid) throw TokenError(AJWT_ERR_TOKEN_REGISTERED_CLAIM, "claim \"sub\" must be a string");
    if (claims.id_invalid) throw TokenError(AJWT_ERR_TOKEN_REGISTERED_CLAIM, "claim \"jti\" must be a string");
}

Clock Clock::from_seconds(double now) {
    if (!std::isfinite(now) || std::fabs(now) > 9.0e18)
        throw Error(AJWT_ERR_INVALID_ARGUMENT, "now must be a finite number of seconds");
    const double whole = std::floor(now);
    Clock clock(static_cast<int64_t>(whole));
    clock.fraction = now - whole;
    return clock;
}

void Verifier::check_time(const ParsedToken& token, Clock now) const {
    // t = floor_t + frac_t against now = floor_n + frac_n, both fractions in [0, 1), exactly:
    // t < now - tolerance  ⇔  d < frac_n - frac_t with d = floor_t - floor_n + tolerance, an
    // integer against a value in (-1, 1): d < 0, or d == 0 and frac_n > frac_t. The future
    // bound likewise with e = floor_t - floor_n - tolerance: e > 0, or e == 0 and frac_t > frac_n.
    // |floor_t| <= 2^40 and tolerance <= 1 day, so clamping floor_n to ±2^42 keeps every sign and
    // no subtraction can overflow, whatever int64 `now` the host passes.
    const int64_t token_floor = token.claims().time;
    const double token_fraction = token.exact_time() - static_cast<double>(token_floor);
    constexpr int64_t kClamp = int64_t{1} << 42;
    const int64_t now_floor = std::clamp(now.seconds, -kClamp, kClamp);
    const int64_t tolerance = policy_.tolerance;
    const int64_t d = token_floor - now_floor + tolerance;
    if (d < 0 || (d == 0 && now.fraction > token_fraction))
        throw TokenError(AJWT_ERR_TOKEN_EXPIRED,
                         "token time is more than " + std::to_string(tolerance) + " seconds in the past");
    const int64_t e = token_floor - now_floor - tolerance;
    if (e > 0 || (e == 0 && token_fraction > now.fraction))
        throw TokenError(AJWT_ERR_TOKEN_FROM_FUTURE,
                         "token time is more than " + std::to_string(tolerance) + " seconds in the future");
}

void Verifier::check_nonce(const ParsedToken& token, int64_t now) const {
    if (!policy_.nonce_store) return;
    const Claims& claims = token.claims();
    policy_.nonce_store->check_and_record(claims.username, claims.time, claims.nonce, now);
}

// Registered claims compare integers (PyJWT's int() of the claim) with the clock: against a
// fractional clock, comparing with its floor gives exactly the same answers.
void Verifier::verify(const ParsedToken& token, const Key& key, Clock now, const RequestDetails* request) const {
    check_signature(token, key);
    check_registered_claims(token, now.seconds);
    check_time(token, now);
    check_request(token, request);
    check_nonce(token, now.seconds);
}

const KeyPtr& Verifier::verify(const ParsedToken& token, const KeySet& keys, Clock now,
                               const RequestDetails* request) const {
    const KeyPtr& signer = verify_signed_claims(token, keys, now, request);
    check_nonce(token, now.seconds);
    return signer;
}

const KeyPtr& Verifier::verify_signed_claims(const ParsedToken& token, const KeySet& keys, Clock now,
                                             const RequestDetails* request) const {
    const KeyPtr& signer = find_signer(token, keys);
    check_registered_claims(token, now.seconds);
    check_time(token, now);
    check_request(token, request);
    return signer;
}

const KeyPtr& Verifier::find_signer(const ParsedToken& token, const KeySet& keys) const {
    const ajwt_alg alg = token.alg();
    if (!allows(alg))
        throw TokenError(AJWT_ERR_ALGORITHM_NOT_ALLOWED,
                         std::string("algorithm ") + name_or_unknown(alg) + " is not allowed by this verifier");
    bool any_candidate = false;
    // The member the kid names first: normally the only verification a request costs.
    const KeyPtr* named = token.kid() ? keys.find(*token.kid()) : nullptr;
    const Key* tried = nullptr;
    if (named != nullptr && *named && (*named)->supports(alg)) {
        any_candidate = true;
        tried = named->get();
        if (verify_bytes(**named, alg, token.signing_input(), token.signature())) return *named;
    }
    for (const KeyPtr& key : keys.keys()) {
        if (!key || key.get() == tried || !key->supports(alg)) continue;
        any_candidate = true;
        if (verify_bytes(*key, alg, token.signing_input(), token.signature())) return key;
    }
    if (!any_candidate)
        throw TokenError(AJWT_ERR_NO_MATCHING_KEY,
                         std::string("no key of this user can verify ") + name_or_unknown(alg) + " signatures");
    throw TokenError(AJWT_ERR_BAD_SIGNATURE, "signature does not verify with any of the user's keys");
}

}  // namespace ajwt
