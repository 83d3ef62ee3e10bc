"""Helpers kept for API compatibility with asymmetric-jwt-auth 1.x (JWK encoding itself is native now)."""

import base64


def long2intarr(long_int: int) -> list[int]:
    """Big-endian list of the bytes of a non-negative integer ([] for 0)."""
    return list(long_int.to_bytes((long_int.bit_length() + 7) // 8, "big")) if long_int else []


def long_to_base64(n: int, mlen: int = 0) -> str:
    """Unpadded base64url of a non-negative integer, left-padded with zero bytes to ``mlen`` bytes."""
    data = bytes(long2intarr(n))
    if mlen and len(data) < mlen:
        data = b"\x00" * (mlen - len(data)) + data
    if not data:
        data = b"\x00"
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")
