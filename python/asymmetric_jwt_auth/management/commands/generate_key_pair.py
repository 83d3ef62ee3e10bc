from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand

from asymmetric_jwt_auth.keys import ECPrivateKey, Ed448PrivateKey, Ed25519PrivateKey, FacadePrivateKey, RSAPrivateKey

TYPE_RSA = "RSA"
TYPE_ED25519 = "Ed25519"
TYPE_ED448 = "Ed448"
TYPE_EC_P256 = "EC-P256"
TYPE_EC_P384 = "EC-P384"
TYPE_EC_P521 = "EC-P521"
TYPE_CHOICES = [
    TYPE_RSA,
    TYPE_ED25519,
    TYPE_ED448,
    TYPE_EC_P256,
    TYPE_EC_P384,
    TYPE_EC_P521,
]


class Command(BaseCommand):
    help = "Generate a public / private key pair (RSA by default)"

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("-t", "--keytype", choices=TYPE_CHOICES, default=TYPE_RSA)

    def handle(self, *args: Any, keytype: str = TYPE_RSA, **options: Any) -> None:
        privkey: FacadePrivateKey
        if keytype == TYPE_ED25519:
            privkey = Ed25519PrivateKey.generate()
        elif keytype == TYPE_ED448:
            privkey = Ed448PrivateKey.generate()
        elif keytype.startswith("EC-"):
            privkey = ECPrivateKey.generate(curve=f"P-{keytype[4:]}")
        else:
            privkey = RSAPrivateKey.generate()
        self.stdout.write(privkey.as_pem.decode())
        self.stdout.write(privkey.public_key.as_pem.decode())
