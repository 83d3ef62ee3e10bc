#include "base64url.hpp"

#include <array>
#include <cstdint>

namespace ajwt {
namespace {

constexpr char kUrlAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
constexpr char kStdAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

using DecodeTable = std::array<int8_t, 256>;

constexpr DecodeTable make_table(const char* alphabet) {
    DecodeTable table{};
    for (auto& entry : table) entry = -1;
    for (int i = 0; i < 64; ++i) table[static_cast<unsigned char>(alphabet[i])] = static_cast<int8_t>(i);
    return table;
}

// The same lookup pre-shifted into each of a quad's four positions, with bit 31 flagging an
// invalid character: a quad decodes with four loads and three ORs (the token hot path).
struct QuadTable {
    std::array<uint32_t, 256> shifted[4];
};

constexpr uint32_t kInvalid = 0x80000000u;

constexpr QuadTable make_quad_table(const DecodeTable& table) {
    QuadTable quad{};
    for (int c = 0; c < 256; ++c) {
        for (int position = 0; position < 4; ++position) {
            quad.shifted[position][c] =
                table[c] < 0 ? kInvalid : static_cast<uint32_t>(table[c]) << (18 - 6 * position);
        }
    }
    return quad;
}

struct Alphabet {
    DecodeTable single;
    QuadTable quad;
};

constexpr Alphabet kUrl{make_table(kUrlAlphabet), make_quad_table(make_table(kUrlAlphabet))};
constexpr Alphabet kStd{make_table(kStdAlphabet), make_quad_table(make_table(kStdAlphabet))};

std::string encode(std::string_view bytes, const char* alphabet, bool pad) {
    std::string out;
    out.reserve((bytes.size() + 2) / 3 * 4);
    size_t i = 0;
    for (; i + 3 <= bytes.size(); i += 3) {
        uint32_t n = (uint8_t(bytes[i]) << 16) | (uint8_t(bytes[i + 1]) << 8) | uint8_t(bytes[i + 2]);
        out += alphabet[n >> 18];
        out += alphabet[(n >> 12) & 63];
        out += alphabet[(n >> 6) & 63];
        out += alphabet[n & 63];
    }
    size_t rest = bytes.size() - i;
    if (rest == 1) {
        uint32_t n = uint8_t(bytes[i]) << 16;
        out += alphabet[n >> 18];
        out += alphabet[(n >> 12) & 63];
        if (pad) out += "==";
    } else if (rest == 2) {
        uint32_t n = (uint8_t(bytes[i]) << 16) | (uint8_t(bytes[i + 1]) << 8);
        out += alphabet[n >> 18];
        out += alphabet[(n >> 12) & 63];
        out += alphabet[(n >> 6) & 63];
        if (pad) out += '=';
    }
    return out;
}

// Decodes unpadded text; rejects foreign characters, impossible lengths and non-zero
// unused trailing bits (so every byte string has exactly one accepted encoding).
std::optional<std::string> decode_unpadded(std::string_view text, const Alphabet& alphabet) {
    const size_t rest = text.size() % 4;
    if (rest == 1) return std::nullopt;
    std::string out(text.size() / 4 * 3 + (rest ? rest - 1 : 0), '\0');
    const auto* in = reinterpret_cast<const unsigned char*>(text.data());
    auto* o = reinterpret_cast<unsigned char*>(out.data());
    const auto& q = alphabet.quad.shifted;
    for (size_t quads = text.size() / 4; quads > 0; --quads, in += 4, o += 3) {
        const uint32_t n = q[0][in[0]] | q[1][in[1]] | q[2][in[2]] | q[3][in[3]];
        if (n & kInvalid) return std::nullopt;
        o[0] = static_cast<unsigned char>(n >> 16);
        o[1] = static_cast<unsigned char>(n >> 8);
        o[2] = static_cast<unsigned char>(n);
    }
    if (rest >= 2) {
        const DecodeTable& table = alphabet.single;
        const int32_t a = table[in[0]], b = table[in[1]], c = rest == 3 ? table[in[2]] : 0;
        if ((a | b | c) < 0) return std::nullopt;                                // an invalid character maps to -1
        if (rest == 2 ? (b & 0x0f) != 0 : (c & 0x03) != 0) return std::nullopt;  // non-zero unused bits
        o[0] = static_cast<unsigned char>((a << 2) | (b >> 4));
        if (rest == 3) o[1] = static_cast<unsigned char>(((b & 0x0f) << 4) | (c >> 2));
    }
    return out;
}

}  // namespace

std::string base64url_encode(std::string_view bytes) { return encode(bytes, kUrlAlphabet, false); }

std::optional<std::string> base64url_decode(std::string_view text) { return decode_unpadded(text, kUrl); }

std::string base64_encode(std::string_view bytes) { return encode(bytes, kStdAlphabet, true); }

std::optional<std::string> base64_decode(std::string_view text) {
    if (text.size() % 4 != 0) return std::nullopt;
    size_t padding = 0;
    while (padding < 2 && padding < text.size() && text[text.size() - 1 - padding] == '=') ++padding;
    return decode_unpadded(text.substr(0, text.size() - padding), kStd);
}

}  // namespace ajwt
