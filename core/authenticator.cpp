#include "authenticator.hpp"

#include "decoy_keys.hpp"
#include "error.hpp"
#include "signature.hpp"

namespace ajwt {
namespace {

bool is_space(char c) noexcept { return c == ' ' || c == '\t'; }

// HTTP optional whitespace around a field value or the credentials (RFC 9110 §5.5).
std::string_view trim_spaces(std::string_view text) noexcept {
    while (!text.empty() && is_space(text.front())) text.remove_prefix(1);
    while (!text.empty() && is_space(text.back())) text.remove_suffix(1);
    return text;
}

char lower_ascii(char c) noexcept { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

bool iequals_ascii(std::string_view a, std::string_view b) noexcept {
    if (a.size() != b.size()) return false;
    for (size_t i = 0; i < a.size(); ++i)
        if (lower_ascii(a[i]) != lower_ascii(b[i])) return false;
    return true;
}

}  // namespace

Authenticator::Authenticator(Verifier verifier, Repository repository, std::string method)
    : verifier_(std::move(verifier)), repository_(std::move(repository)) {
    set_method(std::move(method));
}

void Authenticator::set_method(std::string method) {
    check_auth_method(method);
    method_ = std::move(method);
}

std::string_view Authenticator::token_part(std::string_view header) const {
    header = trim_spaces(header);
    if (header.empty()) throw TokenError(AJWT_ERR_NO_AUTH_HEADER, "no Authorization header");
    const size_t space = header.find(' ');
    const std::string_view word = header.substr(0, space);
    if (!iequals_ascii(word, method_))
        throw TokenError(AJWT_ERR_WRONG_AUTH_METHOD, "Authorization header does not use the " + method_ + " method");
    return space == std::string_view::npos ? std::string_view() : trim_spaces(header.substr(space + 1));
}

KeySet Authenticator::collect_keys(const ParsedToken& token, int64_t now) const {
    const std::string& username = token.claims().username;
    KeySet keys;
    repository_.user_keys(username, token.kid(), keys);
    // JWKS endpoints are usually remote: asked only for a kid the registered keys lack.
    // A token without kid never triggers a fetch (as upstream's JWKS repository).
    if (repository_.user_jwks && token.kid() && keys.find(*token.kid()) == nullptr)
        repository_.user_jwks(username, token.kid(), keys);
    if (repository_.jwks_cache_keys && token.kid() && keys.find(*token.kid()) == nullptr)
        repository_.jwks_cache_keys(username, *token.kid(), now, keys);
    return keys;
}

// The signature work a known user's bad token costs, against a key no token verifies with, so
// the answer time does not tell whether the user exists (as the Django middleware's decoys).
void Authenticator::check_decoy(const ParsedToken& token) const {
    if (!verifier_.allows(token.alg())) return;  // a known user's token stops here too, unverified
    const KeyPtr decoy = decoy_key(token.alg(), token.signature().size());
    static_cast<void>(verify_bytes(*decoy, token.alg(), token.signing_input(), token.signature()));
}

ParsedToken Authenticator::read_header(std::string_view header) const { return verifier_.parse(token_part(header)); }

KeyPtr Authenticator::check_token(const ParsedToken& token, const KeySet* keys, int64_t now,
                                  const RequestDetails* request) const {
    if (keys == nullptr) {
        check_decoy(token);
        throw TokenError(AJWT_ERR_UNKNOWN_USER, "unknown user");
    }
    return verifier_.verify_signed_claims(token, *keys, now, request);
}

void Authenticator::settle_nonce(const ParsedToken& token, NonceOutcome outcome, int64_t now) const {
    switch (outcome) {
        case NonceOutcome::Recorded: return;
        case NonceOutcome::AlreadyRecorded: throw TokenError(AJWT_ERR_NONCE_REPLAYED, "nonce already used");
        case NonceOutcome::StoreFailed: throw CallbackError(AJWT_ERR_CALLBACK_FAILED, "the host's nonce store failed");
        case NonceOutcome::UseVerifierStore: verifier_.check_nonce(token, now); return;
    }
    throw Error(AJWT_ERR_INVALID_ARGUMENT, "unknown nonce outcome");
}

Authentication Authenticator::authenticate(std::string_view header, int64_t now, const RequestDetails* request) const {
    if (!repository_.user_keys) throw Error(AJWT_ERR_INVALID_ARGUMENT, "the authenticator has no user_keys repository");
    ParsedToken token = read_header(header);
    const std::string& username = token.claims().username;
    KeyPtr key;
    if (repository_.user_exists && !repository_.user_exists(username)) {
        key = check_token(token, nullptr, now, request);
    } else {
        const KeySet keys = collect_keys(token, now);
        key = check_token(token, &keys, now, request);
    }
    settle_nonce(token, NonceOutcome::UseVerifierStore, now);
    if (repository_.key_used) repository_.key_used(username, key);
    return Authentication{std::move(token), std::move(key)};
}

}  // namespace ajwt
