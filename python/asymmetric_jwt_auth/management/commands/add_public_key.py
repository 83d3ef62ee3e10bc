from argparse import ArgumentParser
from pathlib import Path
from typing import Any, TextIO, cast
import json
import sys

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from asymmetric_jwt_auth.keys import PublicKey as KeyObject
from asymmetric_jwt_auth.models import PRIVATE_KEY_REFUSED, PublicKey, is_private_key_text


class Command(BaseCommand):
    stealth_options = ("stdin",)
    stdin: TextIO  # set by execute()
    help = "Register a public key (PEM, an OpenSSH line or a JWK; '-' reads standard input) for a user and print its fingerprint."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("username")
        parser.add_argument("key_file", help="public key file: PEM, one OpenSSH line or a JWK (JSON); '-' reads standard input")
        parser.add_argument("--comment", default="", help="what the key is for (shown in the admin; default: an OpenSSH line's comment)")
        parser.add_argument("--create-user", action="store_true", help="create the user (without a password) if missing")

    def handle(self, *args: Any, username: str, key_file: str, comment: str, create_user: bool, **options: Any) -> None:
        text = (self.stdin.read() if key_file == "-" else self._read(key_file)).strip()
        source = "standard input" if key_file == "-" else key_file
        if is_private_key_text(text):
            raise CommandError(f"{source}: {PRIVATE_KEY_REFUSED}")
        if text.startswith("{"):
            text = self._jwk_as_pem(text, source)
        user = self._user(username, create_user)
        key = PublicKey(user=user, key=text, comment=comment)
        try:
            key.full_clean()  # runs the key validator: PEM or OpenSSH, a supported type and size
        except ValidationError as e:
            raise CommandError(f"{source}: {'; '.join(e.messages)}") from None
        key.save()
        self.stdout.write(f"registered key {key.get_key().fingerprint} for {username}" + (f" ({key.comment})" if key.comment else ""))

    def execute(self, *args: Any, **options: Any) -> Any:
        self.stdin = cast(TextIO, options.get("stdin", sys.stdin))  # call_command(..., stdin=StringIO(...)), as createsuperuser
        return super().execute(*args, **options)

    def _user(self, username: str, create_user: bool) -> Any:
        User = get_user_model()
        lookup = {User.USERNAME_FIELD: username}
        if create_user:
            user, created = User.objects.get_or_create(**lookup)
            if created:
                user.set_unusable_password()  # authenticates with keys only
                user.save()
                self.stdout.write(f"created user {username}")
            return user
        try:
            return User.objects.get(**lookup)
        except User.DoesNotExist:
            raise CommandError(f"no user {username!r} (use --create-user)") from None

    def _jwk_as_pem(self, text: str, source: str) -> str:
        """A JWK is stored as PEM: the model keeps PEM or OpenSSH text, and a JWK's ``kid`` is not needed (the key's fingerprint is)."""
        try:
            return KeyObject.load_jwk(json.loads(text)).as_pem.decode()
        except (ValueError, TypeError) as e:
            raise CommandError(f"{source}: not a usable public JWK: {e}") from None

    def _read(self, path: str) -> str:
        try:
            return Path(path).read_text()
        except (OSError, UnicodeDecodeError) as e:
            raise CommandError(f"{path}: {e}") from None
