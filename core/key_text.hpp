// The input checks every key reader (PEM, OpenSSH, JWK) starts with. Below key_io, openssh and
// jwk, so those three use it without including each other.
#pragma once

#include <cstddef>
#include <string_view>

namespace ajwt {

inline constexpr size_t kMaxKeyTextSize = 64 * 1024;
// What surrounds key text and separates an OpenSSH line's fields.
inline constexpr std::string_view kKeyTextWhitespace = " \t\r\n\f\v";

// KEY_TOO_LARGE over kMaxKeyTextSize (checked before anything else reads the text).
void check_key_text_size(std::string_view text);

// check_key_text_size, then KEY_PARSE for empty text or embedded NUL bytes. Returns the text
// without surrounding whitespace.
std::string_view prepare_key_text(std::string_view text);

}  // namespace ajwt
