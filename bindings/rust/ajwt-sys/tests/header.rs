//! Checks the hand-written declarations of src/lib.rs against the installed ajwt.h: the same
//! functions with the same parameter and return types, the same callback types, and the same
//! enum values and numeric constants. A small C declaration reader maps each C type to the
//! Rust type bindgen would use (size_t = usize, enums = c_uint), so any drift in the header
//! fails here. AJWT_HEADER overrides the header path found at build time.

use std::collections::BTreeMap;

fn header_text() -> String {
    let path = std::env::var("AJWT_HEADER").unwrap_or_else(|_| env!("AJWT_SYS_HEADER").to_string());
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("cannot read {path}: {e}"))
}

const RUST_SOURCE: &str = include_str!("../src/lib.rs");

fn strip_comments(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while !rest.is_empty() {
        if let Some(after) = rest.strip_prefix("/*") {
            rest = after.find("*/").map_or("", |end| &after[end + 2..]);
            out.push(' ');
        } else if rest.starts_with("//") {
            rest = rest.find('\n').map_or("", |end| &rest[end..]);
        } else {
            let c = rest.chars().next().unwrap();
            out.push(c);
            rest = &rest[c.len_utf8()..];
        }
    }
    out
}

/// Splits on commas outside (), <> and [].
fn split_top_level(list: &str) -> Vec<String> {
    let (mut parts, mut depth, mut current) = (Vec::new(), 0i32, String::new());
    for c in list.chars() {
        match c {
            '(' | '<' | '[' => depth += 1,
            ')' | '>' | ']' => depth -= 1,
            ',' if depth == 0 => {
                parts.push(current.trim().to_string());
                current.clear();
                continue;
            }
            _ => {}
        }
        current.push(c);
    }
    if !current.trim().is_empty() {
        parts.push(current.trim().to_string());
    }
    parts
}

/// The index of the parenthesis closing the one at `open`.
fn matching_paren(text: &str, open: usize) -> usize {
    let mut depth = 0;
    for (i, c) in text[open..].char_indices() {
        match c {
            '(' => depth += 1,
            ')' => {
                depth -= 1;
                if depth == 0 {
                    return open + i;
                }
            }
            _ => {}
        }
    }
    panic!("unbalanced parentheses in {text}")
}

/// Drops whitespace and trailing commas, which rustfmt adds to multi-line lists.
fn squash(s: &str) -> String {
    let squashed: String = s.chars().filter(|c| !c.is_whitespace()).collect();
    squashed.replace(",)", ")").replace(",>", ">")
}

// ---- C side ------------------------------------------------------------------------------

fn is_ident(s: &str) -> bool {
    s.chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
}

fn c_base_to_rust(base: &str) -> String {
    match base {
        "char" => "c_char",
        "void" => "c_void",
        "int" => "c_int",
        "unsigned" | "unsigned int" => "c_uint",
        "size_t" => "usize",
        "int64_t" => "i64",
        "double" => "f64",
        "uint64_t" => "u64",
        "uint8_t" => "u8",
        "uint32_t" => "u32",
        other => other, // typedef names (ajwt_status, ajwt_key, callback types) keep their name
    }
    .to_string()
}

/// A C type (with or without a parameter name) as the Rust type of the declaration.
fn c_type_to_rust(decl: &str, named: bool) -> String {
    let decl = decl.trim();
    // Function pointer parameter: ret (*name)(params)
    if let Some(star) = decl.find("(*") {
        let ret = c_type_to_rust(&decl[..star], false);
        let close = matching_paren(decl, star);
        let params_open = decl[close..].find('(').unwrap() + close;
        let params = &decl[params_open + 1..matching_paren(decl, params_open)];
        return fn_pointer(&c_params(params), &ret);
    }
    // An array parameter decays to a pointer.
    let decl = match decl.find('[') {
        Some(open) => {
            let before = decl[..open].trim();
            match before.rsplit_once(char::is_whitespace) {
                Some((ty, name)) => format!("{ty} *{name}"),
                None => format!("{before} *"),
            }
        }
        None => decl.to_string(),
    };
    let spaced = decl.replace('*', " * ");
    let mut tokens: Vec<&str> = spaced.split_whitespace().collect();
    if named {
        let identifiers = tokens
            .iter()
            .filter(|t| is_ident(t) && **t != "const")
            .count();
        if identifiers >= 2 && tokens.last().is_some_and(|t| is_ident(t)) {
            tokens.pop();
        }
    }
    let first_star = tokens
        .iter()
        .position(|t| *t == "*")
        .unwrap_or(tokens.len());
    let is_const = tokens[..first_star].contains(&"const");
    let base: Vec<&str> = tokens
        .iter()
        .copied()
        .filter(|t| *t != "const" && *t != "*")
        .collect();
    let mut rust = c_base_to_rust(&base.join(" "));
    let stars = tokens.iter().filter(|t| **t == "*").count();
    for level in 0..stars {
        let qualifier = if level == 0 && is_const {
            "*const "
        } else {
            "*mut "
        };
        rust = format!("{qualifier}{rust}");
    }
    rust
}

fn c_params(list: &str) -> Vec<String> {
    let list = list.trim();
    if list == "void" || list.is_empty() {
        return Vec::new();
    }
    split_top_level(list)
        .iter()
        .map(|p| c_type_to_rust(p, true))
        .collect()
}

fn fn_pointer(params: &[String], ret: &str) -> String {
    let ret = if ret == "c_void" {
        String::new()
    } else {
        format!("->{ret}")
    };
    squash(&format!(
        "Option<unsafe extern \"C\" fn({}){ret}>",
        params.join(",")
    ))
}

struct CHeader {
    functions: BTreeMap<String, (Vec<String>, String)>,
    callbacks: BTreeMap<String, String>,
    constants: BTreeMap<String, i64>,
    enum_types: Vec<String>,
    version_string: String,
}

fn parse_header(text: &str) -> CHeader {
    let text = strip_comments(text);
    let mut header = CHeader {
        functions: BTreeMap::new(),
        callbacks: BTreeMap::new(),
        constants: BTreeMap::new(),
        enum_types: Vec::new(),
        version_string: String::new(),
    };
    for line in text.lines() {
        let Some(rest) = line.trim().strip_prefix("#define ") else {
            continue;
        };
        let mut parts = rest.splitn(2, char::is_whitespace);
        let (name, value) = (parts.next().unwrap(), parts.next().unwrap_or("").trim());
        if let Ok(number) = value.parse::<i64>() {
            header.constants.insert(name.to_string(), number);
        } else if name == "AJWT_VERSION_STRING" {
            header.version_string = value.trim_matches('"').to_string();
        }
    }
    let code: String = text
        .lines()
        .filter(|l| !l.trim_start().starts_with('#'))
        .collect::<Vec<_>>()
        .join("\n");
    for statement in code.split(';') {
        // A statement may follow other text (e.g. `extern "C" {`): start at its keyword.
        let keyword = ["AJWT_API ", "typedef "]
            .iter()
            .filter_map(|k| statement.find(k))
            .min();
        let Some(start) = keyword else { continue };
        let statement = &statement[start..];
        if let Some(decl) = statement.strip_prefix("AJWT_API ") {
            let open = decl.find('(').unwrap();
            let (ret_and_name, params) =
                (&decl[..open], &decl[open + 1..matching_paren(decl, open)]);
            let name = ret_and_name
                .trim()
                .rsplit(|c: char| c.is_whitespace() || c == '*')
                .next()
                .unwrap();
            let ret = ret_and_name.trim().strip_suffix(name).unwrap();
            header.functions.insert(
                name.to_string(),
                (c_params(params), c_type_to_rust(ret, false)),
            );
        } else if let Some(decl) = statement.strip_prefix("typedef ") {
            if let Some(body) = decl.strip_prefix("enum ") {
                let open = body.find('{').unwrap();
                header.enum_types.push(body[..open].trim().to_string());
                let close = body.find('}').unwrap();
                for member in split_top_level(&body[open + 1..close]) {
                    let (name, value) = member
                        .split_once('=')
                        .expect("enum members have explicit values");
                    header
                        .constants
                        .insert(name.trim().to_string(), value.trim().parse().unwrap());
                }
            } else if let Some(star) = decl.find("(*") {
                let name_end = decl[star..].find(')').unwrap() + star;
                let name = decl[star + 2..name_end].trim().to_string();
                let ret = c_type_to_rust(&decl[..star], false);
                let params_open = decl[name_end..].find('(').unwrap() + name_end;
                let params = &decl[params_open + 1..matching_paren(decl, params_open)];
                header
                    .callbacks
                    .insert(name, fn_pointer(&c_params(params), &ret));
            }
        }
    }
    header
}

// ---- Rust side ---------------------------------------------------------------------------

/// Removes `name:` parameter labels (not `::` paths).
fn strip_labels(text: &str) -> String {
    let bytes: Vec<char> = text.chars().collect();
    let mut out = String::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i].is_ascii_alphabetic() || bytes[i] == '_' {
            let start = i;
            while i < bytes.len() && (bytes[i].is_ascii_alphanumeric() || bytes[i] == '_') {
                i += 1;
            }
            let mut j = i;
            while j < bytes.len() && bytes[j].is_whitespace() {
                j += 1;
            }
            if j < bytes.len() && bytes[j] == ':' && bytes.get(j + 1) != Some(&':') {
                i = j + 1; // drop the label and its colon
            } else {
                out.extend(&bytes[start..i]);
            }
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    out
}

struct RustDecls {
    functions: BTreeMap<String, (Vec<String>, String)>,
    callbacks: BTreeMap<String, String>,
    constants: BTreeMap<String, i64>,
    type_aliases: Vec<String>,
}

fn parse_rust(source: &str) -> RustDecls {
    let source = strip_comments(source);
    let mut decls = RustDecls {
        functions: BTreeMap::new(),
        callbacks: BTreeMap::new(),
        constants: BTreeMap::new(),
        type_aliases: Vec::new(),
    };
    let start = source.find("extern \"C\" {").expect("an extern block");
    let open = start + "extern \"C\" ".len();
    let mut depth = 0;
    let mut close = open;
    for (i, c) in source[open..].char_indices() {
        match c {
            '{' => depth += 1,
            '}' => {
                depth -= 1;
                if depth == 0 {
                    close = open + i;
                    break;
                }
            }
            _ => {}
        }
    }
    for item in source[open + 1..close].split(';') {
        let Some(decl) = item.trim().strip_prefix("pub fn ") else {
            continue;
        };
        let paren = decl.find('(').unwrap();
        let name = decl[..paren].trim().to_string();
        let params_close = matching_paren(decl, paren);
        let params = split_top_level(&decl[paren + 1..params_close])
            .iter()
            .map(|p| squash(&strip_labels(p)))
            .collect();
        let ret = decl[params_close + 1..]
            .trim()
            .strip_prefix("->")
            .map_or(String::new(), squash);
        decls.functions.insert(name, (params, ret));
    }
    for item in source.split(';') {
        // The declaration ends the chunk; other items (impl blocks) may precede it.
        let Some(start) = ["pub type ", "pub const "]
            .iter()
            .filter_map(|k| item.rfind(k))
            .max()
        else {
            continue;
        };
        let item = &item[start..];
        if let Some(rest) = item.strip_prefix("pub type ") {
            let (name, value) = rest.split_once('=').unwrap();
            let name = name.trim().to_string();
            if value.contains("fn(") {
                decls.callbacks.insert(name, squash(&strip_labels(value)));
            } else {
                decls.type_aliases.push(name);
            }
        } else if let Some(rest) = item.strip_prefix("pub const ") {
            let Some((name_type, value)) = rest.split_once('=') else {
                continue;
            }; // a const fn
            let name = name_type.split(':').next().unwrap().trim().to_string();
            if let Ok(number) = value.trim().parse::<i64>() {
                decls.constants.insert(name, number);
            }
        }
    }
    decls
}

// ---- the checks --------------------------------------------------------------------------

fn render(params: &[String], ret: &str) -> String {
    format!(
        "({}) -> {}",
        params.join(", "),
        if ret.is_empty() { "()" } else { ret }
    )
}

#[test]
fn every_function_matches_the_header() {
    let c = parse_header(&header_text());
    let rust = parse_rust(RUST_SOURCE);
    assert!(
        c.functions.len() > 60,
        "found only {} functions in ajwt.h",
        c.functions.len()
    );
    let mut problems = Vec::new();
    for (name, (params, ret)) in &c.functions {
        let want_params: Vec<String> = params.iter().map(|p| squash(p)).collect();
        let want_ret = if ret == "c_void" {
            String::new()
        } else {
            squash(ret)
        };
        match rust.functions.get(name) {
            None => problems.push(format!("{name}: in ajwt.h, not declared in ajwt-sys")),
            Some((got_params, got_ret)) => {
                if *got_params != want_params || *got_ret != want_ret {
                    problems.push(format!(
                        "{name}:\n    ajwt.h  {}\n    ajwt-sys {}",
                        render(&want_params, &want_ret),
                        render(got_params, got_ret)
                    ));
                }
            }
        }
    }
    for name in rust
        .functions
        .keys()
        .filter(|n| !c.functions.contains_key(*n))
    {
        problems.push(format!("{name}: declared in ajwt-sys, not in ajwt.h"));
    }
    assert!(
        problems.is_empty(),
        "declarations differ from ajwt.h:\n{}",
        problems.join("\n")
    );
}

#[test]
fn callback_types_match_the_header() {
    let c = parse_header(&header_text());
    let rust = parse_rust(RUST_SOURCE);
    assert_eq!(
        c.callbacks.len(),
        6,
        "callback typedefs in ajwt.h: {:?}",
        c.callbacks.keys()
    );
    assert_eq!(rust.callbacks, c.callbacks);
}

#[test]
fn enums_and_constants_match_the_header() {
    let c = parse_header(&header_text());
    let rust = parse_rust(RUST_SOURCE);
    for name in &c.enum_types {
        assert!(
            rust.type_aliases.contains(name),
            "enum {name} has no type alias in ajwt-sys"
        );
    }
    let mut problems = Vec::new();
    for (name, value) in &c.constants {
        match rust.constants.get(name) {
            Some(got) if got == value => {}
            got => problems.push(format!("{name}: ajwt.h {value}, ajwt-sys {got:?}")),
        }
    }
    for name in rust
        .constants
        .keys()
        .filter(|n| !c.constants.contains_key(*n))
    {
        problems.push(format!("{name}: only in ajwt-sys"));
    }
    assert!(
        problems.is_empty(),
        "constants differ:\n{}",
        problems.join("\n")
    );
    assert_eq!(c.version_string, ajwt_sys::AJWT_VERSION_STRING);
}

#[test]
fn layout_and_runtime_match() {
    use ajwt_sys::*;
    assert_eq!(
        std::mem::size_of::<ajwt_error>(),
        4 + AJWT_ERROR_MESSAGE_SIZE
    );
    unsafe {
        assert_eq!(ajwt_error_message_size(), AJWT_ERROR_MESSAGE_SIZE);
        assert_eq!(ajwt_fingerprint_size(), AJWT_FINGERPRINT_SIZE);
        assert_eq!(ajwt_default_max_token_size(), AJWT_DEFAULT_MAX_TOKEN_SIZE);
        assert_eq!(ajwt_default_tolerance(), AJWT_DEFAULT_TOLERANCE);
        assert_eq!(ajwt_version_number(), AJWT_VERSION_NUMBER);
        let version = std::ffi::CStr::from_ptr(ajwt_version()).to_str().unwrap();
        assert_eq!(version, AJWT_VERSION_STRING);
    }
}

/// The reader itself: known declarations map to the expected Rust types.
#[test]
fn c_reader_maps_types() {
    assert_eq!(c_type_to_rust("const char *text", true), "*const c_char");
    assert_eq!(
        c_type_to_rust("const ajwt_key **used_key", true),
        "*mut *const ajwt_key"
    );
    assert_eq!(c_type_to_rust("char **out", true), "*mut *mut c_char");
    assert_eq!(
        c_type_to_rust("char out[AJWT_FINGERPRINT_SIZE]", true),
        "*mut c_char"
    );
    assert_eq!(c_type_to_rust("unsigned rsa_bits", true), "c_uint");
    assert_eq!(c_type_to_rust("size_t", true), "usize");
    assert_eq!(
        c_type_to_rust("void (*destroy)(void *user_data)", true),
        squash("Option<unsafe extern \"C\" fn(*mut c_void)>")
    );
}
