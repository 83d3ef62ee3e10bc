// Helpers the C ABI benchmarks share: fail fast on a status, generate a key, sign a header.
#pragma once

#include <ajwt.h>

#include <cstdio>
#include <cstdlib>
#include <string>

namespace bench_support {

inline void check(ajwt_status status, const char* what) {
    if (status != AJWT_OK) {
        std::fprintf(stderr, "%s: %s\n", what, ajwt_status_str(status));
        std::exit(1);
    }
}

inline ajwt_key* generate(ajwt_key_type type) {
    ajwt_key* key = nullptr;
    check(ajwt_key_generate(type, 0, 0, &key, nullptr), "generate");
    return key;
}

// "JWT <token>" for {username, now, nonce "n"}.
inline std::string sign_header(const ajwt_key* key, const char* username, int64_t now, ajwt_alg alg) {
    char* token = nullptr;
    size_t len = 0;
    check(ajwt_sign(key, username, std::char_traits<char>::length(username), now, "n", 1, alg, &token, &len, nullptr),
          "sign");
    std::string header = "JWT " + std::string(token, len);
    ajwt_free(token);
    return header;
}

}  // namespace bench_support
