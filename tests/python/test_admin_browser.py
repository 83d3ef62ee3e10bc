"""
The admin's key flow in a real browser: headless Chromium (Debian's chromium and chromium-driver, driven by
Selenium) on pytest-django's live server. Logs in, adds an OpenSSH public key for a user by pasting it, sees it
listed with its comment; pasting a private key is refused with a clear message. Screenshots of both pages are
saved in AJWT_ARTIFACTS_DIR (default build-python/artifacts).

Skipped where Chromium, chromedriver or selenium are missing, unless AJWT_REQUIRE_BROWSER=1
(scripts/test-browser.sh, which installs them).
"""

from collections.abc import Iterator
from pathlib import Path
from typing import Any
import os
import shutil

import pytest

from django.contrib.auth.models import User

from asymmetric_jwt_auth.models import PublicKey

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = Path(os.environ.get("AJWT_ARTIFACTS_DIR", ROOT / "build-python" / "artifacts"))
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMEDRIVER = shutil.which("chromedriver")


def _missing() -> str | None:
    try:
        import selenium  # noqa: F401
    except ImportError:
        return "selenium is not installed"
    if not CHROMIUM or not CHROMEDRIVER:
        return "chromium or chromedriver is not installed (scripts/install-deps.sh browser)"
    return None


if _missing():
    if os.environ.get("AJWT_REQUIRE_BROWSER") == "1":
        raise RuntimeError(f"AJWT_REQUIRE_BROWSER=1 but {_missing()}")
    pytest.skip(_missing() or "", allow_module_level=True)

from selenium import webdriver  # noqa: E402
from selenium.webdriver.chrome.service import Service  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402

PASSWORD = "admin-password"


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM or ""
    for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu", "--window-size=1280,900"):
        options.add_argument(argument)
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.implicitly_wait(5)
    yield driver
    driver.quit()


@pytest.fixture
def admin_session(browser: Any, live_server: Any, transactional_db: Any) -> Any:
    User.objects.create_superuser(username="admin", email="admin@example.com", password=PASSWORD)
    browser.delete_all_cookies()
    browser.get(f"{live_server.url}/admin/login/")
    browser.find_element(By.NAME, "username").send_keys("admin")
    browser.find_element(By.NAME, "password").send_keys(PASSWORD)
    browser.find_element(By.CSS_SELECTOR, "input[type=submit]").click()
    WebDriverWait(browser, 10).until(lambda b: "login" not in b.current_url)
    assert browser.find_element(By.ID, "user-tools")  # the logged-in admin's header
    return browser


def screenshot(browser: Any, name: str) -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / name
    assert browser.save_screenshot(str(path))
    return path


def add_key(browser: Any, live_server: Any, user: User, text: str) -> None:
    browser.get(f"{live_server.url}/admin/asymmetric_jwt_auth/publickey/add/")
    browser.find_element(By.ID, "id_user").send_keys(str(user.pk))
    browser.find_element(By.ID, "id_key").send_keys(text)
    form_url = browser.current_url
    browser.find_element(By.NAME, "_save").click()
    # Saved: the change list; refused: the add form again, with its errors
    WebDriverWait(browser, 10).until(lambda b: b.current_url != form_url or b.find_elements(By.CSS_SELECTOR, ".errornote"))


def test_add_an_openssh_key_and_see_it_listed(admin_session: Any, live_server: Any, ed25519_key: Any) -> None:
    service = User.objects.create_user(username="billing-service")
    add_key(admin_session, live_server, service, ed25519_key.public_key.as_openssh + " billing@ci-runner")
    errors = [e.text for e in admin_session.find_elements(By.CSS_SELECTOR, ".errorlist, .errornote")]
    assert admin_session.current_url.endswith("/admin/asymmetric_jwt_auth/publickey/"), errors
    rows = [row.text for row in admin_session.find_elements(By.CSS_SELECTOR, "#result_list tbody tr")]
    assert len(rows) == 1
    assert "billing-service" in rows[0] and "billing@ci-runner" in rows[0]
    screenshot(admin_session, "admin-public-key-listed.png")
    [stored] = PublicKey.objects.filter(user=service)
    assert stored.comment == "billing@ci-runner"
    assert stored.get_key() == ed25519_key.public_key


def test_pasting_a_private_key_is_refused(admin_session: Any, live_server: Any, ed25519_key: Any) -> None:
    service = User.objects.create_user(username="billing-service")
    add_key(admin_session, live_server, service, ed25519_key.as_pem.decode())
    errors = admin_session.find_element(By.CSS_SELECTOR, ".field-key .errorlist").text
    assert errors.startswith("This is a private key. Register the public key only")
    screenshot(admin_session, "admin-private-key-refused.png")
    assert not PublicKey.objects.exists()
