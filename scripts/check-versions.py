#!/usr/bin/env python3
"""One version for every package: ajwt.h's AJWT_VERSION_* is the source (and one repository URL).

CMake's project version and the Python distribution's version are derived from ajwt.h at build time
(CMakeLists.txt, pyproject.toml's regex metadata provider); the other ecosystems' manifests cannot
read a C header, so this script checks that each of them carries the same number.

    scripts/check-versions.py [--root DIR]     exit 1 and one line per drifted file

ctest runs it (tests/packaging).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import tomllib
import xml.etree.ElementTree as ET
from pathlib import Path

HEADER = "include/ajwt.h"


def header_version(root: Path) -> tuple[str, list[str]]:
    text = (root / HEADER).read_text()
    parts = []
    for name in ("MAJOR", "MINOR", "PATCH"):
        m = re.search(rf"^#define AJWT_VERSION_{name} (\d+)\s*$", text, re.MULTILINE)
        if not m:
            raise SystemExit(f"{HEADER}: no #define AJWT_VERSION_{name}")
        parts.append(m.group(1))
    version = ".".join(parts)
    problems = []
    m = re.search(r'^#define AJWT_VERSION_STRING "([^"]*)"', text, re.MULTILINE)
    if not m or m.group(1) != version:
        problems.append(f"{HEADER}: AJWT_VERSION_STRING is {m.group(1) if m else None!r}, want {version!r}")
    return version, problems


def check(root: Path) -> list[str]:
    version, problems = header_version(root)
    major, minor, _ = version.split(".")

    def want(path: str, what: str, got: object, expected: str = version) -> None:
        if got != expected:
            problems.append(f"{path}: {what} is {got!r}, want {expected!r} (from {HEADER})")

    # Rust: the workspace version, the ajwt -> ajwt-sys requirement, the lock file, and the
    # header version ajwt-sys's build script accepts.
    cargo = tomllib.loads((root / "bindings/rust/Cargo.toml").read_text())
    want("bindings/rust/Cargo.toml", "workspace.package.version", cargo["workspace"]["package"]["version"])
    ajwt = tomllib.loads((root / "bindings/rust/ajwt/Cargo.toml").read_text())
    want("bindings/rust/ajwt/Cargo.toml", "ajwt-sys requirement", ajwt["dependencies"]["ajwt-sys"].get("version"))
    lock = tomllib.loads((root / "bindings/rust/Cargo.lock").read_text())
    for package in lock["package"]:
        if package["name"] in ("ajwt", "ajwt-sys"):
            want("bindings/rust/Cargo.lock", f"{package['name']} version", package["version"])
    build_rs = (root / "bindings/rust/ajwt-sys/build.rs").read_text()
    for name, expected in (("MAJOR", major), ("MINOR", minor)):
        m = re.search(rf"^const {name}: u32 = (\d+);", build_rs, re.MULTILINE)
        want("bindings/rust/ajwt-sys/build.rs", f"const {name}", m and m.group(1), expected)

    # Node: package.json and its lock file.
    package = json.loads((root / "bindings/node/package.json").read_text())
    want("bindings/node/package.json", "version", package["version"])
    node_lock = json.loads((root / "bindings/node/package-lock.json").read_text())
    want("bindings/node/package-lock.json", "version", node_lock["version"])
    want("bindings/node/package-lock.json", 'packages[""].version', node_lock["packages"][""]["version"])

    # Java: the POM.
    pom = ET.parse(root / "bindings/swig/java/pom.xml").getroot()
    ns = {"m": "http://maven.apache.org/POM/4.0.0"}
    want("bindings/swig/java/pom.xml", "project.version", pom.findtext("m:version", namespaces=ns))

    # Python: the version must come from ajwt.h (scikit-build-core's regex provider), not be written down.
    project = tomllib.loads((root / "pyproject.toml").read_text())
    if "version" in project["project"] or "version" not in project["project"].get("dynamic", []):
        problems.append("pyproject.toml: project.version must be dynamic (read from ajwt.h)")
    else:
        provider = project["tool"]["scikit-build"]["metadata"]["version"]
        want("pyproject.toml", "version provider input", provider.get("input"), HEADER)
        text = (root / HEADER).read_text()
        m = re.search(provider["regex"], text, re.MULTILINE)
        got = m and provider.get("result", "{value}").format(*m.groups(), **m.groupdict())
        want("pyproject.toml", "version read from ajwt.h", got)

    # Go: no version in go.mod (tags carry it), but the cgo preamble's header check must match.
    go = (root / "bindings/go/ajwt/ajwt.go").read_text()
    m = re.search(r"AJWT_VERSION_MAJOR != (\d+) \|\| AJWT_VERSION_MINOR < (\d+)", go)
    want("bindings/go/ajwt/ajwt.go", "header check major.minor", m and f"{m.group(1)}.{m.group(2)}", f"{major}.{minor}")
    check_repository(root, problems)
    return problems


def check_repository(root: Path, problems: list[str]) -> None:
    """Every manifest names the same repository (the Cargo workspace's is the reference)."""
    expected = tomllib.loads((root / "bindings/rust/Cargo.toml").read_text())["workspace"]["package"]["repository"]

    def same(path: str, what: str, url: str | None) -> None:
        normal = url and re.sub(r"^git\+|\.git$", "", url)
        if normal != expected:
            problems.append(f"{path}: {what} is {url!r}, want {expected!r} (from bindings/rust/Cargo.toml)")

    package = json.loads((root / "bindings/node/package.json").read_text())
    same("bindings/node/package.json", "repository.url", package.get("repository", {}).get("url"))
    pom = ET.parse(root / "bindings/swig/java/pom.xml").getroot()
    ns = {"m": "http://maven.apache.org/POM/4.0.0"}
    same("bindings/swig/java/pom.xml", "scm.url", pom.findtext("m:scm/m:url", namespaces=ns))
    urls = tomllib.loads((root / "pyproject.toml").read_text())["project"].get("urls", {})
    same("pyproject.toml", "project.urls.Source", urls.get("Source"))
    module = re.search(r"^module (\S+)", (root / "bindings/go/go.mod").read_text(), re.MULTILINE)
    go_repo = module and "https://" + module.group(1).removesuffix("/bindings/go")
    same("bindings/go/go.mod", "module path", go_repo)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", type=Path, default=Path(__file__).resolve().parent.parent)
    args = parser.parse_args()
    problems = check(args.root)
    for line in problems:
        print(line, file=sys.stderr)
    if not problems:
        print(f"all packages at version {header_version(args.root)[0]}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
