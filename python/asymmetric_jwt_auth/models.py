from functools import lru_cache
from typing import Any
import json
import warnings

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.encoding import force_bytes, force_str
from django.utils.translation import gettext_lazy as _

from . import jwks, keys, tokens


#: Why a private key is refused where a public key is expected (the admin, ``manage.py add_public_key``)
PRIVATE_KEY_REFUSED = (
    "This is a private key. Register the public key only (e.g. the .pub file, or the output of "
    "ajwt pubkey / ssh-keygen -y), and keep the private key secret: consider it exposed if it was shared."
)


def is_private_key_text(keystr: str | bytes) -> bool:
    """Whether the text is a private key: a PEM or OpenSSH private key block, or a JWK with private members."""
    text = force_str(keystr).strip()
    if "PRIVATE KEY-----" in text:
        return True
    if text.startswith("{"):
        try:
            jwk = json.loads(text)
        except ValueError:
            return False
        return isinstance(jwk, dict) and any(member in jwk for member in ("d", "p", "q", "dp", "dq", "qi"))
    return False


def validate_public_key(keystr: str) -> None:
    """
    Check that the given value is a valid public key in either PEM or OpenSSH format. If it is invalid,
    raises ``django.core.exceptions.ValidationError``.
    """
    if is_private_key_text(keystr):
        raise ValidationError(PRIVATE_KEY_REFUSED, code="private_key")
    key_bytes = force_bytes(keystr)
    exc, key = keys.PublicKey.load_serialized_public_key(key_bytes)
    is_valid = (exc is None) and (key is not None)
    if not is_valid:
        raise ValidationError(f"Public key is invalid: {exc}")


_JWKS_CLIENT_DEPRECATION = (
    "{} is deprecated and will be removed in a future release. JWKS keys are loaded through "
    "asymmetric_jwt_auth.jwks, and this client (PyJWT's, which must be installed for it) bypasses its cache."
)


@lru_cache
def _get_jwks_client(jwks_url: str) -> Any:
    try:
        from jwt import PyJWKClient
    except ImportError as e:  # PyJWT is not a dependency any more
        raise ImportError("get_jwks_client() needs PyJWT: pip install pyjwt[crypto]") from e
    return PyJWKClient(jwks_url)


def get_jwks_client(jwks_url: str) -> Any:
    """
    Deprecated: authentication does not use this. Get the signing key through
    :meth:`JWKSEndpointTrust.get_signing_key` instead. Returns a ``jwt.PyJWKClient`` (needs PyJWT).
    """
    warnings.warn(_JWKS_CLIENT_DEPRECATION.format("get_jwks_client()"), DeprecationWarning, stacklevel=2)
    return _get_jwks_client(jwks_url)


class PublicKey(models.Model):
    """
    Store a public key and associate it to a particular user.

    Implements the same concept as the OpenSSH ``~/.ssh/authorized_keys`` file on a Unix system.
    """

    #: Foreign key to the Django User model. Related name: ``public_keys``.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("User"),
        related_name="public_keys",
        on_delete=models.CASCADE,
    )

    #: Key text in either PEM or OpenSSH format.
    key = models.TextField(
        _("Public Key"),
        help_text=_("The user's RSA/Ed25519 public key"),
        validators=[validate_public_key],
    )

    #: Comment describing the key. Use this to note what system is authenticating with the key, when it was last rotated, etc.
    comment = models.CharField(
        _("Comment"),
        max_length=100,
        help_text=_("Comment describing this key"),
        blank=True,
    )

    #: Date and time that key was last used for authenticating a request.
    last_used_on = models.DateTimeField(_("Last Used On"), null=True, blank=True)

    class Meta:
        verbose_name = _("Public Key")
        verbose_name_plural = _("Public Keys")

    def __str__(self) -> str:
        return self.comment or f"Public Key {self.pk}"

    def get_key(self) -> keys.FacadePublicKey:
        key_bytes = force_bytes(self.key)
        exc, key = keys.PublicKey.load_serialized_public_key(key_bytes)
        if key is None:
            if exc is None:  # pragma: no cover
                raise ValueError("Failed to load key")
            raise exc
        return key

    def update_last_used_datetime(self) -> None:
        self.last_used_on = timezone.now()
        self.save(update_fields=["last_used_on"])

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self.comment:
            self.comment = self._openssh_comment()
        super().save(*args, **kwargs)

    def _openssh_comment(self) -> str:
        """
        The comment of an OpenSSH key line (its third field, which may contain spaces), cut to the field's length.
        """
        text = force_str(self.key).strip()
        key_parts = text.split(" ")
        if len(key_parts) < 3 or text.startswith("-----"):
            return ""
        exc, key = keys.PublicKey.load_serialized_public_key(force_bytes(text))
        comment = key.comment if key is not None and exc is None else " ".join(key_parts[2:])
        return comment[: self._meta.get_field("comment").max_length]


class JWKSEndpointTrust(models.Model):
    """
    Associate a JSON Web Key Set (JWKS) URL with a Django User.

    This accomplishes the same purpose of the PublicKey model, in a more automated
    fashion. Instead of manually assigning a public key to a user, the system will
    load a list of public keys from this URL.
    """

    #: Foreign key to the Django User model. Related name: ``public_keys``.
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("User"),
        related_name="jwks_endpoint",
        on_delete=models.CASCADE,
    )

    #: URL of the JSON Web Key Set (JWKS)
    jwks_url = models.URLField(
        _("JSON Web Key Set (JWKS) URL"),
        help_text=_("e.g. https://dev-87evx9ru.auth0.com/.well-known/jwks.json"),
    )

    #: Date and time that key was last used for authenticating a request.
    last_used_on = models.DateTimeField(_("Last Used On"), null=True, blank=True)

    class Meta:
        verbose_name = _("JSON Web Key Set")
        verbose_name_plural = _("JSON Web Key Sets")

    def __str__(self) -> str:
        return self.jwks_url

    def clean(self) -> None:
        """
        Refuse a URL that can never be fetched (see :func:`asymmetric_jwt_auth.jwks.check_jwks_url`: scheme, host,
        plain http, private or link-local IPs) and store it in ASCII (IDNA host, percent-encoded path).
        """
        super().clean()
        if not self.jwks_url:
            return
        try:
            normalized = jwks.normalize_jwks_url(self.jwks_url)
        except jwks.JWKSFetchError as e:
            raise ValidationError({"jwks_url": str(e)}) from e
        if len(normalized) > self._meta.get_field("jwks_url").max_length:
            raise ValidationError({"jwks_url": _("The URL is too long once its host is in IDNA and its path percent-encoded.")})
        self.jwks_url = normalized

    def save(self, *args: Any, **kwargs: Any) -> None:
        # Rows made without full_clean() (objects.create, fixtures) are stored in ASCII too where that can be done
        update_fields = kwargs.get("update_fields")
        if self.jwks_url and (update_fields is None or "jwks_url" in update_fields):
            try:
                normalized = jwks.normalize_jwks_url(self.jwks_url)
            except jwks.JWKSFetchError:
                normalized = self.jwks_url  # the fetch refuses it as a failed fetch; the user's other keys still work
            if len(normalized) <= self._meta.get_field("jwks_url").max_length:
                self.jwks_url = normalized
        super().save(*args, **kwargs)

    @property
    def jwks_client(self) -> Any:
        """
        Deprecated: authentication does not use this. Use :meth:`get_signing_key` instead.
        """
        warnings.warn(_JWKS_CLIENT_DEPRECATION.format("JWKSEndpointTrust.jwks_client"), DeprecationWarning, stacklevel=2)
        return _get_jwks_client(self.jwks_url)

    def get_signing_key(self, untrusted_token: tokens.UntrustedToken) -> keys.FacadePublicKey:
        """
        Get the key from this endpoint's key set whose ID matches the token's ``kid`` header.

        :raises asymmetric_jwt_auth.exceptions.SigningKeyNotFound: if no trusted key matches (also a
            ``jwt.PyJWKClientError`` when PyJWT is installed, as 1.3.0 raised).
        """
        return jwks.get_signing_key(self.jwks_url, untrusted_token.get_claimed_key_id()).public_key

    def update_last_used_datetime(self) -> None:
        self.last_used_on = timezone.now()
        self.save(update_fields=["last_used_on"])
