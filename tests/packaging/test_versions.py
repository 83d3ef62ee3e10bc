"""scripts/check-versions.py: every package carries ajwt.h's version, and drift in any one is caught."""

import importlib.util
import re
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
spec = importlib.util.spec_from_file_location("check_versions", ROOT / "scripts/check-versions.py")
check_versions = importlib.util.module_from_spec(spec)
spec.loader.exec_module(check_versions)

FILES = [
    "include/ajwt.h",
    "pyproject.toml",
    "bindings/rust/Cargo.toml",
    "bindings/rust/Cargo.lock",
    "bindings/rust/ajwt/Cargo.toml",
    "bindings/rust/ajwt-sys/build.rs",
    "bindings/node/package.json",
    "bindings/node/package-lock.json",
    "bindings/swig/java/pom.xml",
    "bindings/go/ajwt/ajwt.go",
    "bindings/go/go.mod",
]


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    for name in FILES:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(ROOT / name, tmp_path / name)
    return tmp_path


def test_the_repository_is_consistent() -> None:
    assert check_versions.check(ROOT) == []


def test_copy_is_consistent(tree: Path) -> None:
    assert check_versions.check(tree) == []


def bump_patch(text: str, version: str) -> str:
    major, minor, patch = version.split(".")
    return text.replace(f'"{version}"', f'"{major}.{minor}.{int(patch) + 1}"', 1)


@pytest.mark.parametrize(
    "name", ["bindings/rust/Cargo.toml", "bindings/node/package.json", "bindings/node/package-lock.json"]
)
def test_a_manifest_that_drifts_is_named(tree: Path, name: str) -> None:
    version, _ = check_versions.header_version(tree)
    path = tree / name
    path.write_text(bump_patch(path.read_text(), version))
    problems = check_versions.check(tree)
    assert problems and all(p.startswith(name + ":") for p in problems), problems


def test_pom_that_drifts_is_named(tree: Path) -> None:
    path = tree / "bindings/swig/java/pom.xml"
    path.write_text(re.sub(r"(<artifactId>libajwt</artifactId>\s*<version>)[^<]+", r"\g<1>9.9.9", path.read_text()))
    assert [p.split(":")[0] for p in check_versions.check(tree)] == ["bindings/swig/java/pom.xml"]


def test_a_new_header_version_is_noticed_everywhere_not_derived(tree: Path) -> None:
    header = tree / "include/ajwt.h"
    text = header.read_text()
    text = re.sub(r"#define AJWT_VERSION_PATCH \d+", "#define AJWT_VERSION_PATCH 77", text)
    text = re.sub(r'#define AJWT_VERSION_STRING "[^"]*"', lambda m: m.group(0)[:-2] + '77"', text)
    header.write_text(text)
    named = {p.split(":")[0] for p in check_versions.check(tree)}
    # pyproject.toml and CMake read ajwt.h themselves; every hand-written manifest is reported.
    assert named == {
        "bindings/rust/Cargo.toml",
        "bindings/rust/Cargo.lock",
        "bindings/rust/ajwt/Cargo.toml",
        "bindings/node/package.json",
        "bindings/node/package-lock.json",
        "bindings/swig/java/pom.xml",
    }


def test_a_written_down_python_version_is_refused(tree: Path) -> None:
    path = tree / "pyproject.toml"
    path.write_text(path.read_text().replace('dynamic = ["version"]', 'version = "0.1.0"'))
    assert check_versions.check(tree) == ["pyproject.toml: project.version must be dynamic (read from ajwt.h)"]


def test_version_string_must_match_the_numbers(tree: Path) -> None:
    header = tree / "include/ajwt.h"
    header.write_text(re.sub(r'#define AJWT_VERSION_STRING "[^"]*"', '#define AJWT_VERSION_STRING "0.0.9"', header.read_text()))
    assert any("AJWT_VERSION_STRING" in p for p in check_versions.check(tree))


def test_a_repository_url_that_differs_is_named(tree: Path) -> None:
    path = tree / "bindings/node/package.json"
    path.write_text(path.read_text().replace("github.com/libajwt/libajwt.git", "github.com/someone/else.git"))
    assert [p.split(":")[0] for p in check_versions.check(tree)] == ["bindings/node/package.json"]
