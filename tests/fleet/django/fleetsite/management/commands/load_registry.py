from argparse import ArgumentParser
from typing import Any
import json

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from asymmetric_jwt_auth.models import JWKSEndpointTrust, PublicKey


class Command(BaseCommand):
    help = "Load the fleet's REGISTRY.json: a user per entry, its public_keys as PublicKey rows, its JWKS URL as a JWKSEndpointTrust."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("registry")

    @transaction.atomic
    def handle(self, *args: Any, registry: str, **options: Any) -> None:
        try:
            with open(registry, encoding="utf-8") as f:
                users = json.load(f)["users"]
        except (OSError, ValueError, KeyError, TypeError) as e:
            raise CommandError(f"{registry}: {e}") from None
        User = get_user_model()
        for entry in users:
            user, created = User.objects.get_or_create(username=entry["username"])
            if created:
                user.set_unusable_password()  # authenticates with keys only
                user.save()
            for pem in entry.get("public_keys", []):
                key = PublicKey(user=user, key=pem)
                key.full_clean(exclude=["user"])
                key.save()
            jwks_urls = entry.get("jwks_urls", [])
            if len(jwks_urls) > 1:
                # JWKSEndpointTrust is one URL per user
                raise CommandError(f"user {entry['username']!r}: Django trusts one JWKS URL per user, the registry gives {len(jwks_urls)}")
            if jwks_urls:
                trust = JWKSEndpointTrust(user=user, jwks_url=jwks_urls[0])
                trust.full_clean(exclude=["user"])
                trust.save()
        self.stdout.write(f"loaded {len(users)} users")
