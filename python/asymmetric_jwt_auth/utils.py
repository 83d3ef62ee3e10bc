"""
Helpers kept for API compatibility with asymmetric-jwt-auth 1.x (JWK encoding itself is native now), and
:class:`printable` for values that reach a log.
"""

import base64
import re


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


# C0 and C1 controls, DEL, line and paragraph separators, bidirectional overrides and marks, lone surrogates
_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


def _escape(match: "re.Match[str]") -> str:
    return match.group().encode("unicode_escape").decode("ascii")


def escape_control_characters(text: str) -> str:
    """``text`` with each control character written as an escape (``\\n``, ``\\x1b``, ``\\u2028``): one log line."""
    return _UNPRINTABLE.sub(_escape, text)


class printable:  # noqa: N801 - used like a function in log calls
    """
    A value that an untrusted party chose (a claimed username, a header), for a log message: formatted with its
    control characters escaped, so that it cannot start a line of its own (forge a record) or restyle a terminal.
    Escapes only when the record is formatted, so a disabled DEBUG level costs nothing more.
    """

    __slots__ = ("value",)

    def __init__(self, value: object) -> None:
        self.value = value

    def __str__(self) -> str:
        return escape_control_characters(str(self.value))

    def __repr__(self) -> str:
        return escape_control_characters(repr(self.value))
