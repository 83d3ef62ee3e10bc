"""
The demo, end to end: runs scripts/demo.sh as a newcomer would and checks what it prints, its exit
status, and that it stopped the service it started.

demo.sh reuses the build and the virtualenv named by the environment (AJWT_BUILD_DIR, AJWT_PY_VENV,
AJWT_CLI, ... see its header). When AJWT_PY_VENV is not set and these tests run inside a virtualenv,
that virtualenv is the one the demo uses, so a test run never builds a second one.

    AJWT_DEMO_TIMEOUT   seconds one demo run may take (default 600)
"""

from pathlib import Path
import os
import re
import signal
import socket
import subprocess
import sys

import pytest

ROOT = Path(__file__).resolve().parents[2]
DEMO = ROOT / "scripts" / "demo.sh"
TIMEOUT = float(os.environ.get("AJWT_DEMO_TIMEOUT", "600"))
USER = "demo-user"

PYTHON_SECTION = "From Python"
SHELL_SECTION = "From the shell"
# The checks of each section, as the report names them, and the HTTP status each must show.
PYTHON_CHECKS = {
    "request without a token → rejected": "401",
    f"authenticated as {USER}": "200",
    "same token replayed → rejected": "401",
    "tampered token → rejected": "401",
    "token signed by an unregistered key → rejected": "401",
}
SHELL_CHECKS = {
    f"authenticated as {USER}": "200",
    "same token replayed → rejected": "401",
    "tampered token → rejected": "401",
    "token signed by an unregistered key → rejected": "401",
    "token signed 60 s ago → rejected": "401",
}
CHECK_LINE = re.compile(r"^  ([✔✘]) (.+?)\s{2,}(\d{3})\b(.*)$")
SERVICE_LINE = re.compile(r"service\s+http://127\.0\.0\.1:(\d+) \(pid (\d+),")


class DemoRun:
    def __init__(self, returncode: int, output: str):
        self.returncode = returncode
        self.output = output

    def section(self, title: str) -> list[str]:
        """The lines of one section of step 5, up to the next section or step."""
        lines = self.output.splitlines()
        start = next(i for i, line in enumerate(lines) if line.strip().startswith(title))
        end = next((i for i in range(start + 1, len(lines)) if lines[i].startswith((" From", "=="))), len(lines))
        return lines[start + 1 : end]

    def checks(self, title: str) -> dict[str, tuple[str, str, str]]:
        """{label: (mark, status, rest)} of the check lines in a section."""
        found = {}
        for line in self.section(title):
            match = CHECK_LINE.match(line)
            if match:
                mark, label, status, rest = match.groups()
                found[label] = (mark, status, rest)
        return found

    def service(self) -> tuple[int, int]:
        match = SERVICE_LINE.search(self.output)
        assert match, f"the demo did not say where the service ran:\n{self.output}"
        return int(match.group(1)), int(match.group(2))


def run_demo(**env_changes: str) -> DemoRun:
    env = dict(os.environ)
    if "AJWT_PY_VENV" not in env and sys.prefix != sys.base_prefix:
        env["AJWT_PY_VENV"] = sys.prefix
    env.pop("DJANGO_SETTINGS_MODULE", None)  # pytest-django's, for the test project
    env.update(env_changes)
    # Its own session, so that on a timeout the demo and the service it started can be stopped together.
    proc = subprocess.Popen(
        ["bash", str(DEMO)],
        cwd=ROOT,
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        raw, _ = proc.communicate(timeout=TIMEOUT)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGTERM)  # demo.sh's trap stops the service
        try:
            raw, _ = proc.communicate(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            raw, _ = proc.communicate()
        pytest.fail(f"scripts/demo.sh ran longer than {TIMEOUT:.0f} s:\n{raw.decode('utf-8', 'replace')}")
    return DemoRun(proc.returncode, raw.decode("utf-8", "replace"))


def assert_service_stopped(run: DemoRun) -> None:
    port, pid = run.service()
    with pytest.raises(ConnectionRefusedError), socket.create_connection(("127.0.0.1", port), timeout=5):
        pass
    status = Path(f"/proc/{pid}/status")
    if status.exists():  # only a zombie waiting for a reaper may be left
        state = next(line for line in status.read_text().splitlines() if line.startswith("State:"))
        assert "Z" in state.split()[1], f"the service (pid {pid}) is still running: {state}"


@pytest.fixture(scope="module")
def demo() -> DemoRun:
    return run_demo()


def test_demo_exits_0_and_says_so(demo: DemoRun) -> None:
    assert demo.returncode == 0, demo.output
    assert "demo passed" in demo.output
    assert "✘" not in demo.output


@pytest.mark.parametrize(("title", "expected"), [(PYTHON_SECTION, PYTHON_CHECKS), (SHELL_SECTION, SHELL_CHECKS)])
def test_every_check_is_reported_with_its_status(demo: DemoRun, title: str, expected: dict[str, str]) -> None:
    found = demo.checks(title)
    assert {label: (mark, status) for label, (mark, status, _) in found.items()} == {
        label: ("✔", status) for label, status in expected.items()
    }, demo.output


def test_the_authenticated_request_answers_with_the_username(demo: DemoRun) -> None:
    for title in (PYTHON_SECTION, SHELL_SECTION):
        _, _, rest = demo.checks(title)[f"authenticated as {USER}"]
        assert f'"username": "{USER}"' in rest


def test_rejections_give_the_servers_reason(demo: DemoRun) -> None:
    for title in (PYTHON_SECTION, SHELL_SECTION):
        checks = demo.checks(title)
        assert "nonce already used" in checks["same token replayed → rejected"][2]
        assert "signature does not verify" in checks["tampered token → rejected"][2]


def test_the_key_pair_comes_from_ajwt_and_is_registered(demo: DemoRun) -> None:
    kid = re.search(r"key pair\s+client\.pem \(Ed25519, kid ([0-9a-f]{64})\)", demo.output)
    assert kid, demo.output
    assert f"registered key {kid.group(1)} for {USER}" in demo.output


def test_the_service_is_stopped(demo: DemoRun) -> None:
    assert "service stopped" in demo.output
    assert_service_stopped(demo)


def test_a_failing_check_fails_the_demo() -> None:
    # Without replay protection the replayed tokens are accepted: the demo must say so and exit non-zero.
    run = run_demo(EXAMPLE_NONCE_BACKEND="asymmetric_jwt_auth.nonce.null.NullNonceBackend")
    assert run.returncode != 0, run.output
    assert "FAILED" in run.output
    for title in (PYTHON_SECTION, SHELL_SECTION):
        checks = run.checks(title)
        assert checks["same token replayed → rejected"][:2] == ("✘", "200"), run.output
        assert checks["tampered token → rejected"][0] == "✔"
    assert_service_stopped(run)
