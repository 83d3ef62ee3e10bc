// A set of public keys, e.g. a parsed JWK Set.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "key.hpp"

namespace ajwt {

inline constexpr size_t kMaxJwksSize = 256 * 1024;
inline constexpr size_t kMaxJwksMembers = 100;

class KeySet {
public:
    // Adds a public key; a private key is refused (KeyError PRIVATE_KEY_GIVEN) so that secret
    // material never sits in a set meant for verification.
    void add(const KeyPtr& key);
    // Parses {"keys": [...]} and adds the usable members; unusable ones are recorded in
    // skipped(). Throws KeyError(JWKS_PARSE) when the document itself is unusable.
    void add_jwks(std::string_view json);
    const std::vector<KeyPtr>& keys() const noexcept { return keys_; }
    const std::vector<std::string>& skipped() const noexcept { return skipped_; }
    // The member whose kid() equals `kid`, or nullptr.
    const KeyPtr* find(std::string_view kid) const noexcept;
    std::string to_jwks() const;

private:
    std::vector<KeyPtr> keys_;
    std::vector<std::string> skipped_;
};

}  // namespace ajwt
