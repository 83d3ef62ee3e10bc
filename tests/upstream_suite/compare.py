"""
Compares the outcomes of upstream 1.3.0's suite on upstream and on this package (run.py's JSON files) and
prints the counts. Fails (exit 1) when a test that passes on upstream does not pass here, unless docs/django.md
lists it, with its reason, between the ``upstream-suite-exceptions`` markers (lines "| `test id` | reason |").
A listed test that passes here is reported, so its row can be removed.

    python compare.py UPSTREAM.json OURS.json docs/django.md
"""

from pathlib import Path
import json
import re
import sys


def _listed_exceptions(readme: Path) -> dict[str, str]:
    text = readme.read_text()
    match = re.search(r"<!-- upstream-suite-exceptions -->(.*?)<!-- /upstream-suite-exceptions -->", text, re.S)
    if match is None:
        return {}
    listed: dict[str, str] = {}
    for line in match.group(1).splitlines():
        row = re.match(r"\|\s*`([^`]+)`\s*\|\s*(.+?)\s*\|\s*$", line)
        if row:
            listed[row.group(1)] = row.group(2)
    return listed


def _summary(name: str, outcomes: dict[str, str]) -> str:
    passed = sum(1 for outcome in outcomes.values() if outcome == "pass")
    return f"{name}: {passed}/{len(outcomes)} pass"


def main() -> int:
    upstream = json.loads(Path(sys.argv[1]).read_text())
    ours = json.loads(Path(sys.argv[2]).read_text())
    listed = _listed_exceptions(Path(sys.argv[3]))
    broken = sorted(test for test in {**upstream, **ours} if test.startswith("unittest.loader."))
    if broken or set(upstream) != set(ours):
        print(f"== FAILED: the two runs did not load the same tests (modules that failed to import: {broken})")
        return 1
    print(f"== upstream 1.3.0 suite: {_summary('upstream 1.3.0', upstream)}; {_summary('this package', ours)}")
    regressions = sorted(test for test, outcome in upstream.items() if outcome == "pass" and ours.get(test) != "pass")
    unexpected = [test for test in regressions if test.removeprefix("asymmetric_jwt_auth.tests.") not in listed]
    for test in regressions:
        short = test.removeprefix("asymmetric_jwt_auth.tests.")
        mark = "listed in docs/django.md" if short in listed else "NOT LISTED"
        print(f"   passes on upstream, {ours.get(test, 'missing')} here ({mark}): {short}")
    stale = sorted(set(listed) - {test.removeprefix("asymmetric_jwt_auth.tests.") for test in regressions})
    for test in stale:
        print(f"   listed in docs/django.md but passes here (remove it from the list): {test}")
    if unexpected:
        print(f"== FAILED: {len(unexpected)} test(s) pass on upstream but not here and are not listed in docs/django.md")
        return 1
    print("== every upstream test that passes on upstream passes here, or is listed in docs/django.md with its reason")
    return 0


if __name__ == "__main__":
    sys.exit(main())
