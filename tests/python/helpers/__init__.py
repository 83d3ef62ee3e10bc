"""Helpers of the Python suites: subprocess drivers for the upstream virtualenv and for our DB checks."""

from pathlib import Path
from typing import Any
import json
import subprocess
import sys

HELPERS_DIR = Path(__file__).resolve().parent


def run_json(python: str, script: str, command: dict[str, Any], timeout: float = 120) -> Any:
    """Run helpers/<script> with ``python``, send it one JSON command, return its JSON answer."""
    proc = subprocess.run(
        [python, str(HELPERS_DIR / script)],
        input=json.dumps(command),
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd=HELPERS_DIR,  # never the source tree, so each interpreter imports its own installed package
    )
    if proc.returncode != 0:
        raise AssertionError(f"{script} {command.get('cmd')} failed ({proc.returncode}):\n{proc.stderr[-4000:]}")
    return json.loads(proc.stdout)


def run_upstream(upstream_python: str, command: dict[str, Any]) -> Any:
    return run_json(upstream_python, "upstream_helper.py", command)


def run_ours(command: dict[str, Any]) -> Any:
    return run_json(sys.executable, "ours_db_helper.py", command)
