#include "ed25519.hpp"

#include <sodium.h>

#include "error.hpp"

namespace ajwt {
namespace {

// sodium_init is idempotent and thread-safe; calling it once up front keeps it off the hot path.
void ensure_sodium_ready() {
    static const bool ready = sodium_init() >= 0;
    if (!ready) throw Error(AJWT_ERR_INTERNAL, "libsodium failed to initialise");
}

}  // namespace

bool ed25519_verify(const unsigned char* public_key, std::string_view message, const unsigned char* signature) {
    ensure_sodium_ready();
    return crypto_sign_ed25519_verify_detached(signature, reinterpret_cast<const unsigned char*>(message.data()),
                                               message.size(), public_key) == 0;
}

}  // namespace ajwt
