// Compact JWS tokens of the asymmetric-jwt-auth protocol: signing and parsing once.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "ajwt.h"
#include "key.hpp"
#include "request_binding.hpp"

namespace ajwt {

inline constexpr size_t kMaxClaimStringSize = 1024;  // username, nonce, kid
inline constexpr size_t kMinTokenSizeLimit = 64;
inline constexpr size_t kMaxTokenSizeLimit = 1024 * 1024;
// |time| beyond this is refused as out of range (year ~33658): keeps time ± tolerance far from overflow.
inline constexpr int64_t kMaxAbsTime = int64_t{1} << 40;

struct Claims {
    std::string username;
    int64_t time = 0;  // whole seconds; a fractional time (1.x policy) is its floor
    std::string nonce;
};

// A registered time claim (exp, nbf, iat) as PyJWT 2.x reads it: int(value), so a fraction is
// truncated towards zero; kept within ±kMaxNumericDate so that date ± leeway cannot overflow.
struct NumericDate {
    enum class State { Absent, Number, Invalid };
    State state = State::Absent;
    int64_t value = 0;
};
inline constexpr int64_t kMaxNumericDate = int64_t{1} << 62;

// RFC 7519 registered claims the protocol does not use but must not ignore (RFC 8725 §3.10):
// read at parse time, checked after the signature (Verifier::check_registered_claims).
struct RegisteredClaims {
    NumericDate exp, nbf, iat;
    bool audience = false;         // "aud" present with a value Python treats as true
    bool subject_invalid = false;  // "sub" present and not a string
    bool id_invalid = false;       // "jti" present and not a string
};

// An untrusted token, parsed once. Holds its own copy of the text.
class ParsedToken {
public:
    ajwt_alg alg() const noexcept { return alg_; }
    const std::optional<std::string>& kid() const noexcept { return kid_; }
    const Claims& claims() const noexcept { return claims_; }
    // The claimed time as sent: claims().time plus any fraction (only the 1.x policy accepts one).
    double exact_time() const noexcept { return exact_time_; }
    bool time_has_fraction() const noexcept { return exact_time_ != static_cast<double>(claims_.time); }
    const RegisteredClaims& registered() const noexcept { return registered_; }
    // The request-binding claims (ajwt_method, ajwt_target, ajwt_body, ajwt_aud), read only.
    const BoundClaims& bound() const noexcept { return bound_; }
    // "<header b64>.<payload b64>": what the signature covers.
    std::string_view signing_input() const noexcept;
    const std::string& signature() const noexcept { return signature_; }

private:
    friend ParsedToken parse_token(std::string_view token, size_t max_size, ajwt_compat compat);
    std::string text_;
    size_t signing_input_size_ = 0;
    ajwt_alg alg_ = AJWT_ALG_UNKNOWN;
    std::optional<std::string> kid_;
    Claims claims_;
    double exact_time_ = 0;
    RegisteredClaims registered_;
    BoundClaims bound_;
    std::string signature_;
};

// Checks, in order: size (TOKEN_TOO_LARGE, before anything else), three non-empty parts
// (TOKEN_FORMAT), strict base64url (TOKEN_BASE64), strict JSON objects (TOKEN_JSON), header
// (TOKEN_HEADER: alg a string, typ absent or "JWT", no crit; an unknown/none/HMAC alg →
// ALGORITHM_NOT_ALLOWED), claims (TOKEN_CLAIMS, TOKEN_TIME). jwk/jku/x5u/x5c are ignored.
// Registered claims are only read here (see RegisteredClaims). max_size 0 =
// AJWT_DEFAULT_MAX_TOKEN_SIZE. AJWT_COMPAT_1X also takes what asymmetric-jwt-auth 1.x takes:
// any typ, a fractional time, a non-zero integer nonce (as its decimal text).
ParsedToken parse_token(std::string_view token, size_t max_size, ajwt_compat compat = AJWT_COMPAT_STRICT);

// Header {"alg","kid","typ":"JWT"}, payload {"nonce","time","username"}. alg UNKNOWN =
// the key's preferred algorithm. The username may be empty (1.x signs that too; every
// verifier refuses it). Throws NOT_PRIVATE_KEY, ALGORITHM_NOT_ALLOWED, TOKEN_CLAIMS. The
// bound claims with a value are added to the payload (bound_claims_for gives them).
std::string sign_token(const Key& private_key, const Claims& claims, ajwt_alg alg, const BoundClaims& bound = {});

// The Authorization scheme word a client sends and an authenticator expects by default.
inline constexpr std::string_view kDefaultAuthMethod = "JWT";
inline constexpr size_t kMaxAuthMethodSize = 64;

// Throws INVALID_ARGUMENT unless `method` is an HTTP auth-scheme word: 1..kMaxAuthMethodSize
// visible ASCII characters (no blank, control or NUL), so a header built with it can be parsed back.
void check_auth_method(std::string_view method);

// "<method> <token>"; the method as check_auth_method.
std::string make_auth_header(std::string_view method, std::string_view token);

// A fresh nonce: AJWT_NONCE_RANDOM_BYTES from the CSPRNG, base64url (AJWT_NONCE_SIZE - 1 characters).
std::string generate_nonce();

}  // namespace ajwt
