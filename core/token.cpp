#include "token.hpp"

#include <algorithm>
#include <cmath>

#include <nlohmann/json.hpp>
#include <openssl/rand.h>

#include "algorithm.hpp"
#include "base64url.hpp"
#include "error.hpp"
#include "strict_json.hpp"
#include "signature.hpp"

namespace ajwt {
namespace {

using nlohmann::json;

// The header only needs alg/typ/kid; a little room for members we ignore (jwk, x5c, …).
constexpr JsonLimits kHeaderLimits{8 * 1024, 4};
// The payload carries three claims; other clients may add a few of their own.
constexpr JsonLimits kPayloadLimits{64 * 1024, 8};

struct Parts {
    std::string_view header, payload, signature;
};

Parts split_parts(std::string_view token) {
    const size_t first = token.find('.');
    const size_t second = first == std::string_view::npos ? first : token.find('.', first + 1);
    if (second == std::string_view::npos || token.find('.', second + 1) != std::string_view::npos)
        throw TokenError(AJWT_ERR_TOKEN_FORMAT, "token must have exactly three dot-separated parts");
    Parts parts{token.substr(0, first), token.substr(first + 1, second - first - 1), token.substr(second + 1)};
    if (parts.header.empty() || parts.payload.empty() || parts.signature.empty())
        throw TokenError(AJWT_ERR_TOKEN_FORMAT, "token has an empty part");
    return parts;
}

std::string decode_part(std::string_view part, const char* what) {
    auto bytes = base64url_decode(part);
    if (!bytes) throw TokenError(AJWT_ERR_TOKEN_BASE64, std::string(what) + " is not strict unpadded base64url");
    return std::move(*bytes);
}

bool iequals_ascii(std::string_view a, std::string_view b) noexcept {
    if (a.size() != b.size()) return false;
    for (size_t i = 0; i < a.size(); ++i) {
        char x = a[i], y = b[i];
        if (x >= 'A' && x <= 'Z') x = static_cast<char>(x - 'A' + 'a');
        if (y >= 'A' && y <= 'Z') y = static_cast<char>(y - 'A' + 'a');
        if (x != y) return false;
    }
    return true;
}

// A string a client may send for username/nonce/kid: non-empty, bounded, no NUL (C callers
// read these as NUL-terminated strings).
bool acceptable_string(std::string_view value) noexcept {
    return !value.empty() && value.size() <= kMaxClaimStringSize && value.find('\0') == std::string_view::npos;
}

using Members = std::vector<JsonMember>;
using Kind = JsonMember::Kind;

JsonMember* member(Members& members, std::string_view name) noexcept {
    for (auto& m : members)
        if (m.name == name) return &m;
    return nullptr;
}

ajwt_alg parse_header(Members& header, std::optional<std::string>& kid, ajwt_compat compat) {
    const JsonMember* alg = member(header, "alg");
    if (alg == nullptr || alg->kind != Kind::String)
        throw TokenError(AJWT_ERR_TOKEN_HEADER, "header: \"alg\" missing or not a string");
    // Only the asymmetric algorithms we know: never "none", never HMAC (key confusion).
    const ajwt_alg value = alg_from_name(alg->string);
    if (value == AJWT_ALG_UNKNOWN)
        throw TokenError(AJWT_ERR_ALGORITHM_NOT_ALLOWED,
                         "header: algorithm \"" + alg->string.substr(0, 32) + "\" is not allowed");
    // We understand no extension, so a critical one makes the token unusable (RFC 7515 §4.1.11).
    if (member(header, "crit") != nullptr) throw TokenError(AJWT_ERR_TOKEN_HEADER, "header: \"crit\" is not supported");
    // PyJWT, and so 1.x, never reads typ.
    const JsonMember* typ = compat == AJWT_COMPAT_1X ? nullptr : member(header, "typ");
    if (typ != nullptr) {
        if (typ->kind != Kind::String || !iequals_ascii(typ->string, "JWT"))
            throw TokenError(AJWT_ERR_TOKEN_HEADER, "header: \"typ\" must be \"JWT\"");
    }
    if (JsonMember* kid_value = member(header, "kid")) {
        // A kid only orders the candidate keys: under the 1.x policy a string kid we cannot use
        // (empty, oversized, holding NUL; PyJWT takes any string) is read as no kid at all.
        if (compat == AJWT_COMPAT_1X && kid_value->kind == Kind::String && !acceptable_string(kid_value->string))
            return value;
        if (kid_value->kind != Kind::String || !acceptable_string(kid_value->string))
            throw TokenError(AJWT_ERR_TOKEN_HEADER, "header: \"kid\" must be a non-empty string of at most " +
                                                        std::to_string(kMaxClaimStringSize) + " bytes");
        kid = std::move(kid_value->string);
    }
    return value;
}

std::string string_claim(Members& payload, const char* name) {
    JsonMember* value = member(payload, name);
    if (value == nullptr || value->kind != Kind::String || !acceptable_string(value->string))
        throw TokenError(AJWT_ERR_TOKEN_CLAIMS, std::string("claim \"") + name +
                                                    "\" must be a non-empty string of at most " +
                                                    std::to_string(kMaxClaimStringSize) + " bytes without NUL");
    return std::move(value->string);
}

// 1.x (upstream) keys its nonce cache by the value as Python prints it, and compares a number:
// a non-zero integer nonce is taken as its decimal text. Other non-strings are refused: a bool
// or a float has no single text form (Python's True == 1 == 1.0).
std::string nonce_claim(Members& payload, ajwt_compat compat) {
    JsonMember* value = member(payload, "nonce");
    if (compat == AJWT_COMPAT_1X && value != nullptr && value->kind == Kind::Integer) {
        if (value->integer == 0) throw TokenError(AJWT_ERR_TOKEN_CLAIMS, "claim \"nonce\" must not be 0");
        return std::to_string(value->integer);
    }
    return string_claim(payload, "nonce");
}

// The claimed time: whole seconds (strict; an integral float such as 1439216312.0 counts), or
// any finite number (1.x), of which Claims::time keeps the floor. `exact` receives the value.
int64_t time_claim(Members& payload, ajwt_compat compat, double& exact) {
    const JsonMember* value = member(payload, "time");
    if (value == nullptr) throw TokenError(AJWT_ERR_TOKEN_TIME, "claim \"time\" missing");
    switch (value->kind) {
        case Kind::Integer:
            if (value->integer >= -kMaxAbsTime && value->integer <= kMaxAbsTime) {
                exact = static_cast<double>(value->integer);
                return value->integer;
            }
            throw TokenError(AJWT_ERR_TOKEN_TIME, "claim \"time\" is out of range");
        case Kind::Float: {
            const double time = value->number;
            if (!std::isfinite(time) || (compat != AJWT_COMPAT_1X && std::trunc(time) != time))
                throw TokenError(AJWT_ERR_TOKEN_TIME, "claim \"time\" must be a whole number of seconds");
            if (std::fabs(time) > static_cast<double>(kMaxAbsTime))
                throw TokenError(AJWT_ERR_TOKEN_TIME, "claim \"time\" is out of range");
            exact = time;
            return static_cast<int64_t>(std::floor(time));
        }
        default: throw TokenError(AJWT_ERR_TOKEN_TIME, "claim \"time\" must be an integer");
    }
}

// exp/nbf/iat as PyJWT's int(value): numbers truncate towards zero; under the 1.x policy a
// bool is 0 or 1 as in Python. A string is refused, though int() would read "123": RFC 7519
// makes a NumericDate a JSON number.
NumericDate numeric_date(Members& payload, const char* name, ajwt_compat compat) {
    const JsonMember* value = member(payload, name);
    NumericDate date;
    if (value == nullptr) return date;
    date.state = NumericDate::State::Number;
    switch (value->kind) {
        case Kind::Integer: date.value = std::clamp(value->integer, -kMaxNumericDate, kMaxNumericDate); return date;
        case Kind::Float:
            if (std::isfinite(value->number)) {
                const double clamped = std::clamp(std::trunc(value->number), -static_cast<double>(kMaxNumericDate),
                                                  static_cast<double>(kMaxNumericDate));
                date.value = static_cast<int64_t>(clamped);
                return date;
            }
            break;
        case Kind::Bool:
            if (compat == AJWT_COMPAT_1X) {
                date.value = value->boolean ? 1 : 0;
                return date;
            }
            break;
        default: break;
    }
    date.state = NumericDate::State::Invalid;
    return date;
}

// Python truthiness of a JSON value: null, false, 0, "", [] and {} are false.
bool truthy(const JsonMember& value) noexcept {
    switch (value.kind) {
        case Kind::String: return !value.string.empty();
        case Kind::Integer: return value.integer != 0;
        case Kind::Float: return value.number != 0;
        case Kind::Bool: return value.boolean;
        case Kind::Null: return false;
        case Kind::Container: return !value.container_empty;
    }
    return true;
}

bool present_and_not_string(Members& payload, const char* name) {
    const JsonMember* value = member(payload, name);
    return value != nullptr && value->kind != Kind::String;
}

// A bound claim is usable only as a string already in the canonical form the signer writes.
BoundClaim bound_claim(Members& payload, std::string_view name, std::string (*canonical)(std::string_view)) {
    BoundClaim claim;
    JsonMember* value = member(payload, name);
    if (value == nullptr) return claim;
    claim.state = BoundClaim::State::Invalid;
    if (value->kind != Kind::String || value->string.find('\0') != std::string::npos) return claim;
    try {
        if (canonical(value->string) != value->string) return claim;
    } catch (const Error&) {
        return claim;
    }
    claim.state = BoundClaim::State::Value;
    claim.value = std::move(value->string);
    return claim;
}

std::string same_audience(std::string_view audience) {
    validate_audience(audience);
    return std::string(audience);
}

std::string same_digest(std::string_view digest) {
    if (digest.size() > 128) throw Error(AJWT_ERR_INVALID_ARGUMENT, "digest too long");
    return std::string(digest);
}

BoundClaims bound_claims(Members& payload) {
    BoundClaims claims;
    claims.method = bound_claim(payload, kMethodClaim, normalize_method);
    claims.target = bound_claim(payload, kTargetClaim, normalize_target);
    claims.body = bound_claim(payload, kBodyClaim, same_digest);
    claims.audience = bound_claim(payload, kAudienceClaim, same_audience);
    return claims;
}

RegisteredClaims registered_claims(Members& payload, ajwt_compat compat) {
    RegisteredClaims claims;
    claims.exp = numeric_date(payload, "exp", compat);
    claims.nbf = numeric_date(payload, "nbf", compat);
    claims.iat = numeric_date(payload, "iat", compat);
    // Without an audience setting PyJWT refuses any "aud" that is there and not empty.
    const JsonMember* audience = member(payload, "aud");
    claims.audience = audience != nullptr && truthy(*audience);
    claims.subject_invalid = present_and_not_string(payload, "sub");
    claims.id_invalid = present_and_not_string(payload, "jti");
    return claims;
}

// An empty username is signed (1.x's Token("") signs); parse_token refuses it.
void validate_claims(const Claims& claims) {
    if (!claims.username.empty() && !acceptable_string(claims.username))
        throw TokenError(AJWT_ERR_TOKEN_CLAIMS, "username must be a string of at most " +
                                                    std::to_string(kMaxClaimStringSize) + " bytes without NUL");
    if (!acceptable_string(claims.nonce))
        throw TokenError(AJWT_ERR_TOKEN_CLAIMS, "nonce must be a non-empty string of at most " +
                                                    std::to_string(kMaxClaimStringSize) + " bytes without NUL");
    if (claims.time < -kMaxAbsTime || claims.time > kMaxAbsTime)
        throw TokenError(AJWT_ERR_TOKEN_TIME, "time is out of range");
}

// Compact JSON; text that is not UTF-8 cannot be put in a token.
std::string dump_json(const json& value) {
    try {
        return value.dump();
    } catch (const json::type_error&) {
        throw TokenError(AJWT_ERR_TOKEN_CLAIMS, "claims must be valid UTF-8");
    }
}

}  // namespace

std::string_view ParsedToken::signing_input() const noexcept {
    return std::string_view(text_).substr(0, signing_input_size_);
}

ParsedToken parse_token(std::string_view token, size_t max_size, ajwt_compat compat) {
    if (max_size == 0) max_size = AJWT_DEFAULT_MAX_TOKEN_SIZE;
    // Before anything else, so an oversized input costs nothing to refuse.
    if (token.size() > max_size)
        throw TokenError(AJWT_ERR_TOKEN_TOO_LARGE, "token of " + std::to_string(token.size()) +
                                                       " bytes is over the limit of " + std::to_string(max_size));
    const Parts parts = split_parts(token);
    const std::string header_bytes = decode_part(parts.header, "header");
    const std::string payload_bytes = decode_part(parts.payload, "payload");
    std::string signature = decode_part(parts.signature, "signature");

    ParsedToken parsed;
    Members header = parse_json_members(header_bytes, kHeaderLimits, AJWT_ERR_TOKEN_JSON, "header");
    parsed.alg_ = parse_header(header, parsed.kid_, compat);

    Members payload = parse_json_members(payload_bytes, kPayloadLimits, AJWT_ERR_TOKEN_JSON, "payload");
    parsed.claims_.username = string_claim(payload, "username");
    parsed.claims_.nonce = nonce_claim(payload, compat);
    parsed.claims_.time = time_claim(payload, compat, parsed.exact_time_);
    parsed.registered_ = registered_claims(payload, compat);
    parsed.bound_ = bound_claims(payload);

    parsed.text_.assign(token.data(), token.size());
    parsed.signing_input_size_ = parts.header.size() + 1 + parts.payload.size();
    parsed.signature_ = std::move(signature);
    return parsed;
}

std::string sign_token(const Key& private_key, const Claims& claims, ajwt_alg alg, const BoundClaims& bound) {
    if (!private_key.is_private()) throw KeyError(AJWT_ERR_NOT_PRIVATE_KEY, "signing needs a private key");
    if (alg == AJWT_ALG_UNKNOWN) {
        const auto& preferred = private_key.algorithms();
        if (preferred.empty()) throw TokenError(AJWT_ERR_ALGORITHM_NOT_ALLOWED, "no algorithm for this key type");
        alg = preferred.front();
    }
    if (!alg_is_valid(alg)) throw TokenError(AJWT_ERR_ALGORITHM_NOT_ALLOWED, "unknown algorithm");
    if (!private_key.supports(alg))
        throw TokenError(AJWT_ERR_ALGORITHM_NOT_ALLOWED,
                         std::string("algorithm ") + alg_name(alg) + " cannot be used with this key type");
    validate_claims(claims);

    // nlohmann objects keep their members sorted: {"alg","kid","typ"} and {"nonce","time","username"}.
    const json header = {{"alg", alg_name(alg)}, {"kid", private_key.fingerprint()}, {"typ", "JWT"}};
    json payload = {{"nonce", claims.nonce}, {"time", claims.time}, {"username", claims.username}};
    const std::pair<std::string_view, const BoundClaim*> bound_members[] = {{kMethodClaim, &bound.method},
                                                                            {kTargetClaim, &bound.target},
                                                                            {kBodyClaim, &bound.body},
                                                                            {kAudienceClaim, &bound.audience}};
    for (const auto& [name, claim] : bound_members)
        if (claim->state == BoundClaim::State::Value) payload[std::string(name)] = claim->value;
    std::string token = base64url_encode(dump_json(header));
    token += '.';
    token += base64url_encode(dump_json(payload));
    const std::string signature = sign_bytes(private_key, alg, token);
    token += '.';
    token += base64url_encode(signature);
    return token;
}

void check_auth_method(std::string_view method) {
    bool valid = !method.empty() && method.size() <= kMaxAuthMethodSize;
    for (char c : method) {
        const auto u = static_cast<unsigned char>(c);
        if (u <= 0x20 || u >= 0x7f) valid = false;
    }
    if (!valid)
        throw Error(AJWT_ERR_INVALID_ARGUMENT, "auth method must be 1.." + std::to_string(kMaxAuthMethodSize) +
                                                   " visible ASCII characters without spaces");
}

std::string make_auth_header(std::string_view method, std::string_view token) {
    check_auth_method(method);
    std::string header;
    header.reserve(method.size() + 1 + token.size());
    header.append(method.data(), method.size());
    header += ' ';
    header.append(token.data(), token.size());
    return header;
}

std::string generate_nonce() {
    unsigned char random[AJWT_NONCE_RANDOM_BYTES];
    if (RAND_bytes(random, sizeof random) != 1) throw_openssl("RAND_bytes failed");
    return base64url_encode(std::string_view(reinterpret_cast<const char*>(random), sizeof random));
}

}  // namespace ajwt
