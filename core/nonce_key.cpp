#include "nonce_key.hpp"

#include "key.hpp"

namespace ajwt {
namespace {

constexpr std::string_view kNonceKeyPrefix = "ajwt-nonce-";

void append_field(std::string& message, std::string_view field) {
    const uint64_t length = field.size();
    for (int shift = 56; shift >= 0; shift -= 8) message.push_back(static_cast<char>((length >> shift) & 0xff));
    message.append(field);
}

}  // namespace

std::string nonce_key(std::string_view username, int64_t time, std::string_view nonce) {
    const std::string time_text = std::to_string(time);
    std::string message;
    message.reserve(3 * 8 + username.size() + time_text.size() + nonce.size());
    append_field(message, username);
    append_field(message, time_text);
    append_field(message, nonce);
    std::string key(kNonceKeyPrefix);
    key += sha256_hex(message);
    return key;
}

int64_t nonce_ttl(int64_t tolerance) noexcept { return 2 * tolerance + 1; }

}  // namespace ajwt
