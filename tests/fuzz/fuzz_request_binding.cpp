// Request binding: the request target and method a server receives from anyone, normalised
// and compared with a token's bound claims. Input: "<method>\n<target>" (no newline: GET and
// the whole input as the target).
#include <algorithm>
#include <array>
#include <string>

#include "fuzz_common.hpp"

namespace fuzz_request_binding {

using namespace ajwt_fuzz;

// The canonical target: a path of printable ASCII within the cap, and normalising it again
// changes nothing (the signer and the verifier agree whichever normalises first).
void check_canonical(const std::string& target) {
    require(!target.empty() && target.front() == '/', "canonical target does not start with /");
    require(target.size() <= 4096, "canonical target over the cap");
    require(std::all_of(target.begin(), target.end(), [](char c) { return c > 0x20 && c < 0x7f; }),
            "canonical target holds a byte outside printable ASCII");
    char* again = nullptr;
    size_t again_len = 0;
    const ajwt_status status = ajwt_request_target_normalize(target.data(), target.size(), &again, &again_len, nullptr);
    require(status == AJWT_OK && std::string(again, again_len) == target, "normalising is not idempotent", status);
    ajwt_free(again);
}

const ajwt_verifier* verifier() {
    static ajwt_verifier* v = [] {
        ajwt_verifier* out = nullptr;
        require(ajwt_verifier_new(&out, nullptr) == AJWT_OK, "verifier");
        require(ajwt_verifier_set_binding(out, AJWT_BINDING_REQUIRED, nullptr) == AJWT_OK, "binding");
        return out;
    }();
    return v;
}

}  // namespace fuzz_request_binding

AJWT_FUZZ_TARGET(fuzz_request_binding_input) {
    using namespace ajwt_fuzz;
    const std::string input(reinterpret_cast<const char*>(data), size);
    const size_t newline = input.find('\n');
    const std::string method = newline == std::string::npos ? "GET" : input.substr(0, newline);
    const std::string target = newline == std::string::npos ? input : input.substr(newline + 1);

    char* normalised = nullptr;
    size_t normalised_len = 0;
    ajwt_error err{};
    const ajwt_status status =
        ajwt_request_target_normalize(target.data(), target.size(), &normalised, &normalised_len, &err);
    check_error(status, err);
    require(status == AJWT_OK || status == AJWT_ERR_INVALID_ARGUMENT, "target refused with an unexpected status",
            status);
    if (status == AJWT_OK) {
        fuzz_request_binding::check_canonical(std::string(normalised, normalised_len));
        ajwt_free(normalised);
    }

    // Bound to (method, target) as the client gave them, the token passes on the very same raw
    // request, and only on a request whose method or target differs.
    const std::array<uint8_t, AJWT_BODY_DIGEST_SIZE> digest{};
    ajwt_key* key = fixed_keys().private_keys[1];  // Ed25519
    char* token = nullptr;
    size_t token_len = 0;
    const ajwt_status signed_status =
        ajwt_sign_request(key, "alice", 5, kNow, "n", 1, AJWT_ALG_UNKNOWN, method.data(), method.size(), target.data(),
                          target.size(), digest.data(), nullptr, 0, &token, &token_len, nullptr);
    require(signed_status == AJWT_OK || signed_status == AJWT_ERR_INVALID_ARGUMENT, "signing: unexpected status",
            signed_status);
    if (signed_status != AJWT_OK) return 0;
    require(status == AJWT_OK, "signed a target the normaliser refuses");
    ajwt_token* parsed = nullptr;
    const ajwt_status parse_status =
        ajwt_verifier_parse(fuzz_request_binding::verifier(), token, token_len, &parsed, nullptr);
    ajwt_free(token);
    require(parse_status == AJWT_OK, "a bound token we signed does not parse", parse_status);
    const ajwt_verifier* v = fuzz_request_binding::verifier();
    const ajwt_status same = ajwt_check_request_binding(v, parsed, method.data(), method.size(), target.data(),
                                                        target.size(), digest.data(), nullptr);
    require(same == AJWT_OK, "the request the token was bound to is refused", same);
    const ajwt_status other = ajwt_check_request_binding(v, parsed, method.data(), method.size(), "/other-target", 13,
                                                         digest.data(), nullptr);
    require(other == AJWT_OK || other == AJWT_ERR_BINDING_TARGET, "another target: unexpected status", other);
    ajwt_token_free(parsed);
    return 0;
}
