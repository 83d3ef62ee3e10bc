from argparse import ArgumentParser
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from asymmetric_jwt_auth.models import PublicKey


class Command(BaseCommand):
    help = "List the registered public keys (of one user, or of all): user, fingerprint, comment, last used."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("username", nargs="?", help="only this user's keys")

    def handle(self, *args: Any, username: str | None = None, **options: Any) -> None:
        User = get_user_model()
        keys = PublicKey.objects.select_related("user").order_by("user__" + User.USERNAME_FIELD, "pk")
        if username is not None:
            if not User.objects.filter(**{User.USERNAME_FIELD: username}).exists():
                raise CommandError(f"no user {username!r}")
            keys = keys.filter(**{"user__" + User.USERNAME_FIELD: username})
        rows = [(key.user.get_username(), self._fingerprint(key), key.comment, key.last_used_on.isoformat(timespec="seconds") if key.last_used_on else "never") for key in keys]
        if not rows:
            self.stdout.write("no public keys" + (f" for {username}" if username else ""))
            return
        header = ("USER", "FINGERPRINT (kid)", "COMMENT", "LAST USED")
        widths = [max(len(row[i]) for row in [header, *rows]) for i in range(3)]
        for row in [header, *rows]:
            self.stdout.write("  ".join(value.ljust(width) for value, width in zip(row, widths, strict=False)) + "  " + row[3])

    @staticmethod
    def _fingerprint(key: PublicKey) -> str:
        try:
            return key.get_key().fingerprint
        except (ValueError, TypeError) as e:  # a row written around the validator (e.g. QuerySet.update)
            return f"(unreadable key: {e})"
