"""JWTAuthMiddleware: RequestFactory cases as in upstream 1.x, end to end with the Django test client, and async."""

from typing import Any
from unittest import mock
import base64
import json
import logging
import time

from asgiref.sync import async_to_sync, iscoroutinefunction
from django.contrib.auth.models import AnonymousUser, User
from django.db import connection
from django.test import AsyncClient, Client, RequestFactory
from django.test.utils import CaptureQueriesContext
import pytest

from asymmetric_jwt_auth import jwks
from asymmetric_jwt_auth.keys import Ed25519PrivateKey, RSAPrivateKey, RSAPublicKey
from asymmetric_jwt_auth.middleware import JWTAuthMiddleware
from asymmetric_jwt_auth.models import JWKSEndpointTrust, PublicKey
from asymmetric_jwt_auth.tokens import Token, UntrustedToken

pytestmark = pytest.mark.django_db


def _b64(data: dict[str, object]) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()


def forged_auth_header(username: str, alg: object, kid: str | None = None, signature_length: int | None = None) -> str:
    """An auth header whose JWT claims ``username`` and names ``alg``, signed with no key we trust"""
    header: dict[str, object] = {"typ": "JWT", "alg": alg}
    if kid is not None:
        header["kid"] = kid
    payload = {"username": username, "time": int(time.time()), "nonce": "forged"}
    signature = base64.urlsafe_b64encode(b"\x01" * (signature_length or 64)).rstrip(b"=").decode()
    return f"JWT {_b64(header)}.{_b64(payload)}.{signature}"


def _describe_key(public_key: Any) -> str:
    return f"RSA-{public_key.key_size}" if isinstance(public_key, RSAPublicKey) else type(public_key).__name__


class Base:
    rfactory = RequestFactory()

    @pytest.fixture(autouse=True)
    def _setup(self, ed25519_key: Any, rsa_key: Any) -> None:
        self.user = User.objects.create_user(username="foo")
        self.user2 = User.objects.create_user(username="bar")
        self.key_ed25519 = ed25519_key
        self.key_rsa = rsa_key
        self.next_middleware = mock.MagicMock()
        self.run_middleware = JWTAuthMiddleware(self.next_middleware)

    def run(self, header: str | None) -> Any:
        request = self.rfactory.get("/", HTTP_AUTHORIZATION=header) if header is not None else self.rfactory.get("/")
        self.run_middleware(request)
        return request

    def assert_not_logged_in(self, request: Any) -> None:
        assert getattr(request, "user", None) is None
        assert not getattr(request, "_dont_enforce_csrf_checks", False)

    def assert_logged_in(self, request: Any, public_key: PublicKey | None = None) -> None:
        if public_key is not None:
            public_key.refresh_from_db()
            assert public_key.last_used_on is not None
        assert getattr(request, "user", None) == self.user
        assert request._dont_enforce_csrf_checks is True

    def run_counting_work(self, header: str) -> tuple[int, int, int]:
        """Run the middleware: the number of DB queries, cache reads and signature checks it made"""
        from django.core.cache import cache

        request = self.rfactory.get("/", HTTP_AUTHORIZATION=header)
        with (
            CaptureQueriesContext(connection) as queries,
            mock.patch.object(jwks, "cache", mock.MagicMock(wraps=cache)) as counted_cache,
            mock.patch.object(UntrustedToken, "verify", autospec=True, side_effect=UntrustedToken.verify) as counted_verify,
        ):
            self.run_middleware(request)
        self.assert_not_logged_in(request)
        return len(queries), counted_cache.get.call_count, counted_verify.call_count

    def checked_keys(self, header: str) -> list[str]:
        request = self.rfactory.get("/", HTTP_AUTHORIZATION=header)
        with mock.patch.object(UntrustedToken, "verify", autospec=True, side_effect=UntrustedToken.verify) as verify:
            self.run_middleware(request)
        self.assert_not_logged_in(request)
        return sorted(_describe_key(call.kwargs["public_key"]) for call in verify.call_args_list)


class TestMiddleware(Base):
    @pytest.fixture(autouse=True)
    def _keys(self, _setup: None) -> None:
        self.user_key_ed25519 = PublicKey.objects.create(user=self.user, key=self.key_ed25519.public_key.as_pem.decode())
        self.user_key_rsa = PublicKey.objects.create(user=self.user, key=self.key_rsa.public_key.as_pem.decode())

    def test_no_auth_header(self) -> None:
        self.assert_not_logged_in(self.run(None))
        assert self.next_middleware.call_count == 1

    @pytest.mark.parametrize("header", ["Fooopbar", "Bearer foobar", "JWT", "JWT ", "JWT  ", "jwt garbage", "JWT a.b.c", "JWT \x00"])
    def test_malformed_headers(self, header: str) -> None:
        self.assert_not_logged_in(self.run(header))
        assert self.next_middleware.call_count == 1

    def test_header_jwt_missing_username(self) -> None:
        self.assert_not_logged_in(self.run(forged_auth_header("", "EdDSA")))

    def test_header_jwt_claimed_username_doesnt_exist(self) -> None:
        self.assert_not_logged_in(self.run(Token("rusty").create_auth_header(self.key_rsa)))

    def test_unsupported_algorithm_rejected_before_user_lookup(self) -> None:
        for alg in ("none", "HS256", ["RS256"], None):
            for username in (self.user.username, "rusty"):
                request = self.rfactory.get("/", HTTP_AUTHORIZATION=forged_auth_header(username, alg))
                with CaptureQueriesContext(connection) as queries:
                    self.run_middleware(request)
                assert len(queries) == 0
                self.assert_not_logged_in(request)
        assert self.next_middleware.call_count == 8

    def test_custom_repository_algorithms(self) -> None:
        repo = mock.MagicMock(supported_algorithms=frozenset(["EdDSA"]))
        repo.attempt_to_verify_token.return_value = None
        with mock.patch("asymmetric_jwt_auth.middleware.get_public_key_repositories", return_value=[repo]):
            run_middleware = JWTAuthMiddleware(self.next_middleware)
        request = self.rfactory.get("/", HTTP_AUTHORIZATION=forged_auth_header(self.user.username, "EdDSA"))
        run_middleware(request)
        self.assert_not_logged_in(request)
        repo.attempt_to_verify_token.assert_called_once()

    def test_unknown_user_simulates_key_lookups(self) -> None:
        repo = mock.MagicMock(supported_algorithms=frozenset(["EdDSA"]))
        with mock.patch("asymmetric_jwt_auth.middleware.get_public_key_repositories", return_value=[repo]):
            run_middleware = JWTAuthMiddleware(self.next_middleware)
        request = self.rfactory.get("/", HTTP_AUTHORIZATION=forged_auth_header("rusty", "EdDSA"))
        run_middleware(request)
        self.assert_not_logged_in(request)
        repo.attempt_to_verify_token.assert_not_called()
        repo.simulate_attempt_to_verify_token.assert_called_once()
        assert repo.simulate_attempt_to_verify_token.call_args.args[0] == "rusty"

    def test_repository_without_declared_algorithms_disables_algorithm_check(self) -> None:
        repo = mock.MagicMock(supported_algorithms=None)
        repo.attempt_to_verify_token.return_value = None
        with mock.patch("asymmetric_jwt_auth.middleware.get_public_key_repositories", return_value=[repo]):
            run_middleware = JWTAuthMiddleware(self.next_middleware)
        assert run_middleware.supported_algorithms is None

    def test_repository_not_subclassing_base(self) -> None:
        class LegacyRepository:
            def attempt_to_verify_token(self, user: User, untrusted_token: UntrustedToken) -> None:
                return None

        with mock.patch("asymmetric_jwt_auth.middleware.get_public_key_repositories", return_value=[LegacyRepository()]):
            run_middleware = JWTAuthMiddleware(self.next_middleware)
        for username in (self.user.username, "rusty"):
            request = self.rfactory.get("/", HTTP_AUTHORIZATION=Token(username).create_auth_header(self.key_ed25519))
            run_middleware(request)
            self.assert_not_logged_in(request)

    def test_forged_token_does_same_work_for_real_and_unknown_users(self) -> None:
        for alg in ("RS256", "EdDSA", "ES256"):
            for kid in (None, "forged"):
                real = self.run_counting_work(forged_auth_header(self.user.username, alg, kid))
                unknown = self.run_counting_work(forged_auth_header("rusty", alg, kid))
                assert real == unknown, (alg, kid)

    def test_forged_token_does_same_work_for_user_with_one_key(self) -> None:
        self.user_key_ed25519.delete()
        for alg in ("RS256", "EdDSA"):
            real = self.run_counting_work(forged_auth_header(self.user.username, alg))
            unknown = self.run_counting_work(forged_auth_header("rusty", alg))
            assert real == unknown

    def test_forged_token_builds_the_same_rows_for_real_and_unknown_users(self) -> None:
        """
        Beyond queries and signature checks: an unknown user costs the model instances a real user with one key of
        the token's type costs (user and key rows built, the key parsed from its text), so that the response time
        does not tell them apart.
        """
        from django.db.models import Model

        self.user_key_rsa.delete()

        def work(header: str) -> tuple[list[str], int]:
            built: list[str] = []
            original = Model.from_db.__func__  # type: ignore[attr-defined]

            def from_db(cls: Any, *args: Any) -> Any:
                built.append(cls._meta.label)
                return original(cls, *args)

            request = self.rfactory.get("/", HTTP_AUTHORIZATION=header)
            with (
                mock.patch.object(Model, "from_db", classmethod(from_db)),
                mock.patch.object(PublicKey, "get_key", autospec=True, side_effect=PublicKey.get_key) as get_key,
            ):
                self.run_middleware(request)
            self.assert_not_logged_in(request)
            return sorted(built), get_key.call_count

        real = work(forged_auth_header(self.user.username, "EdDSA"))
        assert real == (["asymmetric_jwt_auth.PublicKey", "auth.User"], 1)
        assert work(forged_auth_header("rusty", "EdDSA")) == real

    def test_forged_rsa_signature_is_checked_against_same_size_keys(self) -> None:
        self.user_key_rsa.delete()
        for bits in (2048, 3072):
            user_key = PublicKey.objects.create(user=self.user, key=RSAPrivateKey.generate(size=bits).public_key.as_pem.decode())
            for signature_length in (256, 384, 512):
                real = self.checked_keys(forged_auth_header(self.user.username, "RS256", signature_length=signature_length))
                unknown = self.checked_keys(forged_auth_header("rusty", "RS256", signature_length=signature_length))
                assert real == unknown
                assert real.count(f"RSA-{8 * signature_length}") == 2  # one per repository: stored keys and JWKS
            user_key.delete()

    def test_authenticate_request_rsa_valid(self) -> None:
        request = self.run(Token(self.user.username).create_auth_header(self.key_rsa))
        self.assert_logged_in(request, self.user_key_rsa)
        self.user_key_ed25519.refresh_from_db()
        assert self.user_key_ed25519.last_used_on is None
        assert self.next_middleware.call_count == 1

    def test_authenticate_request_ed25519_valid(self) -> None:
        self.assert_logged_in(self.run(Token(self.user.username).create_auth_header(self.key_ed25519)), self.user_key_ed25519)

    def test_authenticate_request_rsa_4096_valid(self) -> None:
        key = RSAPrivateKey.generate(size=4096)
        PublicKey.objects.create(user=self.user, key=key.public_key.as_pem.decode())
        self.assert_logged_in(self.run(Token(self.user.username).create_auth_header(key)))

    def test_authenticate_request_openssh_key(self) -> None:
        key = Ed25519PrivateKey.generate()
        stored = PublicKey.objects.create(user=self.user, key=f"{key.public_key.as_openssh} me@laptop")
        assert stored.comment == "me@laptop"
        self.assert_logged_in(self.run(Token(self.user.username).create_auth_header(key)), stored)

    def test_authenticate_request_rsa_unregistered_key(self) -> None:
        PublicKey.objects.filter(user=self.user).update(user=self.user2)
        self.assert_not_logged_in(self.run(Token(self.user.username).create_auth_header(self.key_rsa)))

    def test_missing_data(self) -> None:
        self.assert_not_logged_in(self.run(Token(self.user.username, timestamp=0).create_auth_header(self.key_ed25519)))

    def test_cant_reuse_nonce(self) -> None:
        header = Token(self.user.username).create_auth_header(self.key_ed25519)
        self.assert_logged_in(self.run(header), self.user_key_ed25519)
        self.assert_not_logged_in(self.run(header))
        assert self.next_middleware.call_count == 2

    def test_kid_key_is_checked_first(self) -> None:
        """Of several stored keys, the one the token's kid names is verified first: one signature check."""
        for _ in range(3):
            PublicKey.objects.create(user=self.user, key=Ed25519PrivateKey.generate().public_key.as_pem.decode())
        header = Token(self.user.username).create_auth_header(self.key_rsa)
        request = self.rfactory.get("/", HTTP_AUTHORIZATION=header)
        with mock.patch.object(UntrustedToken, "verify", autospec=True, side_effect=UntrustedToken.verify) as verify:
            self.run_middleware(request)
        self.assert_logged_in(request, self.user_key_rsa)
        checked = [call.kwargs["public_key"] for call in verify.call_args_list]
        # the JWKS repository's decoy check (user has no endpoint), then the stored key named by the kid
        assert checked[-1].fingerprint == self.key_rsa.public_key.fingerprint
        assert len(checked) == 2

    def test_token_parsed_once_per_request(self) -> None:
        from asymmetric_jwt_auth import tokens

        header = Token(self.user.username).create_auth_header(self.key_rsa)
        with mock.patch.object(tokens, "_parser", wraps=tokens._parser) as parser:
            request = self.run(header)
        self.assert_logged_in(request)
        assert parser.parse.call_count == 1

    def test_unusable_stored_key_does_not_block_the_others(self) -> None:
        PublicKey.objects.create(user=self.user, key="ssh-ed25519 AAAAnotakey broken")
        self.assert_logged_in(self.run(Token(self.user.username).create_auth_header(self.key_ed25519)), self.user_key_ed25519)

    def test_auth_method_setting(self, settings: Any) -> None:
        settings.ASYMMETRIC_JWT_AUTH = {"AUTH_METHOD": "SIGNED"}
        token = Token(self.user.username).sign(self.key_ed25519)
        self.assert_not_logged_in(self.run(f"JWT {token}"))
        self.assert_logged_in(self.run(f"signed {token}"))

    def test_logs_never_contain_the_token(self, caplog: pytest.LogCaptureFixture) -> None:
        headers = [
            Token(self.user.username).create_auth_header(self.key_ed25519),
            Token("rusty").create_auth_header(self.key_ed25519),
            forged_auth_header(self.user.username, "EdDSA"),
            forged_auth_header(self.user.username, "HS256"),
            "JWT not.a.token-but-long-enough-to-notice",
        ]
        with caplog.at_level(logging.DEBUG, logger="asymmetric_jwt_auth"):
            for header in headers + headers[:1]:
                self.run(header)
        assert caplog.records
        text = "\n".join(record.getMessage() for record in caplog.records)
        for header in headers:
            token = header.split(" ", 1)[1]
            assert token not in text
            for part in token.split(".")[1:]:
                if len(part) > 12:
                    assert part not in text


    def test_inactive_user_is_refused(self, settings: Any) -> None:
        """As Django's ModelBackend refuses an inactive user's password, a token of an inactive user is refused."""
        self.user.is_active = False
        self.user.save()
        self.assert_not_logged_in(self.run(Token(self.user.username).create_auth_header(self.key_ed25519)))
        # 1.x's behaviour, when asked for
        settings.ASYMMETRIC_JWT_AUTH = {"AUTHENTICATE_INACTIVE_USERS": True}
        self.assert_logged_in(self.run(Token(self.user.username).create_auth_header(self.key_ed25519)))

    def test_inactive_user_refusal_is_logged(self, caplog: pytest.LogCaptureFixture) -> None:
        User.objects.filter(pk=self.user.pk).update(is_active=False)
        with caplog.at_level(logging.DEBUG, logger="asymmetric_jwt_auth"):
            self.assert_not_logged_in(self.run(Token(self.user.username).create_auth_header(self.key_ed25519)))
        assert any("inactive" in record.getMessage() for record in caplog.records)
        assert not any("Successfully" in record.getMessage() for record in caplog.records)

    @pytest.mark.parametrize(
        "claimed",
        [
            "nobody\nSuccessfully authenticated root using JWT",
            "nobody\r\nSuccessfully authenticated root using JWT",
            "nobody\u2028Successfully authenticated root using JWT",
            "nobody\x1b[2K\x1b[1GSuccessfully authenticated root using JWT",
        ],
    )
    def test_claimed_values_cannot_forge_log_lines(self, caplog: pytest.LogCaptureFixture, claimed: str) -> None:
        """An anonymous client chooses the claimed username and the header: logged, they stay on their line."""
        User.objects.create_user(username=claimed)
        headers = [
            forged_auth_header(claimed, "EdDSA"),  # a known user, bad signature
            forged_auth_header(claimed.replace("nobody", "unknown", 1), "EdDSA"),  # an unknown user
            "JWT " + claimed[6:] + forged_auth_header(self.user.username, "EdDSA")[4:],  # a malformed token
            claimed[6:].replace(" ", "_") + " token",  # another auth method
        ]
        with caplog.at_level(logging.DEBUG, logger="asymmetric_jwt_auth"):
            for header in headers:
                self.assert_not_logged_in(self.run(header))
        messages = [record.getMessage() for record in caplog.records]
        assert len(messages) >= len(headers)
        for message in messages:
            assert message.isprintable(), message
            assert "\x1b" not in message and "\u2028" not in message
        assert not any(message.startswith("Successfully") for message in messages)
        assert any("nobody\\" in message for message in messages)  # escaped, still readable


class TestMiddlewareJWKS(Base):
    jwks_url = "https://example.com/.well-known/jwks.json"

    @pytest.fixture(autouse=True)
    def _fetch(self, _setup: None) -> Any:
        with mock.patch("asymmetric_jwt_auth.jwks._fetch_jwks") as fetch:
            self.fetch = fetch
            yield

    def authenticate(self, private_key: Any) -> Any:
        return self.run(Token(self.user.username).create_auth_header(private_key))

    def test_authenticate_request_rsa(self) -> None:
        self.fetch.return_value = {"keys": [self.key_rsa.public_key.as_jwk]}
        trust = JWKSEndpointTrust.objects.create(user=self.user, jwks_url=self.jwks_url)
        self.assert_logged_in(self.authenticate(self.key_rsa))
        trust.refresh_from_db()
        assert trust.last_used_on is not None

    def test_authenticate_request_ed25519_and_ec(self, ec_key: Any) -> None:
        self.fetch.return_value = {"keys": [self.key_ed25519.public_key.as_jwk, ec_key.public_key.as_jwk]}
        JWKSEndpointTrust.objects.create(user=self.user, jwks_url=self.jwks_url)
        self.assert_logged_in(self.authenticate(self.key_ed25519))
        self.assert_logged_in(self.authenticate(ec_key))

    def test_no_matching_key(self) -> None:
        jwk = self.key_rsa.public_key.as_jwk
        jwk["kid"] = "foobar"
        self.fetch.return_value = {"keys": [jwk]}
        JWKSEndpointTrust.objects.create(user=self.user, jwks_url=self.jwks_url)
        self.assert_not_logged_in(self.authenticate(self.key_rsa))

    def test_header_jwt_claimed_username_doesnt_exist(self) -> None:
        self.fetch.return_value = {"keys": [self.key_rsa.public_key.as_jwk]}
        JWKSEndpointTrust.objects.create(user=self.user, jwks_url=self.jwks_url)
        self.assert_not_logged_in(self.run(Token("rusty").create_auth_header(self.key_rsa)))
        self.fetch.assert_not_called()

    def test_missing_data(self) -> None:
        self.fetch.return_value = {"keys": [self.key_rsa.public_key.as_jwk]}
        JWKSEndpointTrust.objects.create(user=self.user, jwks_url=self.jwks_url)
        self.assert_not_logged_in(self.run(Token(self.user.username, timestamp=0).create_auth_header(self.key_rsa)))

    def test_forged_token_does_same_work_for_real_and_unknown_users(self) -> None:
        self.fetch.return_value = {"keys": [self.key_rsa.public_key.as_jwk]}
        JWKSEndpointTrust.objects.create(user=self.user, jwks_url=self.jwks_url)
        self.assert_logged_in(self.authenticate(self.key_rsa))
        with mock.patch.object(jwks, "_queue_refresh") as queue_refresh:
            for kid in (None, "forged", self.key_rsa.public_key.fingerprint):
                real = self.run_counting_work(forged_auth_header(self.user.username, "RS256", kid, 256))
                unknown = self.run_counting_work(forged_auth_header("rusty", "RS256", kid, 256))
                assert real == unknown, kid
        assert self.fetch.call_count == 1
        queue_refresh.assert_not_called()  # within the cooldown after the first fetch

    def test_jwks_and_stored_keys_together(self) -> None:
        other = Ed25519PrivateKey.generate()
        self.fetch.return_value = {"keys": [other.public_key.as_jwk]}
        JWKSEndpointTrust.objects.create(user=self.user, jwks_url=self.jwks_url)
        stored = PublicKey.objects.create(user=self.user, key=self.key_ed25519.public_key.as_pem.decode())
        self.assert_logged_in(self.authenticate(other))
        self.assert_logged_in(self.authenticate(self.key_ed25519), stored)


class TestEndToEnd:
    """Through the whole Django stack (settings.MIDDLEWARE, URLconf, views) with the test client."""

    @pytest.fixture(autouse=True)
    def _user(self, ed25519_key: Any) -> None:
        self.user = User.objects.create_user(username="alice", password="pw")
        self.key = ed25519_key
        PublicKey.objects.create(user=self.user, key=self.key.public_key.as_pem.decode())

    def test_authenticated_get(self) -> None:
        response = Client().get("/whoami/", HTTP_AUTHORIZATION=Token("alice").create_auth_header(self.key))
        assert response.json() == {"authenticated": True, "username": "alice"}

    def test_anonymous_without_or_with_bad_header(self) -> None:
        client = Client()
        assert client.get("/whoami/").json() == {"authenticated": False, "username": None}
        for header in ("JWT garbage", "Basic Zm9vOmJhcg==", Token("alice").create_auth_header(Ed25519PrivateKey.generate())):
            assert client.get("/whoami/", HTTP_AUTHORIZATION=header).json() == {"authenticated": False, "username": None}

    def test_replayed_header_is_anonymous(self) -> None:
        client = Client()
        header = Token("alice").create_auth_header(self.key)
        assert client.get("/whoami/", HTTP_AUTHORIZATION=header).json()["authenticated"] is True
        assert client.get("/whoami/", HTTP_AUTHORIZATION=header).json()["authenticated"] is False

    def test_csrf_is_not_enforced_for_jwt_requests(self) -> None:
        client = Client(enforce_csrf_checks=True)
        assert client.post("/whoami/post/").status_code == 403
        response = client.post("/whoami/post/", HTTP_AUTHORIZATION=Token("alice").create_auth_header(self.key))
        assert response.status_code == 200
        assert response.json()["username"] == "alice"

    def test_session_users_still_work(self) -> None:
        client = Client()
        client.force_login(self.user)
        assert client.get("/whoami/").json()["username"] == "alice"

    def test_async_stack(self) -> None:
        header = Token("alice").create_auth_header(self.key)

        async def requests() -> list[Any]:
            client = AsyncClient()
            first = await client.get("/whoami/async/", headers={"authorization": header})
            replay = await client.get("/whoami/async/", headers={"authorization": header})
            return [first.json(), replay.json()]

        assert async_to_sync(requests)() == [{"authenticated": True, "username": "alice"}, {"authenticated": False, "username": None}]


def test_middleware_in_async_mode(ed25519_key: Any) -> None:
    user = User.objects.create_user(username="carol")
    PublicKey.objects.create(user=user, key=ed25519_key.public_key.as_pem.decode())

    async def get_response(request: Any) -> str:
        return "response"

    middleware = JWTAuthMiddleware(get_response)
    assert iscoroutinefunction(middleware)
    request = RequestFactory().get("/", HTTP_AUTHORIZATION=Token("carol").create_auth_header(ed25519_key))
    assert async_to_sync(middleware)(request) == "response"
    assert request.user == user
    anonymous = RequestFactory().get("/")
    anonymous.user = AnonymousUser()
    assert async_to_sync(middleware)(anonymous) == "response"
    assert anonymous.user.is_anonymous


def test_repositories_stay_assignable_as_in_1x() -> None:
    """1.x's middleware kept its repositories in plain attributes; code that swaps them still works."""
    middleware = JWTAuthMiddleware(mock.MagicMock())
    repo = mock.MagicMock(supported_algorithms=frozenset(["EdDSA"]))
    middleware.key_repos = [repo]
    middleware.supported_algorithms = middleware._get_supported_algorithms()
    assert middleware.authenticator.key_repos == [repo]
    assert middleware.supported_algorithms == frozenset(["EdDSA"])
    user_repo = mock.MagicMock()
    middleware.user_repo = user_repo
    assert middleware.authenticator.user_repo is user_repo
