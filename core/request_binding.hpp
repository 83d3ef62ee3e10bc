// Opt-in request binding: claims that tie a token to one HTTP request (method, target, body
// digest) and one service (audience), and the verifier's check of them against the request.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "ajwt.h"

namespace ajwt {

// Claim names. Not "aud": asymmetric-jwt-auth 1.x (PyJWT) refuses any token with an "aud".
// 1.x ignores claims it does not know, so a bound token still verifies there.
inline constexpr std::string_view kMethodClaim = "ajwt_method";
inline constexpr std::string_view kTargetClaim = "ajwt_target";
inline constexpr std::string_view kBodyClaim = "ajwt_body";
inline constexpr std::string_view kAudienceClaim = "ajwt_aud";

inline constexpr size_t kMaxHttpMethodSize = 32;
inline constexpr size_t kMaxTargetSize = 4096;
inline constexpr size_t kMaxAudienceSize = 1024;

using BodyDigest = std::array<unsigned char, 32>;  // SHA-256

// One bound claim as read from a token: absent, a usable string, or present but unusable
// (not a string, empty, oversized, not in canonical form).
struct BoundClaim {
    enum class State { Absent, Value, Invalid };
    State state = State::Absent;
    std::string value;
    bool present() const noexcept { return state != State::Absent; }
};

struct BoundClaims {
    BoundClaim method, target, body, audience;
};

// What the signer binds; each member empty = not bound.
struct RequestBindingRequest {
    std::optional<std::string> method;
    std::optional<std::string> target;
    std::optional<BodyDigest> body_digest;
    std::optional<std::string> audience;
};

// What the verifier knows about the request; each member empty = unknown (a token bound to
// it is then refused, fail closed).
struct RequestDetails {
    std::optional<std::string> method;
    std::optional<std::string> target;
    std::optional<BodyDigest> body_digest;
};

// Upper-cased HTTP method token (1..32 tchar). INVALID_ARGUMENT otherwise.
std::string normalize_method(std::string_view method);
// The canonical request target (docs/request-binding.md): origin-form path[?query], scheme
// and authority of an absolute-form target dropped, fragment dropped, empty path "/", empty
// query dropped; percent-encoding normalised (hex upper-cased; in the path, triplets of
// printable ASCII other than / ? # % decoded; in the query only unreserved ones); bytes
// outside printable ASCII, and a '%' that starts no escape, percent-encoded. Idempotent. INVALID_ARGUMENT when empty, over kMaxTargetSize,
// or not a path.
std::string normalize_target(std::string_view target);
BodyDigest body_digest(std::string_view body);
// RFC 9530 Content-Digest member: "sha-256=:<base64 with padding>:".
std::string content_digest_value(const BodyDigest& digest);
// INVALID_ARGUMENT unless 1..kMaxAudienceSize bytes without NUL.
void validate_audience(std::string_view audience);

// The claims signed for `request` (canonical forms), as (name, value) pairs in name order.
BoundClaims bound_claims_for(const RequestBindingRequest& request);

// Off: bound claims ignored (as 1.x does). WhenPresent: each bound claim is checked against
// the request / the audience. Required: method, target and body must be bound, and the
// audience too when one is configured. Refusals: BINDING_METHOD, _TARGET, _BODY, _AUDIENCE,
// _REQUIRED. `request` NULL = nothing known about the request.
void check_binding(const BoundClaims& claims, ajwt_binding_policy policy, const std::optional<std::string>& audience,
                   const RequestDetails* request);

}  // namespace ajwt
