// Blowfish (Schneier, 1993) with the "expensive key schedule" of bcrypt (Provos and
// Mazieres, 1999), only as far as bcrypt_pbkdf needs it: OpenSSL 3 offers Blowfish only
// through its legacy provider and has no eksblowfish key schedule. Follows OpenBSD's
// lib/libc/crypt/blf.c (Niels Provos), function by function.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>

namespace ajwt {

class Blowfish {
public:
    // The initial state: the fractional hex digits of pi.
    Blowfish() noexcept;
    ~Blowfish();
    Blowfish(const Blowfish&) = delete;
    Blowfish& operator=(const Blowfish&) = delete;

    // Blowfish_expand0state: the ordinary key schedule step (key cycled over P, then P and
    // S refilled by encrypting zeros).
    void expand0(const uint8_t* key, size_t key_len) noexcept;
    // Blowfish_expandstate: as expand0, with `data` (the salt) mixed into each refill.
    void expand(const uint8_t* data, size_t data_len, const uint8_t* key, size_t key_len) noexcept;
    // Encrypts one 64-bit block held as two big-endian words.
    void encipher(uint32_t& left, uint32_t& right) const noexcept;

private:
    std::array<uint32_t, 18> p_;
    std::array<std::array<uint32_t, 256>, 4> s_;
};

}  // namespace ajwt
