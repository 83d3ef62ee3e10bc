// Version, status text, memory, clock, algorithm names and the runtime twins of the header's
// default macros.
#include <chrono>
#include <cstdlib>

#include "algorithm.hpp"
#include "capi_internal.hpp"

namespace ajwt_capi {

const char* status_string(long long status) noexcept {
    switch (status) {
        case AJWT_OK: return "ok";
        case AJWT_ERR_INVALID_ARGUMENT: return "invalid argument";
        case AJWT_ERR_OUT_OF_MEMORY: return "out of memory";
        case AJWT_ERR_INTERNAL: return "internal error";
        case AJWT_ERR_CALLBACK_FAILED: return "callback failed";
        case AJWT_ERR_KEY_PARSE: return "not a key in any accepted format";
        case AJWT_ERR_KEY_UNSUPPORTED: return "unsupported key type or curve";
        case AJWT_ERR_KEY_TOO_SMALL: return "RSA key too small (minimum 2048 bits)";
        case AJWT_ERR_KEY_TOO_LARGE: return "key too large";
        case AJWT_ERR_PASSWORD_REQUIRED: return "encrypted private key: password required";
        case AJWT_ERR_WRONG_PASSWORD: return "wrong password";
        case AJWT_ERR_ENCRYPTED_OPENSSH_KEY:
            return "encrypted OpenSSH private key (convert with ssh-keygen -p -m PKCS8)";
        case AJWT_ERR_NOT_PRIVATE_KEY: return "a private key is required";
        case AJWT_ERR_PRIVATE_KEY_GIVEN: return "private key given where a public key is expected";
        case AJWT_ERR_JWKS_PARSE: return "not a usable JWK Set";
        case AJWT_ERR_JWKS_FETCH: return "JWKS URL could not be fetched";
        case AJWT_ERR_TOKEN_TOO_LARGE: return "token too large";
        case AJWT_ERR_TOKEN_FORMAT: return "malformed token (not three dot-separated parts)";
        case AJWT_ERR_TOKEN_BASE64: return "token part is not valid base64url";
        case AJWT_ERR_TOKEN_JSON: return "token header or payload is not a valid JSON object";
        case AJWT_ERR_TOKEN_HEADER: return "unusable token header";
        case AJWT_ERR_TOKEN_CLAIMS: return "missing or invalid username/nonce claim";
        case AJWT_ERR_TOKEN_TIME: return "missing or invalid time claim";
        case AJWT_ERR_ALGORITHM_NOT_ALLOWED: return "algorithm not allowed";
        case AJWT_ERR_BAD_SIGNATURE: return "bad signature";
        case AJWT_ERR_TOKEN_EXPIRED: return "token expired";
        case AJWT_ERR_TOKEN_FROM_FUTURE: return "token time is in the future";
        case AJWT_ERR_NONCE_REPLAYED: return "nonce replayed";
        case AJWT_ERR_NONCE_STORE_FULL: return "nonce store full";
        case AJWT_ERR_NO_AUTH_HEADER: return "no Authorization header";
        case AJWT_ERR_WRONG_AUTH_METHOD: return "wrong authorization method";
        case AJWT_ERR_UNKNOWN_USER: return "unknown user";
        case AJWT_ERR_NO_MATCHING_KEY: return "no matching key";
        case AJWT_ERR_TOKEN_EXP_PASSED: return "token expired (exp)";
        case AJWT_ERR_TOKEN_NOT_YET_VALID: return "token not yet valid (nbf)";
        case AJWT_ERR_TOKEN_IAT_FUTURE: return "token issued in the future (iat)";
        case AJWT_ERR_TOKEN_AUDIENCE: return "token has an audience (aud)";
        case AJWT_ERR_TOKEN_REGISTERED_CLAIM: return "registered claim of the wrong type";
        case AJWT_ERR_BINDING_METHOD: return "token bound to another HTTP method";
        case AJWT_ERR_BINDING_TARGET: return "token bound to another request target";
        case AJWT_ERR_BINDING_BODY: return "token bound to another request body";
        case AJWT_ERR_BINDING_AUDIENCE: return "token meant for another audience";
        case AJWT_ERR_BINDING_REQUIRED: return "token not bound to the request";
        default: return "unknown status";
    }
}

}  // namespace ajwt_capi

extern "C" {

const char* ajwt_version(void) { return AJWT_VERSION_STRING; }

unsigned ajwt_version_number(void) { return AJWT_VERSION_NUMBER; }

// Takes any integer a C caller passes; see ajwt_capi::enum_value.
const char* ajwt_status_str(ajwt_status status) { return ajwt_capi::status_string(ajwt_capi::enum_value(status)); }

size_t ajwt_error_message_size(void) { return AJWT_ERROR_MESSAGE_SIZE; }

void ajwt_free(void* ptr) { std::free(ptr); }

int64_t ajwt_now(void) {
    using namespace std::chrono;
    return duration_cast<seconds>(system_clock::now().time_since_epoch()).count();
}

const char* ajwt_alg_name(ajwt_alg alg) {
    return ajwt_capi::enum_in(alg, AJWT_ALG_RS256, AJWT_ALG_EDDSA) ? ajwt::alg_name(alg) : nullptr;
}

ajwt_alg ajwt_alg_from_name(const char* name, size_t name_len) {
    if (name == nullptr) return AJWT_ALG_UNKNOWN;
    return ajwt::alg_from_name(std::string_view(name, name_len));
}

size_t ajwt_fingerprint_size(void) { return AJWT_FINGERPRINT_SIZE; }

size_t ajwt_default_max_token_size(void) { return AJWT_DEFAULT_MAX_TOKEN_SIZE; }

int64_t ajwt_default_tolerance(void) { return AJWT_DEFAULT_TOLERANCE; }
int64_t ajwt_default_leeway(void) { return AJWT_DEFAULT_LEEWAY; }

}  // extern "C"
