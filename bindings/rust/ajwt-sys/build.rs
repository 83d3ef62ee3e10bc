//! Links libajwt: the one pkg-config finds, or (feature `bundled`, or when pkg-config finds none)
//! a static libajwt built with CMake from the sources this crate carries in `libajwt/`, as
//! libgit2-sys does. Refuses a header of another ABI version.

use std::path::{Path, PathBuf};

// The ajwt.h version these declarations are written against: same major, at least this minor.
const MAJOR: u32 = 0;
const MINOR: u32 = 1;

fn main() {
    println!("cargo:rerun-if-env-changed=AJWT_SYS_USE_PKG_CONFIG");
    let bundled = cfg!(feature = "bundled");
    let header = if bundled {
        build_bundled()
    } else {
        match pkg_config::Config::new()
            .atleast_version(&format!("{MAJOR}.{MINOR}"))
            .probe("ajwt")
        {
            Ok(lib) => lib
                .include_paths
                .iter()
                .map(|dir| dir.join("ajwt.h"))
                .find(|path| path.is_file())
                .unwrap_or_else(|| PathBuf::from("/usr/include/ajwt.h")),
            // AJWT_SYS_USE_PKG_CONFIG=1 makes a missing system libajwt an error instead.
            Err(e) if std::env::var_os("AJWT_SYS_USE_PKG_CONFIG").is_some() => panic!(
                "\n\nlibajwt not found with pkg-config: {e}\n\
                 Install it (cmake --install <build> --prefix <dir>) and put <dir>/lib/pkgconfig \
                 on PKG_CONFIG_PATH, or unset AJWT_SYS_USE_PKG_CONFIG to build the bundled copy.\n\n"
            ),
            Err(e) => {
                println!("cargo:warning=libajwt not found with pkg-config ({e}); building the bundled copy");
                build_bundled()
            }
        }
    };
    check_header_version(&header);

    // For the declaration check (tests/header.rs) and for crates that depend on this one
    // (DEP_AJWT_INCLUDE).
    println!("cargo:rustc-env=AJWT_SYS_HEADER={}", header.display());
    if let Some(dir) = header.parent() {
        println!("cargo:include={}", dir.display());
    }
    println!("cargo:rerun-if-changed={}", header.display());
}

/// Builds the target ajwt_static from `libajwt/` (symbolic links to the repository's CMake
/// files, core/, capi/ and include/, which `cargo package` stores as files) and links it statically,
/// with the libraries it needs: OpenSSL's libcrypto, libsodium and the C++ runtime.
fn build_bundled() -> PathBuf {
    let source = Path::new(env!("CARGO_MANIFEST_DIR")).join("libajwt");
    if !source.join("CMakeLists.txt").is_file() {
        panic!(
            "{} has no CMakeLists.txt: the bundled libajwt sources are missing",
            source.display()
        );
    }
    for dir in ["CMakeLists.txt", "core", "capi", "include"] {
        println!("cargo:rerun-if-changed={}", source.join(dir).display());
    }
    let out = cmake::Config::new(&source)
        .define("AJWT_BUILD_TESTS", "OFF")
        .define("AJWT_BUILD_CLI", "OFF")
        .define("AJWT_BUILD_PYTHON", "OFF")
        .define("AJWT_BUILD_BENCH", "OFF")
        .define("CMAKE_BUILD_TYPE", "Release")
        .profile("Release")
        .build_target("ajwt_static")
        .build();
    println!(
        "cargo:rustc-link-search=native={}",
        out.join("build/capi").display()
    );
    println!("cargo:rustc-link-lib=static=ajwt");
    for system in ["libcrypto", "libsodium"] {
        pkg_config::Config::new().probe(system).unwrap_or_else(|e| {
            panic!("the bundled libajwt needs {system} (development files): {e}")
        });
    }
    println!("cargo:rustc-link-lib=dylib=stdc++");
    source.join("include/ajwt.h")
}

fn check_header_version(header: &Path) {
    let text = std::fs::read_to_string(header)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", header.display()));
    let define = |name: &str| -> u32 {
        text.lines()
            .filter_map(|line| line.trim().strip_prefix("#define "))
            .filter_map(|rest| rest.strip_prefix(name))
            .find_map(|value| value.trim().parse().ok())
            .unwrap_or_else(|| panic!("{} has no #define {name}", header.display()))
    };
    let (major, minor) = (define("AJWT_VERSION_MAJOR"), define("AJWT_VERSION_MINOR"));
    if major != MAJOR || minor < MINOR {
        panic!(
            "{} is libajwt {major}.{minor}; ajwt-sys {} needs {MAJOR}.x with x >= {MINOR}",
            header.display(),
            env!("CARGO_PKG_VERSION")
        );
    }
}
