#!/usr/bin/env python3
"""
Why the example service rejected a request, read from its log: the service logs asymmetric_jwt_auth at
DEBUG level, one or more lines per rejected request. Used by client.py and scripts/demo.sh, only to
explain a 401 in the demo's report (the checks themselves look at the HTTP status).

    python server_log.py LOG_FILE OFFSET

prints "NEW_OFFSET<TAB>REASON" for the lines written since byte OFFSET.
"""

from pathlib import Path
import re
import sys

_TOKENS = "[asymmetric_jwt_auth.tokens] "
_MIDDLEWARE = "[asymmetric_jwt_auth.middleware] "
_JWT_SUFFIX = re.compile(r"\.?\s*jwt:\[[^\]]*\]$")
# What every failed check against a key that is not the signer's says. The middleware checks a token
# against stand-in keys too (so that response times don't tell which keys a user has), so these lines
# show up for accepted tokens as well and explain nothing by themselves.
_NOT_THE_SIGNER = ("signature does not verify", "cannot be used with this key type")


def _message(line: str, prefix: str) -> str:
    return _JWT_SUFFIX.sub("", line[len(prefix) :]).strip()


def rejection_reason(log_text: str) -> str:
    """The most specific reason the log gives for the last rejection in ``log_text``, or ""."""
    verification: list[str] = []
    middleware = ""
    for line in log_text.splitlines():
        if line.startswith(_TOKENS):
            verification.append(_message(line, _TOKENS).removeprefix("JWT failed verification: "))
        elif line.startswith(_MIDDLEWARE):
            middleware = _message(line, _MIDDLEWARE).removeprefix("Exiting JWTAuthMiddleware because ")
    if middleware and not middleware.startswith("JWT verification failed"):
        return middleware  # no user, no header, malformed token: the middleware knows best
    specific = [reason for reason in verification if not any(text in reason for text in _NOT_THE_SIGNER)]
    if specific:
        return specific[-1]  # e.g. "nonce already used": the signer's key verified, a later check failed
    if any(_NOT_THE_SIGNER[0] in reason for reason in verification):
        return _NOT_THE_SIGNER[0]
    return middleware


class ServerLog:
    """Reads a log file incrementally; :meth:`reason` explains what was logged since the previous call."""

    def __init__(self, path: str | None, offset: int | None = None):
        self.path = Path(path) if path else None
        if offset is None:
            offset = self.path.stat().st_size if self.path is not None and self.path.exists() else 0
        self.offset = offset

    def reason(self) -> str:
        if self.path is None or not self.path.exists():
            return ""
        with self.path.open("rb") as fh:
            fh.seek(self.offset)
            text = fh.read().decode("utf-8", "replace")
            self.offset = fh.tell()
        return rejection_reason(text)


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(f"usage: {sys.argv[0]} LOG_FILE OFFSET")
    log = ServerLog(sys.argv[1], int(sys.argv[2]))
    reason = log.reason()
    print(f"{log.offset}\t{reason}")
