#include "request_binding.hpp"

#include <openssl/sha.h>

#include "base64url.hpp"
#include "error.hpp"

namespace ajwt {
namespace {

constexpr char kHex[] = "0123456789ABCDEF";

bool is_tchar(char c) noexcept {
    if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) return true;
    return std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
}

int hex_value(char c) noexcept {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    return -1;
}

bool is_unreserved(unsigned char c) noexcept {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.' ||
           c == '_' || c == '~';
}

// Printable ASCII that WSGI-decoded paths (Django's request.path) can no longer tell from its
// encoded form; / ? # % keep their encoding (they change the path's structure).
bool path_decodable(unsigned char c) noexcept {
    return c > 0x20 && c < 0x7f && c != '/' && c != '?' && c != '#' && c != '%';
}

void append_encoded(std::string& out, unsigned char c) {
    out += '%';
    out += kHex[c >> 4];
    out += kHex[c & 0x0f];
}

std::string normalize_component(std::string_view text, bool path) {
    std::string out;
    out.reserve(text.size());
    for (size_t i = 0; i < text.size(); ++i) {
        const auto c = static_cast<unsigned char>(text[i]);
        if (c == '%' && i + 2 < text.size() && hex_value(text[i + 1]) >= 0 && hex_value(text[i + 2]) >= 0) {
            const auto decoded = static_cast<unsigned char>(hex_value(text[i + 1]) * 16 + hex_value(text[i + 2]));
            if (path ? path_decodable(decoded) : is_unreserved(decoded))
                out += static_cast<char>(decoded);
            else
                append_encoded(out, decoded);
            i += 2;
        } else if (c <= 0x20 || c >= 0x7f || c == '%') {
            // A '%' that starts no escape is data: encoded, so that normalising again changes nothing.
            append_encoded(out, c);
        } else {
            out += static_cast<char>(c);
        }
    }
    return out;
}

// "scheme://authority" of an absolute-form target (RFC 9112 §3.2.2), or 0.
size_t authority_end(std::string_view target) noexcept {
    const size_t colon = target.find("://");
    if (colon == std::string_view::npos || colon == 0) return 0;
    for (size_t i = 0; i < colon; ++i) {
        const char c = target[i];
        const bool alpha = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
        if (!alpha && !(i > 0 && ((c >= '0' && c <= '9') || c == '+' || c == '-' || c == '.'))) return 0;
    }
    const size_t end = target.find_first_of("/?#", colon + 3);
    return end == std::string_view::npos ? target.size() : end;
}

BoundClaim value_claim(std::string value) {
    BoundClaim claim;
    claim.state = BoundClaim::State::Value;
    claim.value = std::move(value);
    return claim;
}

[[noreturn]] void refuse(ajwt_status status, const std::string& message) { throw TokenError(status, message); }

// Shows a claim or request value in a message, bounded and printable.
std::string shown(std::string_view value) {
    std::string out;
    for (char c : value.substr(0, 64)) out += (c >= 0x20 && c < 0x7f) ? c : '?';
    return value.size() > 64 ? out + "..." : out;
}

void check_claim(const BoundClaim& claim, const std::optional<std::string>& actual, ajwt_status status,
                 const char* what) {
    if (!claim.present()) return;
    if (claim.state == BoundClaim::State::Invalid)
        refuse(status, std::string("the token's bound ") + what + " is not a canonical string");
    if (!actual) refuse(status, std::string("the token binds the ") + what + ", which the server did not supply");
    if (claim.value != *actual)
        refuse(status, std::string("the token is bound to ") + what + " \"" + shown(claim.value) +
                           "\", the request has \"" + shown(*actual) + "\"");
}

}  // namespace

std::string normalize_method(std::string_view method) {
    if (method.empty() || method.size() > kMaxHttpMethodSize)
        throw Error(AJWT_ERR_INVALID_ARGUMENT,
                    "HTTP method must be 1.." + std::to_string(kMaxHttpMethodSize) + " characters");
    std::string out;
    for (char c : method) {
        if (!is_tchar(c)) throw Error(AJWT_ERR_INVALID_ARGUMENT, "HTTP method must be an HTTP token");
        out += (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c;
    }
    return out;
}

std::string normalize_target(std::string_view target) {
    if (target.empty() || target.size() > kMaxTargetSize)
        throw Error(AJWT_ERR_INVALID_ARGUMENT,
                    "request target must be 1.." + std::to_string(kMaxTargetSize) + " bytes");
    target.remove_prefix(authority_end(target));
    target = target.substr(0, target.find('#'));
    const size_t question = target.find('?');
    std::string_view path = target.substr(0, question);
    const std::string_view query =
        question == std::string_view::npos ? std::string_view() : target.substr(question + 1);
    if (!path.empty() && path.front() != '/')
        throw Error(AJWT_ERR_INVALID_ARGUMENT, "request target must be a path (origin-form) or an absolute URI");
    std::string out = path.empty() ? std::string("/") : normalize_component(path, true);
    if (!query.empty()) out += '?' + normalize_component(query, false);
    if (out.size() > kMaxTargetSize)
        throw Error(AJWT_ERR_INVALID_ARGUMENT,
                    "normalised request target is over " + std::to_string(kMaxTargetSize) + " bytes");
    return out;
}

BodyDigest body_digest(std::string_view body) {
    BodyDigest digest{};
    SHA256(reinterpret_cast<const unsigned char*>(body.data()), body.size(), digest.data());
    return digest;
}

std::string content_digest_value(const BodyDigest& digest) {
    return "sha-256=:" + base64_encode(std::string_view(reinterpret_cast<const char*>(digest.data()), digest.size())) +
           ":";
}

void validate_audience(std::string_view audience) {
    if (audience.empty() || audience.size() > kMaxAudienceSize || audience.find('\0') != std::string_view::npos)
        throw Error(AJWT_ERR_INVALID_ARGUMENT,
                    "audience must be 1.." + std::to_string(kMaxAudienceSize) + " bytes without NUL");
}

BoundClaims bound_claims_for(const RequestBindingRequest& request) {
    BoundClaims claims;
    if (request.method) claims.method = value_claim(normalize_method(*request.method));
    if (request.target) claims.target = value_claim(normalize_target(*request.target));
    if (request.body_digest) claims.body = value_claim(content_digest_value(*request.body_digest));
    if (request.audience) {
        validate_audience(*request.audience);
        claims.audience = value_claim(*request.audience);
    }
    return claims;
}

void check_binding(const BoundClaims& claims, ajwt_binding_policy policy, const std::optional<std::string>& audience,
                   const RequestDetails* request) {
    if (policy == AJWT_BINDING_OFF) return;
    if (policy == AJWT_BINDING_REQUIRED) {
        if (!claims.method.present() || !claims.target.present() || !claims.body.present())
            refuse(AJWT_ERR_BINDING_REQUIRED, "the token is not bound to the request's method, target and body");
        if (audience && !claims.audience.present()) refuse(AJWT_ERR_BINDING_REQUIRED, "the token names no audience");
    }
    // The request's side in canonical form; a value the host gave that has none matches nothing.
    std::optional<std::string> method, target, body;
    if (request != nullptr) {
        try {
            if (request->method) method = normalize_method(*request->method);
        } catch (const Error&) {}
        try {
            if (request->target) target = normalize_target(*request->target);
        } catch (const Error&) {}
        if (request->body_digest) body = content_digest_value(*request->body_digest);
    }
    check_claim(claims.method, method, AJWT_ERR_BINDING_METHOD, "method");
    check_claim(claims.target, target, AJWT_ERR_BINDING_TARGET, "target");
    check_claim(claims.body, body, AJWT_ERR_BINDING_BODY, "body digest");
    if (claims.audience.present()) {
        if (!audience)
            refuse(AJWT_ERR_BINDING_AUDIENCE, "the token names an audience and this server has none configured");
        check_claim(claims.audience, audience, AJWT_ERR_BINDING_AUDIENCE, "audience");
    }
}

}  // namespace ajwt
