import secrets


class BaseNonceBackend:
    """
    Stores the nonces of verified tokens so that no token is accepted twice.

    Subclasses implement :meth:`validate_nonce` and :meth:`log_used_nonce` (the 1.x interface), and should
    override :meth:`check_and_record_nonce` with one atomic operation: the default runs the two steps in
    turn, so two concurrent requests carrying one token could both pass.
    """

    def validate_nonce(self, username: str, timestamp: int, nonce: str) -> bool:  # pragma: no cover
        raise NotImplementedError()

    def log_used_nonce(self, username: str, timestamp: int, nonce: str) -> None:  # pragma: no cover
        raise NotImplementedError()

    def check_and_record_nonce(self, username: str, timestamp: int, nonce: str) -> bool:
        """
        Record the nonce as used and return True, or return False if it was already used. Called once per
        verified token, after its signature and time have been checked.
        """
        if not self.validate_nonce(username, timestamp, nonce):
            return False
        self.log_used_nonce(username, timestamp, nonce)
        return True

    def generate_nonce(self) -> str:
        return secrets.token_urlsafe(nbytes=8)
