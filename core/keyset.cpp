#include "keyset.hpp"

#include "error.hpp"
#include "strict_json.hpp"
#include "jwk.hpp"

namespace ajwt {
namespace {

// The document must be usable as a whole: an object whose "keys" is a bounded array.
nlohmann::json parse_jwks_document(std::string_view text) {
    JsonLimits limits;
    limits.max_size = kMaxJwksSize;
    nlohmann::json document;
    try {
        document = parse_json_object(text, limits, AJWT_ERR_JWKS_PARSE, "JWK Set");
    } catch (const KeyError&) {
        throw;
    } catch (const Error& error) {
        throw KeyError(error.status(), error.what());
    }
    auto keys = document.find("keys");
    if (keys == document.end()) throw KeyError(AJWT_ERR_JWKS_PARSE, "JWK Set: missing \"keys\"");
    if (!keys->is_array()) throw KeyError(AJWT_ERR_JWKS_PARSE, "JWK Set: \"keys\" is not an array");
    if (keys->size() > kMaxJwksMembers)
        throw KeyError(AJWT_ERR_JWKS_PARSE, "JWK Set: more than " + std::to_string(kMaxJwksMembers) + " keys");
    return std::move(*keys);
}

}  // namespace

void KeySet::add(const KeyPtr& key) {
    if (!key) throw Error(AJWT_ERR_INVALID_ARGUMENT, "no key");
    if (key->is_private()) throw KeyError(AJWT_ERR_PRIVATE_KEY_GIVEN, "a key set takes public keys only");
    keys_.push_back(key);
}

void KeySet::add_jwks(std::string_view json) {
    const nlohmann::json members = parse_jwks_document(json);
    // Collected first so a failure that is not about one member leaves the set unchanged.
    std::vector<KeyPtr> added;
    std::vector<std::string> skipped;
    for (size_t i = 0; i < members.size(); ++i) {
        try {
            added.push_back(parse_jwk(members[i]));
        } catch (const Error& error) {
            if (error.status() == AJWT_ERR_OUT_OF_MEMORY || error.status() == AJWT_ERR_INTERNAL) throw;
            skipped.push_back("member " + std::to_string(i) + ": " + error.what());
        }
    }
    keys_.insert(keys_.end(), added.begin(), added.end());
    skipped_.insert(skipped_.end(), skipped.begin(), skipped.end());
}

const KeyPtr* KeySet::find(std::string_view kid) const noexcept {
    for (const KeyPtr& key : keys_)
        if (key->kid() == kid) return &key;
    return nullptr;
}

std::string KeySet::to_jwks() const {
    nlohmann::json keys = nlohmann::json::array();
    for (const KeyPtr& key : keys_) keys.push_back(to_jwk(*key));
    nlohmann::json document = nlohmann::json::object();
    document["keys"] = std::move(keys);
    return document.dump();
}

}  // namespace ajwt
