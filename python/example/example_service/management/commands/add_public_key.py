from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from asymmetric_jwt_auth.models import PublicKey


class Command(BaseCommand):
    help = "Register a public key (PEM or OpenSSH file, '-' for standard input) for a user."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("username")
        parser.add_argument("key_file", help="public key file: PEM, or one OpenSSH line; '-' reads standard input")
        parser.add_argument("--comment", default="", help="what the key is for (shown in the admin)")
        parser.add_argument("--create-user", action="store_true", help="create the user (without a password) if missing")

    def handle(self, *args: Any, username: str, key_file: str, comment: str, create_user: bool, **options: Any) -> None:
        text = self.stdin.read() if key_file == "-" else self._read(key_file)
        User = get_user_model()
        lookup = {User.USERNAME_FIELD: username}
        if create_user:
            user, created = User.objects.get_or_create(**lookup)
            if created:
                user.set_unusable_password()  # authenticates with keys only
                user.save()
                self.stdout.write(f"created user {username}")
        else:
            try:
                user = User.objects.get(**lookup)
            except User.DoesNotExist:
                raise CommandError(f"no user {username!r} (use --create-user)") from None

        key = PublicKey(user=user, key=text.strip(), comment=comment)
        try:
            key.full_clean()  # runs the key validator: PEM or OpenSSH, a supported type and size
        except ValidationError as e:
            raise CommandError(f"{key_file}: {'; '.join(e.messages)}") from None
        key.save()
        self.stdout.write(f"registered key {key.get_key().fingerprint} for {username}")

    def _read(self, path: str) -> str:
        try:
            return Path(path).read_text()
        except (OSError, UnicodeDecodeError) as e:
            raise CommandError(f"{path}: {e}") from None
