"""
Runs asymmetric-jwt-auth 1.3.0's test suite, extracted from its wheel into SUITE_DIR (the folder holding
``asymmetric_jwt_auth/tests``), against whichever ``asymmetric_jwt_auth`` the running interpreter has installed,
with Django's test runner as upstream runs it (``manage.py test``). Writes each test's outcome to a JSON file.

    python run.py SUITE_DIR RESULTS.json

The suite's modules import the package under test relatively (``from .. import jwks``), so they must load as
``asymmetric_jwt_auth.tests.*``: the extracted folder is put first on that package's search path (this package
ships an ``asymmetric_jwt_auth.tests`` of its own, upstream ships the suite there).
"""

from pathlib import Path
from typing import Any
import json
import os
import sys
import types
import unittest

HERE = Path(__file__).resolve().parent


class RecordingResult(unittest.TextTestResult):
    """A text result that also remembers every test's outcome; a failed subtest fails its test."""

    outcomes: dict[str, str]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.outcomes = {}

    def _record(self, test: unittest.TestCase, outcome: str) -> None:
        test_id = test.id()
        if self.outcomes.get(test_id) in ("fail", "error") and outcome == "pass":
            return
        self.outcomes[test_id] = outcome

    def addSuccess(self, test: unittest.TestCase) -> None:
        super().addSuccess(test)
        self._record(test, "pass")

    def addFailure(self, test: unittest.TestCase, err: Any) -> None:
        super().addFailure(test, err)
        self._record(test, "fail")

    def addError(self, test: unittest.TestCase, err: Any) -> None:
        super().addError(test, err)
        # Errors of setUpClass and the like are reported on a placeholder whose id names the class
        self._record(test, "error")

    def addSkip(self, test: unittest.TestCase, reason: str) -> None:
        super().addSkip(test, reason)
        self._record(test, "skip")

    def addExpectedFailure(self, test: unittest.TestCase, err: Any) -> None:
        super().addExpectedFailure(test, err)
        self._record(test, "pass")

    def addUnexpectedSuccess(self, test: unittest.TestCase) -> None:
        super().addUnexpectedSuccess(test)
        self._record(test, "fail")

    def addSubTest(self, test: unittest.TestCase, subtest: unittest.TestCase, err: Any) -> None:
        super().addSubTest(test, subtest, err)
        if err is not None:
            self.outcomes[test.id()] = "error" if not issubclass(err[0], test.failureException) else "fail"


def _mount_suite(suite_dir: Path) -> list[str]:
    """Make ``asymmetric_jwt_auth.tests`` load from ``suite_dir`` first; the dotted names of its test modules."""
    import asymmetric_jwt_auth

    tests_dir = suite_dir / "asymmetric_jwt_auth" / "tests"
    try:
        import asymmetric_jwt_auth.tests as tests_package
    except ImportError:
        tests_package = types.ModuleType("asymmetric_jwt_auth.tests")
        tests_package.__path__ = []
        sys.modules["asymmetric_jwt_auth.tests"] = tests_package
        asymmetric_jwt_auth.tests = tests_package  # type:ignore[attr-defined]
    tests_package.__path__.insert(0, str(tests_dir))
    return sorted(f"asymmetric_jwt_auth.tests.{path.stem}" for path in tests_dir.glob("test_*.py"))


def main() -> int:
    suite_dir, results_path = Path(sys.argv[1]).resolve(), Path(sys.argv[2])
    sys.path.insert(0, str(HERE))
    os.environ["DJANGO_SETTINGS_MODULE"] = "settings"
    import django

    django.setup()
    from django.test.runner import DiscoverRunner

    labels = _mount_suite(suite_dir)
    recorded: dict[str, str] = {}

    class Runner(DiscoverRunner):
        def get_resultclass(self) -> Any:
            return RecordingResult

        def run_suite(self, suite: unittest.TestSuite, **kwargs: Any) -> Any:
            result = super().run_suite(suite, **kwargs)
            recorded.update(result.outcomes)
            return result

    Runner(verbosity=1, interactive=False).run_tests(labels)
    results_path.write_text(json.dumps(recorded, indent=1, sort_keys=True))
    return 0


if __name__ == "__main__":
    sys.exit(main())
