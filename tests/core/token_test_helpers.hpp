// Helpers shared by the token-side core suites: keys generated with OpenSSL directly (so these
// suites do not depend on the key loaders), hand-crafted tokens, and status extraction.
#pragma once

#include <map>
#include <mutex>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>

#include <openssl/evp.h>

#include "base64url.hpp"
#include "error.hpp"
#include "key.hpp"
#include "signature.hpp"

#include "status_of.hpp"

namespace ajwt_test {

inline ajwt::KeyPtr generate_key(ajwt_key_type type) {
    EVP_PKEY* pkey = nullptr;
    switch (type) {
        case AJWT_KEY_RSA: pkey = EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", size_t{2048}); break;
        case AJWT_KEY_ED25519: pkey = EVP_PKEY_Q_keygen(nullptr, nullptr, "ED25519"); break;
        case AJWT_KEY_ED448: pkey = EVP_PKEY_Q_keygen(nullptr, nullptr, "ED448"); break;
        case AJWT_KEY_EC_P256: pkey = EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256"); break;
        case AJWT_KEY_EC_P384: pkey = EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-384"); break;
        case AJWT_KEY_EC_P521: pkey = EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-521"); break;
    }
    if (pkey == nullptr) throw std::runtime_error("key generation failed");
    return ajwt::Key::from_pkey(ajwt::EvpPkeyPtr(pkey), true);
}

// The `index`-th private key of a type, generated once per process (RSA generation is slow)
// and kept alive until exit.
inline ajwt::KeyPtr private_key(ajwt_key_type type, int index = 0) {
    static std::mutex mutex;
    static std::map<std::pair<int, int>, ajwt::KeyPtr> cache;
    std::lock_guard<std::mutex> lock(mutex);
    auto& slot = cache[{static_cast<int>(type), index}];
    if (!slot) slot = generate_key(type);
    return slot;
}

// Its public half, also kept for the whole process (so `*public_key(...)` never dangles).
inline ajwt::KeyPtr public_key(ajwt_key_type type, int index = 0) {
    static std::mutex mutex;
    static std::map<std::pair<int, int>, ajwt::KeyPtr> cache;
    ajwt::KeyPtr key = private_key(type, index);
    std::lock_guard<std::mutex> lock(mutex);
    auto& slot = cache[{static_cast<int>(type), index}];
    if (!slot) slot = key->public_key(key);
    return slot;
}

inline std::string b64(std::string_view bytes) { return ajwt::base64url_encode(bytes); }

// A token with arbitrary header/payload text, really signed with `key` and `alg`.
inline std::string craft_token(const ajwt::Key& key, ajwt_alg alg, std::string_view header_json,
                               std::string_view payload_json) {
    std::string input = b64(header_json) + "." + b64(payload_json);
    return input + "." + b64(ajwt::sign_bytes(key, alg, input));
}

// A token with arbitrary header/payload text and a dummy signature (for parse-only tests).
inline std::string unsigned_token(std::string_view header_json, std::string_view payload_json) {
    return b64(header_json) + "." + b64(payload_json) + "." + b64("not a signature");
}

}  // namespace ajwt_test
