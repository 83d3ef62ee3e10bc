#include "decoy_keys.hpp"

#include <map>
#include <mutex>
#include <utility>

#include "key_io.hpp"

namespace ajwt {
namespace {

constexpr size_t kEd448SignatureSize = 114;

std::pair<ajwt_key_type, unsigned> decoy_shape(ajwt_alg alg, size_t signature_size) {
    switch (alg) {
        case AJWT_ALG_ES256: return {AJWT_KEY_EC_P256, 0};
        case AJWT_ALG_ES384: return {AJWT_KEY_EC_P384, 0};
        case AJWT_ALG_ES512: return {AJWT_KEY_EC_P521, 0};
        case AJWT_ALG_EDDSA: return {signature_size == kEd448SignatureSize ? AJWT_KEY_ED448 : AJWT_KEY_ED25519, 0};
        default: break;
    }
    switch (signature_size) {
        case 384: return {AJWT_KEY_RSA, 3072};
        case 512: return {AJWT_KEY_RSA, 4096};
        default: return {AJWT_KEY_RSA, 2048};
    }
}

}  // namespace

KeyPtr decoy_key(ajwt_alg alg, size_t signature_size) {
    static std::mutex mutex;
    static std::map<std::pair<ajwt_key_type, unsigned>, KeyPtr> cache;
    const auto shape = decoy_shape(alg, signature_size);
    std::lock_guard<std::mutex> lock(mutex);
    KeyPtr& key = cache[shape];
    if (!key) {
        const KeyPtr generated = generate_key(shape.first, shape.second, 0);
        key = generated->public_key(generated);
    }
    return key;
}

}  // namespace ajwt
