// Token parsing and the claimed username: the first thing the server does with bytes from
// anyone, before any signature is checked.
#include "fuzz_common.hpp"

namespace fuzz_token_parse {

using namespace ajwt_fuzz;

void check_parsed(const ajwt_token* token, size_t size) {
    require(size <= AJWT_DEFAULT_MAX_TOKEN_SIZE, "a token over the default size cap was accepted");
    size_t len = 0;
    const char* username = ajwt_token_username(token, &len);
    check_claim_string(username, len, "username");
    const char* nonce = ajwt_token_nonce(token, &len);
    check_claim_string(nonce, len, "nonce");
    const char* kid = ajwt_token_kid(token, &len);
    if (kid != nullptr) check_claim_string(kid, len, "kid");
    const int64_t time = ajwt_token_time(token);
    require(time >= -(int64_t{1} << 40) && time <= (int64_t{1} << 40), "time outside the documented range");
    require(ajwt_alg_name(ajwt_token_alg(token)) != nullptr, "accepted token with an unknown alg");
}

}  // namespace fuzz_token_parse

AJWT_FUZZ_TARGET(fuzz_token_parse_input) {
    using namespace ajwt_fuzz;
    static const std::vector<ajwt_status> allowed = parse_statuses();
    const char* text = reinterpret_cast<const char*>(data);

    ajwt_token* token = nullptr;
    ajwt_error err{};
    const ajwt_status status = ajwt_token_parse(text, size, 0, &token, &err);
    check_error(status, err);
    require_status_in(status, allowed, "ajwt_token_parse refused input with an unexpected status");
    if (status != AJWT_OK) {
        require(token == nullptr, "a handle was returned with a failure");
    } else {
        fuzz_token_parse::check_parsed(token, size);
        ajwt_token_free(token);
    }

    // A caller's smaller cap is honoured before anything is decoded.
    if (size > 64) {
        token = nullptr;
        const ajwt_status capped = ajwt_token_parse(text, size, 64, &token, nullptr);
        require(capped == AJWT_ERR_TOKEN_TOO_LARGE && token == nullptr, "max_size not enforced first", capped);
    }
    return 0;
}
