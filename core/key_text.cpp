#include "key_text.hpp"

#include <string>

#include "error.hpp"

namespace ajwt {

void check_key_text_size(std::string_view text) {
    if (text.size() > kMaxKeyTextSize)
        throw KeyError(AJWT_ERR_KEY_TOO_LARGE, "key text larger than " + std::to_string(kMaxKeyTextSize) + " bytes");
}

std::string_view prepare_key_text(std::string_view text) {
    check_key_text_size(text);
    if (text.find('\0') != std::string_view::npos) throw KeyError(AJWT_ERR_KEY_PARSE, "key text contains a NUL byte");
    const size_t first = text.find_first_not_of(kKeyTextWhitespace);
    if (first == std::string_view::npos) throw KeyError(AJWT_ERR_KEY_PARSE, "empty key text");
    const size_t last = text.find_last_not_of(kKeyTextWhitespace);
    return text.substr(first, last - first + 1);
}

}  // namespace ajwt
