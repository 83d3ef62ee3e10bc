"""The installed package: native module on the C ABI, typing marker, and no PyJWT / cryptography at run time."""

from pathlib import Path
import importlib
import subprocess
import sys
import textwrap

import pytest

import asymmetric_jwt_auth
from asymmetric_jwt_auth import _native

MODULES = [
    "asymmetric_jwt_auth",
    "asymmetric_jwt_auth.admin",
    "asymmetric_jwt_auth.apps",
    "asymmetric_jwt_auth.exceptions",
    "asymmetric_jwt_auth.jwks",
    "asymmetric_jwt_auth.keys",
    "asymmetric_jwt_auth.middleware",
    "asymmetric_jwt_auth.models",
    "asymmetric_jwt_auth.nonce",
    "asymmetric_jwt_auth.nonce.base",
    "asymmetric_jwt_auth.nonce.django",
    "asymmetric_jwt_auth.nonce.null",
    "asymmetric_jwt_auth.repos",
    "asymmetric_jwt_auth.repos.base",
    "asymmetric_jwt_auth.repos.django",
    "asymmetric_jwt_auth.tokens",
    "asymmetric_jwt_auth.urls",
    "asymmetric_jwt_auth.utils",
    "asymmetric_jwt_auth.views",
    "asymmetric_jwt_auth.management.commands.generate_key_pair",
]


def test_imports_the_installed_wheel_not_the_source_tree() -> None:
    package_dir = Path(asymmetric_jwt_auth.__file__).resolve().parent
    assert "site-packages" in package_dir.parts
    assert Path(_native.__file__).resolve().parent == package_dir
    assert (package_dir / "py.typed").is_file()
    for name in ("0001_initial", "0006_jwksendpointtrust_last_used_on_alter_publickey_key"):
        assert (package_dir / "migrations" / f"{name}.py").is_file()


@pytest.mark.parametrize("module", MODULES)
def test_upstream_module_paths_import(module: str) -> None:
    importlib.import_module(module)


def test_native_reports_the_c_abi_version() -> None:
    assert _native.version() == "0.1.0"
    assert _native.DEFAULT_TOLERANCE == 20
    assert _native.status_str(int(_native.Status.BAD_SIGNATURE))
    assert abs(_native.now() - __import__("time").time()) < 5


def test_runs_without_pyjwt_or_cryptography() -> None:
    """The whole API works, and neither PyJWT nor cryptography is ever imported, with both made unimportable."""
    script = textwrap.dedent(
        """
        import sys

        class Block:
            def find_spec(self, name, path=None, target=None):
                if name.split(".")[0] in ("jwt", "cryptography"):
                    raise ImportError(f"{name} is blocked")
                return None

        sys.meta_path.insert(0, Block())
        import django
        from django.conf import settings
        settings.configure(
            INSTALLED_APPS=[
                "django.contrib.admin", "django.contrib.auth", "django.contrib.contenttypes",
                "django.contrib.sessions", "django.contrib.messages", "asymmetric_jwt_auth",
            ],
            DATABASES={"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}},
        )
        django.setup()
        """
    ) + "\n".join(f"import {m}" for m in MODULES) + textwrap.dedent(
        """
        from asymmetric_jwt_auth import keys, tokens
        key = keys.Ed25519PrivateKey.generate()
        untrusted = tokens.UntrustedToken(tokens.Token("alice").sign(key))
        assert untrusted.verify(key.public_key).username == "alice"
        for convert in (keys.PublicKey.from_cryptography_pubkey, keys.PrivateKey.from_cryptography_privkey):
            try:
                convert(object())
            except TypeError:
                pass
            else:
                raise AssertionError("expected TypeError")
        assert not [m for m in sys.modules if m.split(".")[0] in ("jwt", "cryptography")]
        print("ok")
        """
    )
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd="/", timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "ok"
