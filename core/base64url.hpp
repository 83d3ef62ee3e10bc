// Base64url (RFC 4648 §5) for JWS, strict; and standard base64 for PEM/OpenSSH bodies.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace ajwt {

// Unpadded base64url.
std::string base64url_encode(std::string_view bytes);
// Strict: alphabet A-Z a-z 0-9 - _ only, no padding, length % 4 != 1, unused trailing bits zero.
std::optional<std::string> base64url_decode(std::string_view text);
// Standard base64 (RFC 4648 §4) with padding, no whitespace; strict as above.
std::optional<std::string> base64_decode(std::string_view text);
std::string base64_encode(std::string_view bytes);

}  // namespace ajwt
