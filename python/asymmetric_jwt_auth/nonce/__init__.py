import functools

from django.utils.module_loading import import_string

from .. import get_setting
from .base import BaseNonceBackend


@functools.lru_cache(maxsize=16)
def import_backend(backend_path: str) -> type[BaseNonceBackend]:
    # Imported once per dotted path: the lookup runs on every verification.
    backend: type[BaseNonceBackend] = import_string(backend_path)
    return backend


def get_nonce_backend() -> BaseNonceBackend:
    """A new instance of the backend that the ``NONCE_BACKEND`` setting names (read on every call)."""
    return import_backend(get_setting("NONCE_BACKEND"))()


__all__ = ["BaseNonceBackend", "get_nonce_backend", "import_backend"]
