#include "bcrypt_pbkdf.hpp"

#include <algorithm>
#include <array>

#include <openssl/crypto.h>
#include <openssl/sha.h>

#include "blowfish.hpp"
#include "error.hpp"

namespace ajwt {
namespace {

constexpr size_t kHashWords = 8;
constexpr size_t kHashSize = kHashWords * 4;
using Sha512 = std::array<uint8_t, SHA512_DIGEST_LENGTH>;
using HashBlock = std::array<uint8_t, kHashSize>;

// Wipes what it holds when it goes out of scope.
template <typename Array>
struct Wiped {
    Array value{};
    ~Wiped() { OPENSSL_cleanse(value.data(), value.size()); }
};

// bcrypt_hash: eksblowfish keyed by the hashed password and salt, then 64 encryptions of a
// fixed text. The words come out little-endian: bcrypt_pbkdf's documented quirk, kept
// because the key files depend on it.
void bcrypt_hash(const Sha512& password, const Sha512& salt, HashBlock& out) {
    static constexpr char kText[] = "OxychromaticBlowfishSwatDynamite";
    static_assert(sizeof kText - 1 == kHashSize);
    Blowfish state;
    state.expand(salt.data(), salt.size(), password.data(), password.size());
    for (int i = 0; i < 64; ++i) {
        state.expand0(salt.data(), salt.size());
        state.expand0(password.data(), password.size());
    }
    std::array<uint32_t, kHashWords> words{};
    for (size_t i = 0; i < kHashWords; ++i)
        for (size_t k = 0; k < 4; ++k) words[i] = (words[i] << 8) | static_cast<uint8_t>(kText[4 * i + k]);
    for (int i = 0; i < 64; ++i)
        for (size_t k = 0; k < kHashWords; k += 2) state.encipher(words[k], words[k + 1]);
    for (size_t i = 0; i < kHashWords; ++i)
        for (size_t k = 0; k < 4; ++k) out[4 * i + k] = static_cast<uint8_t>(words[i] >> (8 * k));
    OPENSSL_cleanse(words.data(), sizeof words);
}

void sha512(const uint8_t* data, size_t size, Sha512& out) { SHA512(data, size, out.data()); }

}  // namespace

void bcrypt_pbkdf(std::string_view password, std::string_view salt, uint32_t rounds, uint8_t* key, size_t key_len) {
    if (password.empty() || salt.empty() || rounds == 0 || key_len == 0 || key_len > kMaxBcryptKeySize)
        throw Error(AJWT_ERR_INVALID_ARGUMENT, "bcrypt_pbkdf: empty password or salt, no rounds, or bad key size");
    // The output is spread over the key: byte i of block `count` lands at i * stride + count - 1.
    const size_t stride = (key_len + kHashSize - 1) / kHashSize;
    const size_t amount = (key_len + stride - 1) / stride;

    Wiped<Sha512> hashed_password, hashed_salt;
    sha512(reinterpret_cast<const uint8_t*>(password.data()), password.size(), hashed_password.value);
    Wiped<HashBlock> out, block;
    std::string salted(salt);
    salted.append(4, '\0');
    size_t remaining = key_len;
    for (uint32_t count = 1; remaining > 0; ++count) {
        for (int k = 0; k < 4; ++k) salted[salt.size() + k] = static_cast<char>(count >> (24 - 8 * k));
        sha512(reinterpret_cast<const uint8_t*>(salted.data()), salted.size(), hashed_salt.value);
        bcrypt_hash(hashed_password.value, hashed_salt.value, block.value);
        out.value = block.value;
        for (uint32_t round = 1; round < rounds; ++round) {
            sha512(block.value.data(), block.value.size(), hashed_salt.value);
            bcrypt_hash(hashed_password.value, hashed_salt.value, block.value);
            for (size_t i = 0; i < kHashSize; ++i) out.value[i] ^= block.value[i];
        }
        size_t written = 0;
        for (; written < std::min(amount, remaining); ++written) {
            const size_t destination = written * stride + (count - 1);
            if (destination >= key_len) break;
            key[destination] = out.value[written];
        }
        remaining -= written;
    }
}

}  // namespace ajwt
