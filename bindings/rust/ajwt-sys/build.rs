//! Finds libajwt with pkg-config, links it, and refuses a header of another ABI version.

use std::path::{Path, PathBuf};

// The ajwt.h version these declarations are written against: same major, at least this minor.
const MAJOR: u32 = 0;
const MINOR: u32 = 1;

fn main() {
    let lib = pkg_config::Config::new()
        .atleast_version(&format!("{MAJOR}.{MINOR}"))
        .probe("ajwt")
        .unwrap_or_else(|e| {
            panic!(
                "\n\nlibajwt not found with pkg-config: {e}\n\
                 Install it (cmake --install <build> --prefix <dir>) and put <dir>/lib/pkgconfig \
                 on PKG_CONFIG_PATH.\n\n"
            )
        });

    let header = lib
        .include_paths
        .iter()
        .map(|dir| dir.join("ajwt.h"))
        .find(|path| path.is_file())
        .unwrap_or_else(|| PathBuf::from("/usr/include/ajwt.h"));
    check_header_version(&header);

    // For the declaration check (tests/header.rs) and for crates that depend on this one
    // (DEP_AJWT_INCLUDE).
    println!("cargo:rustc-env=AJWT_SYS_HEADER={}", header.display());
    if let Some(dir) = header.parent() {
        println!("cargo:include={}", dir.display());
    }
    println!("cargo:rerun-if-changed={}", header.display());
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
